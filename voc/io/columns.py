"""Which column holds the text, the id, the time and the scores, from zh and en header names."""
from __future__ import annotations

import re

from voc.errors import InputError

# Most specific first: the first header that matches a name wins.
TEXT_NAMES = ["评论内容", "评价内容", "反馈内容", "留言内容", "投诉内容", "意见内容", "回复内容", "内容", "评论", "评价",
              "反馈", "留言", "意见", "建议", "comment", "comments", "review_text", "review", "reviews",
              "verbatim", "feedback", "open_text", "opentext", "text", "content", "message", "body",
              "description", "remarks", "response", "answer", "utterance"]
ID_NAMES = ["response_id", "review_id", "ticket_id", "record_id", "comment_id", "turn_id", "id", "uuid",
            "评价id", "评论id", "工单号", "订单号", "编号", "序号", "单号"]
TIME_NAMES = ["submitted_at", "created_at", "created", "timestamp", "datetime", "date", "time", "ts",
              "评价时间", "评论时间", "创建时间", "提交时间", "反馈时间", "下单时间", "时间", "日期"]
# score kind -> (header names, valid range)
SCORE_NAMES = {
    "nps": (["nps", "nps_score", "likelihood_to_recommend", "ltr", "推荐度", "推荐意愿", "净推荐值", "推荐分"], (0, 10)),
    "csat": (["csat", "csat_score", "satisfaction", "满意度", "满意度评分"], (1, 5)),
    "ces": (["ces", "ces_score", "effort", "customer_effort", "费力度", "努力度"], (1, 7)),
    "stars": (["stars", "star", "rating", "star_rating", "星级", "评分", "打分", "评星"], (1, 5)),
}


def _key(header: str) -> str:
    return re.sub(r"[\s_\-]+", "_", str(header).strip().lower()).strip("_")


def _find(headers: list[str], names: list[str], used: set[str]) -> str | None:
    keyed = {_key(h): h for h in headers if h not in used}
    for name in names:
        if name in keyed:
            return keyed[name]
    return None


def detect(headers: list[str], text_col: str | None, id_col: str | None, source: str) -> dict:
    """Map roles to header names. Raises InputError naming the columns found when no text column."""
    headers = [h for h in headers if h is not None]
    for wanted, flag in ((text_col, "--text-col"), (id_col, "--id-col")):
        if wanted is not None and wanted not in headers:
            raise InputError(f"{source}: {flag} {wanted!r} is not a column; columns are: {', '.join(map(str, headers))}")
    used: set[str] = set()
    text = text_col or _find(headers, TEXT_NAMES, used)
    if text is None:
        # A header that *contains* a text word ("客户评论内容", "Review Comment") is still clear.
        for h in headers:
            k = _key(h)
            if any(n in k for n in ("评论", "评价", "反馈", "留言", "comment", "review", "feedback", "verbatim")):
                text = h
                break
    if text is None:
        raise InputError(
            f"{source}: no text column found among: {', '.join(map(str, headers)) or '(no columns)'}; "
            "choose one with --text-col NAME")
    used.add(text)
    ident = id_col or _find(headers, ID_NAMES, used)
    if ident:
        used.add(ident)
    time = _find(headers, TIME_NAMES, used)
    scores = {}
    for kind, (names, _) in SCORE_NAMES.items():
        col = _find(headers, names, used)
        if col:
            scores[col] = kind
            used.add(col)
    return {"text": text, "id": ident, "time": time, "scores": scores}


def typed_score(value, kind: str):
    """A score cell as a number, or (None, reason) when it is not a valid score of its kind."""
    lo, hi = SCORE_NAMES[kind][1]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    try:
        num = float(str(value).strip())
    except ValueError:
        return None, "score_invalid"
    if num != num or not lo <= num <= hi:
        return None, "score_out_of_range"
    return (int(num) if num.is_integer() else num), None

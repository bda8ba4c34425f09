"""Personal-data masking: identifiers masked, business numbers kept, offsets stay valid."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voc.stages.pii import _NOT_PERSONAL_CONTEXT, cn_id_checksum_ok, luhn_ok, mask
from voc.text import fold

VALID_ID = "11010519491231002X"  # checksum-valid synthetic 身份证号
INVALID_ID = "110105194912310021"


def test_checksums():
    assert cn_id_checksum_ok(VALID_ID) and not cn_id_checksum_ok(INVALID_ID)
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


@pytest.mark.parametrize("text, masked", [
    ("我的手机13812345678，快回电", "我的手机[PHONE]，快回电"),
    ("电话 +86 138-1234-5678", "电话 [PHONE]"),
    ("call me at +44 20 7946 0958 please", "call me at [PHONE] please"),
    ("my number is (415) 555-0132", "my number is [PHONE]"),
    ("邮箱 zhang.san@example.com 收不到", "邮箱 [EMAIL] 收不到"),
    (f"身份证号{VALID_ID}被泄露", "身份证号[ID]被泄露"),
    (f"身份证 {INVALID_ID} 输错了", "身份证 [ID] 输错了"),
    ("卡号 4111 1111 1111 1111 被盗刷", "卡号 [CARD] 被盗刷"),
    ("card 4111111111111111 charged twice", "card [CARD] charged twice"),
])
def test_masks_personal_data(text, masked):
    out, counts = mask(text)
    assert out == masked and counts


@pytest.mark.parametrize("text", [
    "订单号 202611050012345 还没发货",
    "订单号4111111111111111还没到",       # Luhn-valid, but said to be an order number
    "花了¥299，用了3天就坏了",
    "2026-11-05 下单，11月20日才到",
    "Order #1234567 cost $1,299.00 for 2 units",
    "运单号 SF1234567890123",
    f"编号 {INVALID_ID}",                  # bad checksum and no ID context: not masked
])
def test_keeps_business_numbers(text):
    assert mask(text) == (text, {})


@given(st.text(max_size=120), st.sampled_from(["13812345678", "a@b.co", VALID_ID, "4111111111111111", ""]))
@settings(max_examples=200, deadline=None)
def test_masked_text_contains_no_identifier(prefix, ident):
    text = prefix + " " + ident + " 结束"
    out, _ = mask(text)
    # The one documented exception (SECURITY.md): a card-shaped number the text itself labels as an
    # order / ticket / tracking number ("工单 4111...", found by hypothesis) is kept. Only that.
    labelled = ident == "4111111111111111" and _NOT_PERSONAL_CONTEXT.search(fold(prefix + " ")[-20:])
    if ident and not labelled:
        assert ident not in out


def test_card_labelled_as_an_order_number_is_the_only_exception():
    assert mask("工单 4111111111111111 结束")[0] == "工单 4111111111111111 结束"
    assert mask("工单 13812345678 结束")[0] == "工单 [PHONE] 结束"   # a phone is masked whatever the label
    assert mask("工单 a@b.co 结束")[0] == "工单 [EMAIL] 结束"


@pytest.mark.parametrize("text, masked", [
    ("我的邮箱zhangsan@qq.com收不到验证码", "我的邮箱[EMAIL]收不到验证码"),   # glued to Chinese text
    ("手机号１３８１２３４５６７８", "手机号[PHONE]"),                        # full-width digits
    ("²a@b.cn", "[EMAIL]"),            # found by hypothesis; ² folds to 2, a valid local part
])
def test_masks_identifiers_glued_to_text(text, masked):
    assert mask(text)[0] == masked


@pytest.mark.parametrize("text, masked", [
    ("我叫张伟，电话13812345678", "我叫[NAME]，电话[PHONE]"),
    ("收件人：李娜 地址：浙江省杭州市西湖区文三路90号", "收件人：[NAME] 地址：[ADDRESS]"),
    ("My name is John Smith and they delivered to 221 Baker Street", "My name is [NAME] and they delivered to [ADDRESS]"),
    ("Regards, Emily", "Regards, [NAME]"),
])
def test_names_and_addresses_in_context(text, masked):
    assert mask(text)[0] == masked


@pytest.mark.parametrize("text", ["客服态度差", "我是老客户了", "This is ridiculous", "I am Very angry", "联系人：客服",
                                  "王先生的店服务很好", "编号511498197210242110的工单没人处理"])
def test_no_false_names_or_cards(text):
    assert mask(text) == (text, {})


# Forms added with the PII benchmark's wider generator (benchmarks/pii.py); each was missed or
# wrongly masked before.
@pytest.mark.parametrize("text, masked", [
    ("手机号：(+86)13812345678，收不到验证码", "手机号：[PHONE]，收不到验证码"),
    ("张先生(13812345678)", "张先生([PHONE])"),
    ("座机(0755)86123456一直占线", "座机[PHONE]一直占线"),
    ("公司电话 021 62345678，工作日找我", "公司电话 [PHONE]，工作日找我"),
    ("office line (0755) 8612 3456", "office line [PHONE]"),
    ("身份证号码 110105 19491231 002X 是不是输错了", "身份证号码 [ID] 是不是输错了"),   # 6-8-4 spaced
    ("卡号 4111 1111 1111 1112 是不是填错了", "卡号 [CARD] 是不是填错了"),             # Luhn fails, said to be a card
    ("北京市朝阳区", "北京市朝阳区"),
    ("地址：北京市朝阳区建国路88号6单元1203，快递员说找不到", "地址：[ADDRESS]，快递员说找不到"),
    ("Regards, Support Team", "Regards, Support Team"),
])
def test_more_surface_forms(text, masked):
    assert mask(text)[0] == masked


@pytest.mark.parametrize("text", [
    "order number 4111111111111111 never shipped",        # Luhn-valid, said to be an order number
    "tracking number 1Z4471960669098144 shows delivered",  # digits glued to letters are a code
    "编号61011319890201653X的工单没人处理",                  # ID-shaped, bad checksum, no ID cue
    "Regards, David 编号11010519500408657X的工单",          # "David" holds "id": not an ID cue
    "product code 4111111111111112 is wrong",              # Luhn fails and no card cue
    "客服热线400-820-8820打不通", "call 800-555-0199 and nobody answers",  # company hotlines
])
def test_keeps_more_business_numbers(text):
    out, counts = mask(text)
    assert "ID" not in counts and "CARD" not in counts and "PHONE" not in counts, out


# ----------------------------------------------------------------------------- every path out
RAW = ["13812345678", "139 1234 5678", "13912345678", VALID_ID, "4111 1111 1111 1111", "4111111111111111",
       "zhang.san@example.com", "张伟", "文三路90号", "li.na@example.org", "13700001111"]


def _pii_export(path):
    import csv

    rows = [
        ("1", f"我叫张伟，手机13812345678，快递三天没到，客服也不回复，太差了", "2026-11-16"),
        ("2", f"身份证号{VALID_ID}实名认证失败，打了五次电话没人管，要投诉", "2026-11-17"),
        ("3", "卡号 4111 1111 1111 1111 被扣了两次款，退款一直不到账", "2026-11-18"),
        ("4", "Refund never arrived, email me at zhang.san@example.com or call +86 139 1234 5678", "2026-11-19"),
        ("5", "收件人：张伟 地址：浙江省杭州市西湖区文三路90号，快递员说找不到", "2026-11-20"),
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "comment", "date", "手机号", "客户姓名", "备注"])
        for rid, text, date in rows:
            w.writerow([rid, text, date, "13700001111", "张伟", "回访邮箱 li.na@example.org"])
    return path


def _leaks(text: str) -> list[str]:
    return [r for r in RAW if r in text]


def _xlsx_text(path) -> str:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    return "\n".join(str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row)


def test_no_raw_identifier_reaches_any_output(runner, tmp_path):
    """Records, flat exports, logs, the store (both tables), the weekly and pain-point reports:
    no identifier from the text or from the other columns survives anywhere."""
    import json

    from voc.cli import main
    from voc.io.store import Store

    src = _pii_export(tmp_path / "pii.csv")
    outs = {}
    for fmt in ("jsonl", "csv", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        res = runner.invoke(main, ["-v", "analyze", str(src), "-o", str(out)])
        assert res.exit_code == 0, res.output
        outs[f"analyze {fmt}"] = _xlsx_text(out) if fmt == "xlsx" else out.read_text(encoding="utf-8-sig")
        outs[f"analyze {fmt} log"] = res.stderr
    recs = [json.loads(line) for line in outs["analyze jsonl"].splitlines()]
    assert len(recs) == 5 and all("pii_masked" in r["flags"] for r in recs)
    assert recs[0]["meta"]["手机号"] == "[PHONE]" and recs[0]["meta"]["客户姓名"] == "[NAME]"

    store = tmp_path / "s.duckdb"
    res = runner.invoke(main, ["-v", "ingest", str(src), "--store", str(store)])
    assert res.exit_code == 0, res.output
    outs["ingest log"] = res.stderr
    with Store(store, read_only=True) as s:
        outs["store"] = json.dumps([s.con.execute(f"SELECT * FROM {t}").fetchall() for t in ("records", "ingests")],
                                   ensure_ascii=False, default=str)
    res = runner.invoke(main, ["weekly", "--store", str(store), "-o", str(tmp_path / "weekly")])
    assert res.exit_code == 0, res.output
    res2 = runner.invoke(main, ["report", str(src), "-o", str(tmp_path / "report"), "--no-topics"])
    assert res2.exit_code == 0, res2.output
    outs["weekly/report logs"] = res.stderr + res2.stderr
    for folder in ("weekly", "report"):
        for f in sorted((tmp_path / folder).iterdir()):
            outs[f"{folder}/{f.name}"] = _xlsx_text(f) if f.suffix == ".xlsx" else f.read_text(encoding="utf-8")
    assert len(outs) == 17
    leaks = {where: _leaks(text) for where, text in outs.items() if _leaks(text)}
    assert not leaks, leaks


def test_no_raw_identifier_reaches_alerts_or_watch_logs(runner, tmp_path):
    import json

    from tests.conftest import SAMPLE
    from voc.cli import main

    lines = []
    for line in (SAMPLE / "chats.jsonl").read_text(encoding="utf-8").splitlines():
        turn = json.loads(line)
        if turn["speaker"] == "customer":
            turn["text"] += " 我的手机13812345678，邮箱zhang.san@example.com，我叫张伟。"
        lines.append(json.dumps(turn, ensure_ascii=False))
    chats = tmp_path / "chats.jsonl"
    chats.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = runner.invoke(main, ["-v", "watch", str(chats)])
    assert res.exit_code == 0, res.output
    alerts = [json.loads(a) for a in res.stdout.splitlines() if a.strip()]
    assert len(alerts) >= 5 and any("[PHONE]" in json.dumps(a, ensure_ascii=False) for a in alerts)
    assert not _leaks(res.stdout) and not _leaks(res.stderr), (_leaks(res.stdout), _leaks(res.stderr))


def test_watch_problem_logs_do_not_echo_raw_fields():
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    line = '{"conversation_id": "c1", "turn_id": "1", "speaker": "张伟 13812345678", "text": "hello"}\n'
    res = subprocess.run([sys.executable, "-m", "voc.cli", "watch"], input=line, capture_output=True, text=True,
                         cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=120)
    assert res.returncode == 0 and "WARNING" in res.stderr and "unknown_speaker #1" in res.stderr, res.stderr
    assert "13812345678" not in res.stderr

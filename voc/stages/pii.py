"""Personal-data masking, applied before anything is analysed, stored, shown or logged.

Structured identifiers only (phones, 身份证号, bank cards, emails): each pattern is validated
beyond its shape (ID checksum, Luhn) so order numbers, prices, dates and quantities stay.
Masking happens *before* analysis, so every evidence offset already indexes the masked text.
"""
from __future__ import annotations

import re

from voc.text import fold

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}(?![A-Za-z])")
# CN mobile: optional +86 / 0086 / (+86), 11 digits starting 13-19, optional separators 3-4-4.
CN_MOBILE = re.compile(r"(?<![\d+])(?:(?:(?:\+|00)86|\(\+?86\))[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
INTL_PHONE = re.compile(r"(?<![\w+])\+(?!86)\d{1,3}[\s-]?(?:\(\d{1,4}\)[\s-]?)?\d{2,4}(?:[\s-]?\d{2,4}){1,3}(?!\d)")
# (400-/800- numbers are company hotlines in China, not a person's number: kept.)
NANP_PHONE = re.compile(r"(?<!\d)(?!400|800)(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?!\d)")
# CN landline: area code 0xx(x), then the local number after "-", or (first digit 2-9, as local
# numbers are) after a space or "(0xx)".
CN_LANDLINE = re.compile(r"(?<![\d(])(?:0\d{2,3}-\d{7,8}|(?:0\d{2,3}\s|\(0\d{2,3}\)\s?)[2-9]\d{2,3}[\s-]?\d{4})(?!\d)")
# 身份证号: region, birth date, sequence, check digit; also written 6-8-4 with single spaces.
CN_ID = re.compile(r"(?<![\dA-Za-z])[1-9]\d{5} ?(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]) ?\d{3}[\dXx](?![\dA-Za-z])")
CARD = re.compile(r"(?<![\dA-Za-z-])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{4}(?:[ -]?\d{1,3})?(?![\dA-Za-z-])")
# Numbers that are not personal data even when they look like a card: say so just before them.
_NOT_PERSONAL_CONTEXT = re.compile(r"(订单|单号|运单|快递单|物流单|工单|交易号|流水号|批次|order|tracking|ticket|invoice|发票|"
                                   r"transaction|reference)(?:\s*(?:number|no\.?|id|#|编号|号码|号))?[^\d]{0,6}$", re.I)
_CARD_CONTEXT = re.compile(r"(卡号|银行卡|信用卡|储蓄卡|借记卡|card|visa|mastercard|unionpay|银联)(?:\s*(?:number|no\.?|#))?[^\d]{0,6}$", re.I)
_ID_CONTEXT = re.compile(r"(身份证|证件|(?<![a-z])id(?![a-z])\s*(?:no|number|card)?)[^\d]{0,6}$", re.I)

# Names and addresses are only masked where the text says what they are ("我叫", "收件人",
# "my name is", "地址"): free-standing names cannot be told from product or place words reliably.
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
ZH_NAME = re.compile(r"(?:我叫|我是|本人|姓名[:：]?|名字[:：]?|收件人[:：]?|联系人[:：]?|客户[:：])\s?([" + _SURNAMES + r"][\u4e00-\u9fff]{1,2})(?=[，,。.\s]|$|的|先生|女士|小姐|电话|手机|，|、)")
EN_NAME = re.compile(r"(?i:my name is|this is|i am|i'm|name:|signed,?|regards,?)\s+([A-Z][a-z]{1,15}(?:\s[A-Z][a-z]{1,20})?)")
ZH_ADDRESS = re.compile(r"(?:地址[:：]?|住在|住址[:：]?|寄到|送到)\s?((?:[\u4e00-\u9fff]{2,6}(?:省|市|区|县|镇|街道))+[\u4e00-\u9fff0-9A-Za-z\-]{0,20}?(?:路|街|道|巷|弄|村|小区|大厦|公寓)[0-9一二三四五六七八九十百]{0,5}(?:号|栋|幢|单元|室)?(?:[0-9]{1,4}(?:号楼|号|室|栋|幢|单元|楼))*(?:(?:(?<=单元)|(?<=[栋幢楼]))[0-9]{2,4}(?![0-9]))?)")
EN_ADDRESS = re.compile(r"\b\d{1,5}\s(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way)\b\.?(?:,?\s(?:Apt|Suite|Unit)\s?\w+)?")
_NOT_NAMES = {"客服", "快递", "商家", "物流", "售后", "经理", "主管", "Not", "The", "So", "Very", "Still", "Just", "Done", "Sorry", "Happy",
              "Support", "Team", "Customer", "Service", "Services", "Sales", "Admin", "Management", "Everyone", "All",
              "Thanks", "Best", "Your", "Our", "My", "It", "This", "That", "Really", "Totally", "Absolutely", "Extremely"}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def cn_id_checksum_ok(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# Cheap gates, each implied by the patterns it guards (so skipping is exact): every number pattern
# but the international one needs at least 10 digits, which most chat turns ("order 12345", "3 天")
# do not have, and the name and address patterns need a hint word or a street word.
_STREET_WORD = re.compile(r"(?i)\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way)\b")


def _find(text: str, original: str) -> list[tuple[int, int, str]]:
    """`text` is the folded view of `original` (same length)."""
    found: list[tuple[int, int, str]] = []
    if "@" in text:
        for m in EMAIL.finditer(text):
            found.append((m.start(), m.end(), "EMAIL"))
    digits = sum(map(str.isdecimal, text))  # str.isdecimal is exactly what \d matches
    if digits >= 10:
        _numbers(text, found)
    if "+" in text:
        for m in INTL_PHONE.finditer(text):
            found.append((m.start(), m.end(), "PHONE"))
    names = _has_name_hint(text)
    street = digits and _STREET_WORD.search(text)
    if names or street:
        cased = "".join(o if f == o.lower() else f for o, f in zip(original, text))  # fold minus lower-casing
        if names:
            _names(cased, found)
        if street:
            for m in EN_ADDRESS.finditer(cased):
                found.append((m.start(), m.end(), "ADDRESS"))
    # Keep the earliest, then longest, non-overlapping matches.
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for f in found:
        if not kept or f[0] >= kept[-1][1]:
            kept.append(f)
    return kept


def _numbers(text: str, found: list) -> None:
    for m in CN_ID.finditer(text):
        before = text[max(0, m.start() - 12):m.start()]
        if cn_id_checksum_ok(m.group().replace(" ", "")) or _ID_CONTEXT.search(before):
            found.append((m.start(), m.end(), "ID"))
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        before = text[max(0, m.start() - 20):m.start()]
        if not 16 <= len(digits) <= 19 or _NOT_PERSONAL_CONTEXT.search(before):
            continue
        # A number that fails Luhn is a card only right after "卡号"/"card": a mistyped card number
        # is still the customer's card.
        if not luhn_ok(digits) and not _CARD_CONTEXT.search(before):
            continue
        # An 18-digit number shaped like a 身份证号 (with a failed checksum) is a card only if the
        # text says so; otherwise 1 in 10 of such ids would pass Luhn by chance.
        if CN_ID.fullmatch(digits) and not _CARD_CONTEXT.search(before):
            continue
        found.append((m.start(), m.end(), "CARD"))
    for rx in (CN_MOBILE, NANP_PHONE, CN_LANDLINE):
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), "PHONE"))


def _names(cased: str, found: list) -> None:
    for rx, kind in ((ZH_NAME, "NAME"), (EN_NAME, "NAME"), (ZH_ADDRESS, "ADDRESS")):
        for m in rx.finditer(cased):
            words = m.group(1).split()
            if m.group(1) in _NOT_NAMES or words[0] in _NOT_NAMES:
                continue
            end = m.end(1) if len(words) < 2 or words[1] not in _NOT_NAMES else m.start(1) + len(words[0])
            found.append((m.start(1), end, kind))


MASK_TOKEN = re.compile(r"\[(?:PHONE|EMAIL|ID|CARD|NAME|ADDRESS)\]")
# Words that must precede a name or address pattern, in folded (lower-case) form. Plain substring
# tests: an alternation regex scanned every text at ~1,000 CPU instructions per character.
_NAME_HINTS = ("我叫", "我是", "本人", "姓名", "名字", "收件人", "联系人", "客户:", "客户：", "先生", "女士", "小姐",
               "地址", "住在", "住址", "寄到", "送到", "my name", "this is", "i am", "i'm", "name:", "signed", "regards")


def _has_name_hint(folded: str) -> bool:
    return any(h in folded for h in _NAME_HINTS)


def blank_masks(text: str) -> str:
    """The same text with mask tokens turned into spaces (same length), so "[PHONE]" is never
    read as English words or lexicon cues."""
    return MASK_TOKEN.sub(lambda m: " " * len(m.group()), text) if "[" in text else text


def find_spans(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping (start, end, kind) spans of personal data in `text`."""
    if not any(map(str.isdigit, text)) and "@" not in text and "＠" not in text and not _has_name_hint(text.lower()):
        return []
    # Find on the folded view (full-width digits, ＠) — same length, so spans carry over.
    return _find(fold(text), text)


def mask(text: str) -> tuple[str, dict[str, int]]:
    """Replace personal data with [PHONE], [EMAIL], [ID], [CARD], [NAME], [ADDRESS]; return the
    text and counts."""
    found = find_spans(text)
    if not found:
        return text, {}
    out, counts, pos = [], {}, 0
    for start, end, kind in found:
        out.append(text[pos:start])
        out.append(f"[{kind}]")
        counts[kind] = counts.get(kind, 0) + 1
        pos = end
    out.append(text[pos:])
    return "".join(out), counts


# Columns whose whole value is personal data, by name (zh / en): a bare "张伟" cell has no cue.
_EN_KIND = r"(?:[a-z]+[\s_-])?{}(?:[\s_-](?:number|no|addr|address))?"
_PII_COLUMN = re.compile(
    r"(?P<PHONE>手机|电话|联系方式|^" + _EN_KIND.format(r"(?:phone|mobile|tel|telephone|cell|whatsapp)") + r"$)|"
    r"(?P<EMAIL>邮箱|^" + _EN_KIND.format(r"e-?mail") + r"$)|"
    r"(?P<ID>身份证|证件号|护照|^(?:id[\s_-]?(?:card|number|no)|passport(?:[\s_-](?:number|no))?|national[\s_-]id)$)|"
    r"(?P<CARD>卡号|银行卡|^(?:card|credit[\s_-]card|bank[\s_-]card)[\s_-](?:number|no)$)|"
    r"(?P<ADDRESS>地址|住址|^(?:[a-z]+[\s_-])?address(?:[\s_-]line[\s_-]?\d)?$)|"
    r"(?P<NAME>姓名|名字|客户名|联系人|收件人|收货人|^(?:(?:customer|contact|full|first|last|given|family|sur)[\s_-]?)?name$)",
    re.I)


def mask_meta(meta: dict) -> dict:
    """The record's other columns, masked: a column named like personal data ("手机号", "email",
    "customer_name") is replaced whole; any other text or number is masked like the feedback text."""
    if not meta:
        return meta
    out = {}
    for key, value in meta.items():
        m = _PII_COLUMN.search(str(key).strip())
        if m and value not in (None, ""):
            out[key] = f"[{m.lastgroup}]"
        elif isinstance(value, str):
            out[key] = mask(value)[0]
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10 ** 6:
            masked = mask(str(value))[0]
            out[key] = value if masked == str(value) else masked
        else:
            out[key] = value
    return out


def mask_record(rec: dict) -> dict:
    """A contract record with its meta masked (the text is masked by the analyzer)."""
    if rec.get("meta"):
        rec = dict(rec, meta=mask_meta(rec["meta"]))
    return rec

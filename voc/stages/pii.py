"""Personal-data masking, applied before anything is analysed, stored, shown or logged.

Structured identifiers only (phones, 身份证号, bank cards, emails): each pattern is validated
beyond its shape (ID checksum, Luhn) so order numbers, prices, dates and quantities stay.
Masking happens *before* analysis, so every evidence offset already indexes the masked text.
"""
from __future__ import annotations

import re

from voc.text import fold

EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}(?![A-Za-z])")
# CN mobile: optional +86 / 0086, 11 digits starting 13-19, optional separators 3-4-4.
CN_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
INTL_PHONE = re.compile(r"(?<![\w+])\+(?!86)\d{1,3}[\s-]?(?:\(\d{1,4}\)[\s-]?)?\d{2,4}(?:[\s-]?\d{2,4}){1,3}(?!\d)")
NANP_PHONE = re.compile(r"(?<!\d)(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?!\d)")
CN_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")
CN_ID = re.compile(r"(?<![\dA-Za-z])[1-9]\d{5}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
CARD = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d{4}){2}[ -]?\d{4}(?:[ -]?\d{1,3})?(?![\d-])")
# Numbers that are not personal data even when they look like a card: say so just before them.
_NOT_PERSONAL_CONTEXT = re.compile(r"(订单|单号|运单|快递单|物流单|工单|order|tracking|ticket|invoice|发票)[^\d]{0,6}$", re.I)
_ID_CONTEXT = re.compile(r"(身份证|证件|id\s*(?:no|number|card)?)[^\d]{0,6}$", re.I)

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


def _find(text: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for m in EMAIL.finditer(text):
        found.append((m.start(), m.end(), "EMAIL"))
    for m in CN_ID.finditer(text):
        before = text[max(0, m.start() - 12):m.start()]
        if cn_id_checksum_ok(m.group()) or _ID_CONTEXT.search(before):
            found.append((m.start(), m.end(), "ID"))
    for m in CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        before = text[max(0, m.start() - 12):m.start()]
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and not _NOT_PERSONAL_CONTEXT.search(before):
            found.append((m.start(), m.end(), "CARD"))
    for rx in (CN_MOBILE, INTL_PHONE, NANP_PHONE, CN_LANDLINE):
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), "PHONE"))
    # Keep the earliest, then longest, non-overlapping matches.
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, str]] = []
    for f in found:
        if not kept or f[0] >= kept[-1][1]:
            kept.append(f)
    return kept


MASK_TOKEN = re.compile(r"\[(?:PHONE|EMAIL|ID|CARD)\]")


def blank_masks(text: str) -> str:
    """The same text with mask tokens turned into spaces (same length), so "[PHONE]" is never
    read as English words or lexicon cues."""
    return MASK_TOKEN.sub(lambda m: " " * len(m.group()), text) if "[" in text else text


def mask(text: str) -> tuple[str, dict[str, int]]:
    """Replace personal data with [PHONE], [EMAIL], [ID], [CARD]; return the text and counts."""
    if not any(ch.isdigit() or ch in "@＠" for ch in text):
        return text, {}
    # Find on the folded view (full-width digits, ＠) — same length, so spans carry over.
    found = _find(fold(text))
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

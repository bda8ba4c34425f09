"""PII masking benchmark on synthetic but realistic zh/en feedback (seeded, generated here).

    .venv/bin/python benchmarks/pii.py [--n 3000]

Each text embeds zero or more personal identifiers (gold spans) among business numbers that must
stay (order and tracking numbers, prices, dates, quantities, Luhn-invalid 16-digit codes, 身份证-like
numbers without a valid checksum or an ID context). Recall: share of gold spans fully masked, per
type. Precision: share of masked spans that cover a gold span.
"""
from __future__ import annotations

import argparse
import random
import string
from collections import Counter

from voc.stages.pii import cn_id_checksum_ok, find_spans, luhn_ok

STRUCTURED = {"PHONE", "EMAIL", "ID", "CARD"}


def cn_mobile(r):
    n = "1" + r.choice("3456789") + "".join(r.choice(string.digits) for _ in range(9))
    style = r.random()
    if style < 0.5:
        return n
    if style < 0.7:
        return f"{n[:3]}-{n[3:7]}-{n[7:]}"
    if style < 0.85:
        return f"+86 {n}"
    return f"{n[:3]} {n[3:7]} {n[7:]}"


def intl_phone(r):
    return r.choice([f"+44 20 {r.randint(1000, 9999)} {r.randint(1000, 9999)}",
                     f"+1 {r.randint(200, 999)}-{r.randint(200, 999)}-{r.randint(1000, 9999)}",
                     f"({r.randint(200, 999)}) {r.randint(200, 999)}-{r.randint(1000, 9999)}",
                     f"+65 {r.randint(6000, 9999)} {r.randint(1000, 9999)}"])


def cn_id(r, valid=True):
    region = str(r.randint(110000, 659000))
    birth = f"{r.randint(1950, 2005)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    body = region + birth + f"{r.randint(0, 999):03d}"
    for check in "0123456789X":
        if cn_id_checksum_ok(body + check) == valid:
            return body + check
    return body + "0"


def card(r, valid=True):
    while True:
        digits = r.choice(["4", "5", "62"]) + "".join(r.choice(string.digits) for _ in range(15))
        digits = digits[:16]
        if luhn_ok(digits) == valid:
            break
    return " ".join(digits[i:i + 4] for i in range(0, 16, 4)) if r.random() < 0.4 else digits


def email(r):
    user = "".join(r.choice(string.ascii_lowercase) for _ in range(r.randint(3, 9)))
    sep = r.choice(["", ".", "_"])
    return f"{user}{sep}{r.randint(1, 99)}@{r.choice(['qq.com', '163.com', 'gmail.com', 'example.com', 'outlook.com'])}"


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华"
EN_FIRST = ["John", "Emily", "Michael", "Sarah", "David", "Laura", "James", "Anna"]
EN_LAST = ["Smith", "Brown", "Taylor", "Wilson", "Clark", "Lewis", "Walker", "Young"]


def zh_name(r):
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.randint(1, 2)))


def zh_address(r):
    return (r.choice(["浙江省杭州市", "广东省深圳市", "北京市", "上海市", "江苏省南京市"]) + r.choice(["西湖区", "南山区", "朝阳区", "浦东新区", "鼓楼区"])
            + r.choice(["文三路", "科技园路", "建国路", "世纪大道", "中山路"]) + f"{r.randint(1, 999)}号")


def en_address(r):
    return f"{r.randint(1, 9999)} {r.choice(['Baker', 'Oak', 'Maple', 'Market', 'Elm'])} {r.choice(['Street', 'Avenue', 'Road', 'Lane'])}"


# (template, kind, generator) -- templates hold one {x} slot for the identifier.
PII_TEMPLATES = [
    ("快递一直没到，我的电话{x}，请尽快联系", "PHONE", cn_mobile), ("call me back on {x}, nobody replied", "PHONE", intl_phone),
    ("客服说会回电，号码是{x}，结果没人打", "PHONE", cn_mobile), ("my number {x} was charged twice", "PHONE", intl_phone),
    ("身份证号{x}，实名认证一直失败", "ID", cn_id), ("实名认证时填了{x}还是提示错误", "ID", cn_id),
    ("我的身份证 {x} 被冒用开了会员", "ID", lambda r: cn_id(r, valid=False)),
    ("卡号{x}被扣了两次款", "CARD", card), ("refund went to card {x} but never arrived", "CARD", card),
    ("银行卡 {x} 莫名被扣费", "CARD", card),
    ("邮箱{x}一直收不到验证码", "EMAIL", email), ("please email me at {x} about the refund", "EMAIL", email),
    ("发票请发到{x}", "EMAIL", email),
    ("我叫{x}，三天前下的单还没发货", "NAME", zh_name), ("收件人：{x}，包裹被放到了驿站", "NAME", zh_name),
    ("My name is {x} and the courier was rude", "NAME", lambda r: f"{r.choice(EN_FIRST)} {r.choice(EN_LAST)}"),
    ("地址：{x}，快递员说找不到", "ADDRESS", zh_address), ("they delivered to {x} instead of my house", "ADDRESS", en_address),
]
BUSINESS = [
    lambda r: f"订单号{r.randint(10 ** 14, 10 ** 15 - 1)}还没发货", lambda r: f"order #{r.randint(10 ** 6, 10 ** 8)} cost ${r.randint(10, 999)}.99",
    lambda r: f"花了¥{r.randint(20, 3000)}，用了{r.randint(2, 9)}天就坏了", lambda r: f"{r.randint(2025, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}下单，等了{r.randint(3, 15)}天",
    lambda r: f"运单号SF{r.randint(10 ** 11, 10 ** 12 - 1)}一直没更新", lambda r: f"product code {card(r, valid=False).replace(' ', '')} is wrong",
    lambda r: f"编号{cn_id(r, valid=False)}的工单没人处理", lambda r: f"买了{r.randint(2, 12)}件，少发了{r.randint(1, 2)}件",
    lambda r: f"工单号{r.randint(10 ** 9, 10 ** 10 - 1)}，已经第{r.randint(2, 6)}次反映了", lambda r: f"waited {r.randint(20, 90)} minutes on hold at 10:{r.randint(10, 59)}",
    lambda r: "王先生的店服务很好", lambda r: "This is the worst service, I am done",
]


def make_case(r) -> tuple[str, list[tuple[int, int, str]]]:
    gold, text = [], ""
    for _ in range(r.randint(1, 3)):
        if r.random() < 0.6:
            tpl, kind, gen = r.choice(PII_TEMPLATES)
            value = gen(r)
            before, after = tpl.split("{x}")
            start = len(text) + len(before)
            text += before + value + after
            gold.append((start, start + len(value), kind))
        else:
            text += r.choice(BUSINESS)(r)
        text += r.choice(["。", "，", ". ", "! "])
    return text, gold


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    r = random.Random(args.seed)
    caught, total, tp_spans, pred_spans = Counter(), Counter(), 0, 0
    misses, false_pos = [], []
    for _ in range(args.n):
        text, gold = make_case(r)
        kept = find_spans(text)
        for gs, ge, kind in gold:
            total[kind] += 1
            if any(s <= gs and ge <= e for s, e, _ in kept):
                caught[kind] += 1
            elif len(misses) < 8:
                misses.append((kind, text[gs:ge], text))
        for s, e, kind in kept:
            pred_spans += 1
            if any(s < ge and gs < e for gs, ge, _ in gold):
                tp_spans += 1
            elif len(false_pos) < 8:
                false_pos.append((kind, text[s:e], text))
    print(f"PII benchmark: {args.n} synthetic texts (seed {args.seed})\n")
    print("| type | gold spans | recall |\n|---|---:|---:|")
    for kind in sorted(total):
        print(f"| {kind} | {total[kind]} | {caught[kind] / total[kind]:.3f} |")
    s_tot = sum(total[k] for k in STRUCTURED)
    s_hit = sum(caught[k] for k in STRUCTURED)
    print(f"| **structured (phone, email, ID, card)** | {s_tot} | **{s_hit / s_tot:.3f}** |")
    print(f"\nprecision (masked spans that are personal data): {tp_spans}/{pred_spans} = **{tp_spans / max(1, pred_spans):.3f}**")
    for title, rows in (("misses", misses), ("false positives", false_pos)):
        if rows:
            print(f"\n{title} (first {len(rows)}):")
            for kind, span, text in rows:
                print(f"  {kind}: {span!r} in {text!r}")


if __name__ == "__main__":
    main()

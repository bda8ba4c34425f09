"""PII masking benchmark on synthetic zh / en / code-mixed feedback (seeded, generated here).

    .venv/bin/python benchmarks/pii.py [--n 4000] [--seed 11] [--check]

Each text joins one to three snippets. A PII snippet embeds one identifier (a gold span) in a
template written the way customers write in tickets, chats and reviews; a business snippet holds
numbers that must stay (order, tracking, ticket, invoice and transaction numbers, prices, dates,
times, versions, quantities, Luhn-invalid codes, 身份证-shaped numbers with a bad checksum and no
ID context, names that are shop or brand words). Surface forms: CN mobiles plain / 3-4-4 with
spaces or hyphens / +86 / 0086 / (+86) / full-width digits; landlines with area codes; foreign
numbers; 身份证号 with valid checksums (digit or X/x, plain or 6-8-4 spaced) and *invalid*
checksums; cards of 16 and 19 digits, grouped by spaces or hyphens; emails; zh and en addresses;
names after common cues.

Decisions the benchmark scores (the product's, stated in SECURITY.md):
- a 身份证-shaped number with an invalid checksum is masked as [ID] only when the text says it is an
  ID ("身份证", "证件号", "ID number"): a mistyped ID is still the customer's ID. Without such a
  cue it is kept (it is scored as a negative: masking it is a false positive);
- a 16-19 digit number that fails Luhn is masked as [CARD] only after a card cue ("卡号",
  "银行卡", "card number"); without one it is kept.

Recall: share of gold spans fully covered by masked spans. Precision: share of masked spans that
overlap a gold span. Negatives: share of business snippets left untouched, per kind.
The generator and the masker are written by the same project: this is a regression benchmark that
spans the surface forms above, not an estimate of recall on real customer text.
"""
from __future__ import annotations

import argparse
import random
import string
import sys
from collections import Counter, defaultdict

from voc.stages.pii import cn_id_checksum_ok, find_spans, luhn_ok

STRUCTURED = ("PHONE", "EMAIL", "ID", "CARD")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


# ----------------------------------------------------------------------------- identifiers
def digits(r, n):
    return "".join(r.choice(string.digits) for _ in range(n))


def cn_mobile(r):
    n = "1" + r.choice("3456789") + digits(r, 9)
    a, b, c = n[:3], n[3:7], n[7:]
    form = r.choice(["plain", "plain", "space", "hyphen", "+86", "+86 ", "+86-", "0086", "(+86)", "+86 space",
                     "fullwidth"])
    return {"plain": n, "space": f"{a} {b} {c}", "hyphen": f"{a}-{b}-{c}", "+86": f"+86{n}",
            "+86 ": f"+86 {n}", "+86-": f"+86-{a}-{b}-{c}", "0086": f"0086 {n}", "(+86)": f"(+86){n}",
            "+86 space": f"+86 {a} {b} {c}", "fullwidth": n.translate(FULLWIDTH)}[form]


def cn_landline(r):
    area = r.choice(["010", "021", "020", "0755", "0571", "028", "027"])
    local = r.choice("2345678") + digits(r, (8 if len(area) == 3 else r.choice([7, 8])) - 1)  # never 0/1 first
    return r.choice([f"{area}-{local}", f"({area}){local}", f"{area} {local}"])


def intl_phone(r):
    return r.choice([f"+44 20 {r.randint(1000, 9999)} {r.randint(1000, 9999)}",
                     f"+1 {r.randint(200, 999)}-{r.randint(200, 999)}-{r.randint(1000, 9999)}",
                     f"({r.randint(200, 999)}) {r.randint(200, 999)}-{r.randint(1000, 9999)}",
                     f"{r.randint(200, 999)}-{r.randint(200, 999)}-{r.randint(1000, 9999)}",
                     f"+65 {r.randint(6000, 9999)} {r.randint(1000, 9999)}",
                     f"+852 {r.randint(5000, 9999)} {r.randint(1000, 9999)}"])


def _id_body(r):
    region = r.choice(["110105", "310104", "440305", "330106", "320102", "510107", "420106", "610113"])
    birth = f"{r.randint(1950, 2008)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}"
    return region + birth + digits(r, 3)


def cn_id(r, valid=True):
    while True:
        body = _id_body(r)
        checks = [c for c in "0123456789X" if cn_id_checksum_ok(body + c) == valid]
        number = body + r.choice(checks)
        if valid and number.endswith("X") and r.random() < 0.3:
            number = number[:-1] + "x"
        if r.random() < 0.1:
            number = f"{number[:6]} {number[6:14]} {number[14:]}"
        return number


def _luhn_digits(r, n, valid, prefix):
    while True:
        d = prefix + digits(r, n - len(prefix))
        if luhn_ok(d) == valid:
            return d


def card(r, valid=True):
    n, prefix = r.choice([(16, "4"), (16, "5"), (16, "62"), (19, "62")])
    d = _luhn_digits(r, n, valid, prefix)
    style = r.random()
    if style < 0.35:
        return " ".join(d[i:i + 4] for i in range(0, n, 4))
    if style < 0.45:
        return "-".join(d[i:i + 4] for i in range(0, n, 4))
    return d


def email(r):
    user = "".join(r.choice(string.ascii_lowercase) for _ in range(r.randint(3, 9)))
    user += r.choice(["", ".", "_", "+shop", ""]) + (str(r.randint(1, 99)) if r.random() < 0.6 else "")
    if r.random() < 0.1:
        user = user.capitalize()
    dom = r.choice(["qq.com", "163.com", "126.com", "gmail.com", "outlook.com", "sina.com.cn", "example.co.uk",
                    "corp.example.com"])
    return f"{user}@{dom}"


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀英华平刚桂兰红霞鹏飞"
EN_FIRST = ["John", "Emily", "Michael", "Sarah", "David", "Laura", "James", "Anna", "Kevin", "Grace"]
EN_LAST = ["Smith", "Brown", "Taylor", "Wilson", "Clark", "Lewis", "Walker", "Young", "Chen", "Wong"]


def zh_name(r):
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.randint(1, 2)))


def en_name(r, full=None):
    full = r.random() < 0.6 if full is None else full
    return f"{r.choice(EN_FIRST)} {r.choice(EN_LAST)}" if full else r.choice(EN_FIRST)


def zh_address(r):
    city = r.choice(["浙江省杭州市西湖区", "广东省深圳市南山区", "北京市朝阳区", "上海市浦东新区", "江苏省南京市鼓楼区",
                     "四川省成都市武侯区", "湖北省武汉市洪山区"])
    road = r.choice(["文三路", "科技园路", "建国路", "世纪大道", "中山路", "人民南路", "珞喻路"])
    tail = r.choice([f"{r.randint(1, 999)}号", f"{r.randint(1, 999)}号{r.randint(1, 30)}栋{r.randint(101, 2508)}室",
                     f"{r.randint(1, 999)}号{r.randint(1, 9)}单元{r.randint(101, 1808)}"])
    return city + road + tail


def en_address(r):
    street = f"{r.randint(1, 9999)} {r.choice(['Baker', 'Oak', 'Maple', 'Market', 'Elm', 'King'])} " \
             f"{r.choice(['Street', 'Avenue', 'Road', 'Lane', 'Drive', 'St', 'Rd'])}"
    return street + (f", Apt {r.randint(1, 40)}{r.choice('ABCD')}" if r.random() < 0.3 else "")


# (template, kind, generator): one {x} slot for the identifier; zh, en and code-mixed.
PII_TEMPLATES = [
    ("快递一直没到，我的电话{x}，请尽快联系", "PHONE", cn_mobile),
    ("客服说会回电，号码是{x}，结果没人打", "PHONE", cn_mobile),
    ("手机号：{x}，收不到验证码", "PHONE", cn_mobile),
    ("有问题打{x}找我", "PHONE", cn_mobile),
    ("call我 {x}，wechat同号", "PHONE", cn_mobile),
    ("please call me on {x}, nobody replied", "PHONE", cn_mobile),
    ("座机{x}一直占线", "PHONE", cn_landline),
    ("公司电话 {x}，工作日找我", "PHONE", cn_landline),
    ("call me back on {x}, nobody replied", "PHONE", intl_phone),
    ("my number {x} was charged twice", "PHONE", intl_phone),
    ("身份证号{x}，实名认证一直失败", "ID", cn_id),
    ("实名认证时填了{x}还是提示错误", "ID", cn_id),
    ("证件号码：{x}，帮我查一下", "ID", cn_id),
    ("my ID number {x} was rejected by the app", "ID", cn_id),
    ("我的身份证 {x} 被冒用开了会员", "ID", lambda r: cn_id(r, valid=False)),   # invalid checksum, said to be an ID
    ("身份证号码{x}是不是输错了", "ID", lambda r: cn_id(r, valid=False)),
    ("卡号{x}被扣了两次款", "CARD", card),
    ("refund went to card {x} but never arrived", "CARD", card),
    ("银行卡 {x} 莫名被扣费", "CARD", card),
    ("用尾号不同的卡{x}付的款", "CARD", card),
    ("paid with {x} and got charged twice", "CARD", card),
    ("退款到{x}这张卡了吗", "CARD", card),
    ("卡号 {x} 是不是填错了", "CARD", lambda r: card(r, valid=False)),       # Luhn fails, said to be a card
    ("邮箱{x}一直收不到验证码", "EMAIL", email),
    ("please email me at {x} about the refund", "EMAIL", email),
    ("发票请发到{x}", "EMAIL", email),
    ("我的email是{x}，发个confirmation", "EMAIL", email),
    ("我叫{x}，三天前下的单还没发货", "NAME", zh_name),
    ("收件人：{x}，包裹被放到了驿站", "NAME", zh_name),
    ("本人{x}，要求退款", "NAME", zh_name),
    ("联系人：{x} 电话打不通", "NAME", zh_name),
    ("My name is {x} and the courier was rude", "NAME", en_name),
    ("Regards, {x}", "NAME", en_name),
    ("Hi, this is {x}, I ordered a blender last week", "NAME", en_name),
    ("地址：{x}，快递员说找不到", "ADDRESS", zh_address),
    ("寄到{x}，结果显示签收了", "ADDRESS", zh_address),
    ("they delivered to {x} instead of my house", "ADDRESS", en_address),
    ("my address is {x}, please resend", "ADDRESS", en_address),
]


def _order_no(r):
    return r.choice([str(r.randint(10 ** 14, 10 ** 15 - 1)), str(r.randint(10 ** 17, 10 ** 19 - 1)),
                     str(r.randint(2 * 10 ** 11, 3 * 10 ** 11))])


# Business snippets: (kind, generator). Nothing in them is personal data.
BUSINESS = [
    ("order number", lambda r: f"订单号{_order_no(r)}还没发货"),
    ("order number", lambda r: f"订单编号：{_order_no(r)}，申请退款三天了"),
    ("order number", lambda r: f"order #{r.randint(10 ** 6, 10 ** 8)} cost ${r.randint(10, 999)}.99"),
    ("order number", lambda r: f"order number {_luhn_digits(r, 16, True, '4')} never shipped"),
    ("order number", lambda r: f"淘宝订单{_luhn_digits(r, 19, True, '3')}一直显示待发货"),
    ("tracking number", lambda r: f"运单号SF{digits(r, 12)}一直没更新"),
    ("tracking number", lambda r: f"中通快递单号75{digits(r, 12)}，三天没动"),
    ("tracking number", lambda r: f"圆通YT{digits(r, 13)}显示已签收"),
    ("tracking number", lambda r: f"tracking number 1Z{digits(r, 16)} shows delivered"),
    ("tracking number", lambda r: f"EMS单号E{r.choice('ABCM')}{digits(r, 9)}CN查不到"),
    ("ticket number", lambda r: f"工单号{r.randint(10 ** 9, 10 ** 10 - 1)}，已经第{r.randint(2, 6)}次反映了"),
    ("ticket number", lambda r: f"工单GD{r.randint(2025, 2026)}{r.randint(1, 12):02d}{r.randint(1, 28):02d}-{digits(r, 4)}被关闭了"),
    ("invoice number", lambda r: f"发票号码{digits(r, 8)}，发票代码0{digits(r, 11)}"),
    ("transaction number", lambda r: f"支付宝交易号2026{digits(r, 24)}"),
    ("transaction number", lambda r: f"退款流水号4200{digits(r, 24)}还没到账"),
    ("price", lambda r: f"花了¥{r.randint(20, 3000)}，用了{r.randint(2, 9)}天就坏了"),
    ("price", lambda r: f"paid ${r.randint(1, 9)},{r.randint(100, 999)}.00 for {r.randint(2, 5)} units"),
    ("price", lambda r: f"退了{r.randint(1000, 99999)}.{r.randint(10, 99)}元，还差{r.randint(1, 99)}元"),
    ("date", lambda r: f"{r.randint(2025, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}下单，等了{r.randint(3, 15)}天"),
    ("date", lambda r: f"{r.randint(2025, 2026)}/{r.randint(1, 12):02d}/{r.randint(1, 28):02d} {r.randint(0, 23):02d}:{r.randint(0, 59):02d} 提交的申请"),
    ("date", lambda r: f"{r.randint(1, 12)}月{r.randint(1, 28)}日到{r.randint(1, 12)}月{r.randint(1, 28)}日都没人管"),
    ("date", lambda r: f"since {r.randint(20250101, 20261231)} nothing happened"),
    ("time", lambda r: f"waited {r.randint(20, 90)} minutes on hold at 10:{r.randint(10, 59)}"),
    ("version", lambda r: f"升级到{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 99)}版本后闪退"),
    ("quantity", lambda r: f"买了{r.randint(2, 12)}件，少发了{r.randint(1, 2)}件"),
    ("company hotline", lambda r: r.choice([f"客服热线400-{r.randint(100, 999)}-{r.randint(1000, 9999)}打不通",
                                            f"call 800-{r.randint(100, 999)}-{r.randint(1000, 9999)} and nobody answers",
                                            "打10086没用", "95588一直占线", f"拨打12315投诉了"])),
    ("product code", lambda r: f"product code {_luhn_digits(r, 16, False, '4')} is wrong"),
    ("product code", lambda r: f"型号{r.choice(['RX', 'P', 'K'])}-{r.randint(100, 9999)}，SKU {digits(r, 13)}"),
    ("ID-shaped, no ID cue", lambda r: f"编号{cn_id(r, valid=False).replace(' ', '')}的工单没人处理"),
    ("ID-shaped, no ID cue", lambda r: f"批次号{cn_id(r, valid=False).replace(' ', '')}的货有问题"),
    ("non-name words", lambda r: r.choice(["王先生的店服务很好", "This is the worst service, I am done",
                                           "联系人：客服", "我是老客户了", "I am Very angry", "客户：不满意",
                                           "Regards, Support Team", "我叫了三次客服都没人理"])),
]


def make_case(r) -> tuple[str, list[tuple[int, int, str]], list[tuple[int, int, str]]]:
    """The text, its gold PII spans, and its business spans (kind)."""
    gold, business, text = [], [], ""
    for _ in range(r.randint(1, 3)):
        if r.random() < 0.55:
            tpl, kind, gen = r.choice(PII_TEMPLATES)
            value = gen(r)
            before, after = tpl.split("{x}")
            start = len(text) + len(before)
            text += before + value + after
            gold.append((start, start + len(value), kind))
        else:
            kind, gen = r.choice(BUSINESS)
            snippet = gen(r)
            business.append((len(text), len(text) + len(snippet), kind))
            text += snippet
        text += r.choice(["。", "，", ". ", "! ", "；", " "])
    return text, gold, business


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--check", action="store_true", help="exit 1 unless structured recall >= 0.98, "
                    "precision >= 0.95 and every business kind stays >= 0.95 untouched")
    args = ap.parse_args()
    r = random.Random(args.seed)
    caught, total = Counter(), Counter()
    pred, pred_ok = Counter(), Counter()
    biz, biz_ok = Counter(), Counter()
    examples: dict[str, list] = defaultdict(list)
    for _ in range(args.n):
        text, gold, business = make_case(r)
        kept = find_spans(text)
        for gs, ge, kind in gold:
            total[kind] += 1
            covered = [k for s, e, k in kept if s <= gs and ge <= e]
            if covered:
                caught[kind] += 1
            elif len(examples["miss " + kind]) < 4:
                examples["miss " + kind].append((text[gs:ge], text))
        for s, e, kind in kept:
            pred[kind] += 1
            if any(s < ge and gs < e for gs, ge, _ in gold):
                pred_ok[kind] += 1
            elif len(examples["false " + kind]) < 4:
                examples["false " + kind].append((text[s:e], text))
        for bs, be, kind in business:
            biz[kind] += 1
            if not any(s < be and bs < e for s, e, _ in kept):
                biz_ok[kind] += 1
    print(f"PII benchmark: {args.n} synthetic zh/en/mixed texts (seed {args.seed})\n")
    print("| type | gold spans | recall | masked spans | precision |\n|---|---:|---:|---:|---:|")
    for kind in ("PHONE", "EMAIL", "ID", "CARD", "NAME", "ADDRESS"):
        rec = caught[kind] / total[kind] if total[kind] else float("nan")
        prec = pred_ok[kind] / pred[kind] if pred[kind] else float("nan")
        print(f"| {kind} | {total[kind]} | {rec:.3f} | {pred[kind]} | {prec:.3f} |")
    s_tot, s_hit = sum(total[k] for k in STRUCTURED), sum(caught[k] for k in STRUCTURED)
    s_pred, s_ok = sum(pred[k] for k in STRUCTURED), sum(pred_ok[k] for k in STRUCTURED)
    all_pred, all_ok = sum(pred.values()), sum(pred_ok.values())
    print(f"| **structured (phone, email, ID, card)** | {s_tot} | **{s_hit / s_tot:.3f}** | {s_pred} | "
          f"**{s_ok / max(1, s_pred):.3f}** |")
    print(f"| **all** | {sum(total.values())} | {sum(caught.values()) / sum(total.values()):.3f} | {all_pred} | "
          f"**{all_ok / max(1, all_pred):.3f}** |")
    print("\n| business numbers that must stay | snippets | left untouched |\n|---|---:|---:|")
    for kind in sorted(biz):
        print(f"| {kind} | {biz[kind]} | {biz_ok[kind] / biz[kind]:.3f} |")
    for title, rows in sorted(examples.items()):
        print(f"\n{title}:")
        for span, text in rows:
            print(f"  {span!r} in {text!r}")
    ok = (s_hit / s_tot >= 0.98 and all_ok / max(1, all_pred) >= 0.95
          and all(biz_ok[k] / biz[k] >= 0.95 for k in biz))
    print(f"\nthresholds (structured recall >= 0.98, precision >= 0.95, business kept >= 0.95): "
          f"{'met' if ok else 'NOT met'}")
    return 0 if ok or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())

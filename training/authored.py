"""Sentences written for this project (no outside source): customer-service wording that the public
permissive corpora lack (food delivery, e-commerce, airline, telecom, bank, apps), in zh, en and
code-mixed form, with a neutral class (questions and requests) that the zh corpora do not have.

Short templates are combined deterministically: every aspect appears with positive, negative and
neutral wording, so the model learns the evaluation words, not the topic words.
"""
from __future__ import annotations

import itertools
import random

NEG, NEU, POS = 0, 1, 2

ZH_ASPECTS = ["味道", "菜", "饭菜", "分量", "送餐速度", "配送", "骑手", "外卖小哥", "包装", "商家", "质量", "物流",
              "快递", "客服", "做工", "尺码", "颜色", "价格", "服务", "态度", "信号", "网速", "套餐", "航班",
              "工作人员", "空姐", "柜台", "app", "系统", "售后", "产品", "衣服", "手机", "面料", "电池", "屏幕"]
ZH_POS = ["很好", "不错", "挺好的", "非常好", "非常满意", "很满意", "很棒", "超级棒", "没得说", "很给力", "真心不错",
          "很赞", "很贴心", "很专业", "很热情", "很耐心", "很及时", "很快", "特别快", "超出预期", "一如既往的好",
          "比想象中好", "好评", "很舒服", "很稳定", "很划算", "物美价廉", "很靠谱", "让人放心", "无可挑剔",
          "一点都不差", "没什么问题", "值得推荐", "还会再来", "挺满意的", "真的可以", "太赞了", "相当可以"]
ZH_NEG = ["很差", "太差了", "不好", "不行", "非常失望", "很失望", "太慢了", "慢得要死", "一般般", "不怎么样",
          "差劲", "很烂", "太烂了", "有问题", "出问题了", "太敷衍了", "很不耐烦", "态度恶劣", "一点都不好",
          "没有想象中好", "和描述不符", "让人失望", "不推荐", "真的无语", "太坑了", "不值这个价", "越来越差",
          "有待提高", "很糟糕", "简直垃圾", "不太满意", "不满意", "很不专业", "很不稳定", "太贵了", "不太行"]
ZH_POS_FULL = [
    "送餐很快，味道也不错", "准时送达，饭菜还是热的", "分量足，味道好，下次还点", "小哥送得很快，态度也好",
    "包装很严实，一点没洒", "菜很新鲜，口味正宗", "性价比很高，会回购的", "客服很耐心地帮我解决了问题",
    "问题很快就解决了，谢谢", "物流超快，第二天就到了", "质量很好，跟描述的一样", "尺码标准，穿着很舒服",
    "航班准点，空乘服务周到", "工作人员很热情，帮了大忙", "信号稳定，网速也快", "退款很快到账了",
    "一直在这家买，从来没失望过", "没想到这么好吃", "比实体店便宜还好", "非常满意的一次购物",
    "还可以，下次还会买", "总体来说挺好的", "不错不错，给个好评", "东西收到了，很喜欢", "老板人很好，推荐",
    "好吃到停不下来", "这个价格能买到这样的质量，值了", "客服回复很及时", "安装师傅很专业", "五星好评！",
    "不是一般的好吃", "没有任何问题，很满意", "完全没有异味，很放心", "不会让人失望", "谁用谁知道，真的好",
]
ZH_NEG_FULL = [
    "送了两个小时才到，饭都凉了", "等了一个多小时还没送到", "菜太咸了，根本没法吃", "分量太少了，吃不饱",
    "汤洒了一袋子", "少送了一份饭，打电话也没人接", "米饭是夹生的", "吃完拉肚子了", "里面有头发，恶心",
    "骑手态度很差，还让我自己下楼拿", "点了辣的送来不辣", "包装破了，漏得到处都是", "菜都不新鲜，有股怪味",
    "收到的货和图片完全不一样", "用了两天就坏了", "质量太差，一洗就掉色", "快递太慢了，一个星期才到",
    "客服一直推脱，问题到现在也没解决", "打了三次电话都没人处理", "退款申请了半个月还没到账", "航班延误了五个小时，也没人解释",
    "行李丢了，到现在没有消息", "信号太差了，电话都打不出去", "扣了我的话费也不说明原因", "app更新以后老是闪退",
    "登录不上，验证码一直收不到", "再也不会在这家买了", "千万别买，上当了", "说好的赠品也没有", "和描述严重不符，差评",
    "味道一般，不会再点了", "不好吃，还贵", "没有以前好吃了", "越来越难吃了", "等了半天，送来的还是错的",
    "这服务态度也太差了吧", "什么破东西，用一次就坏", "还能再慢一点吗", "说是半小时送到，结果一个半小时",
    "不是很好吃，有点失望", "太难吃了，全倒了", "打电话给客服，只会说抱歉", "这是我吃过最难吃的外卖",
]
ZH_NEU = [
    "请问什么时候发货", "我想咨询一下退货流程", "怎么修改收货地址", "可以开发票吗", "大概几点能送到",
    "我的快递到哪了", "请问这个有优惠吗", "怎么办理停机保号", "请问航班几点起飞", "行李额度是多少",
    "怎么查询话费余额", "信用卡怎么激活", "我要改签明天的航班", "请帮我查一下订单", "这款有没有大一号的",
    "能不能换个颜色", "订单号已经私信给你们了", "请问在哪里可以看到物流信息", "我想取消订单", "怎么联系售后",
    "周末营业吗", "可以货到付款吗", "请问怎么绑定银行卡", "积分怎么兑换", "我想了解一下这个套餐",
    "这个尺码偏大还是偏小", "今天下单明天能到吗", "请问支持七天无理由退货吗", "已经收到了", "我下午在家",
    "麻烦放在门口", "明天再说吧", "好的，我知道了", "这个是什么材质的", "有没有发票",
]
EN_ASPECTS = ["the food", "the delivery", "the driver", "the packaging", "the service", "customer service",
              "the staff", "the flight", "the crew", "the agent", "the app", "the website", "the product",
              "the quality", "the price", "shipping", "support", "the checkout", "the seat", "the room",
              "the battery", "the signal", "the refund process", "my order"]
EN_POS = ["was great", "was excellent", "was amazing", "was really good", "was fast", "was friendly",
          "was super helpful", "was on time", "was perfect", "exceeded my expectations", "was better than expected",
          "was smooth", "was easy", "was worth it", "was fantastic", "was awesome", "was not bad at all",
          "works perfectly", "was quick and painless", "was top notch", "was lovely", "was spot on"]
EN_NEG = ["was terrible", "was awful", "was horrible", "was really bad", "was slow", "was rude", "was useless",
          "was late", "was a disaster", "was a joke", "was disappointing", "was not good", "was not great",
          "was worse than expected", "was broken", "was a nightmare", "keeps crashing", "never showed up",
          "was a waste of money", "was unacceptable", "was not what i ordered", "was a total mess"]
EN_POS_FULL = [
    "thank you so much for the quick help", "thanks for sorting this out so fast", "great service as always",
    "the crew were lovely and the flight was on time", "my refund came through, thank you", "love the new update",
    "fast delivery and the food was still hot", "the agent fixed my issue in minutes", "best customer service ever",
    "really appreciate your help today", "smooth check in, friendly staff", "everything arrived on time and in perfect condition",
    "you guys rock", "so happy with my purchase", "problem solved, thanks a lot", "highly recommend this place",
    "couldn't be happier", "no complaints at all", "nothing to complain about", "i will definitely order again",
    "kudos to the team", "five stars", "the driver was so kind", "impressed with how quickly you responded",
    "thanks for the upgrade", "it was a pleasure flying with you", "good job", "well done", "love it",
]
EN_NEG_FULL = [
    "my flight was delayed three hours and nobody told us anything", "still waiting for my refund after two weeks",
    "been on hold for an hour", "lost my luggage and no one will help", "the order arrived cold and late",
    "they cancelled my flight and rebooked me two days later", "the app keeps crashing when i try to pay",
    "worst customer service i have ever experienced", "i want to speak to a manager", "this is ridiculous",
    "i have called five times and nobody can help", "you charged me twice", "never flying with you again",
    "the driver never showed up", "half my order was missing", "the package was damaged", "nobody answers the phone",
    "i am so done with this company", "what a waste of time", "completely useless support", "thanks for nothing",
    "the food was cold and soggy", "missed my connection because of your delay", "the seat was broken",
    "why is it so hard to get a refund", "they lied to me", "absolutely terrible experience", "i am very disappointed",
    "not happy at all", "not worth the money", "the wifi never works", "stuck on the tarmac for two hours",
    "your website is down again", "can't log in for three days", "i'm still waiting for a response",
    "this is the third time this has happened", "hidden fees everywhere", "the agent hung up on me",
]
EN_NEU = [
    "can you help me change my flight", "what is the baggage allowance", "how do i reset my password",
    "what time does the store open", "is there a fee to change my booking", "can i get a receipt",
    "where can i track my order", "do you ship internationally", "how do i update my address",
    "i need to add a bag to my reservation", "please send me the confirmation number", "what are your opening hours",
    "is this available in blue", "how long does shipping usually take", "can i pay by card",
    "i would like to cancel my subscription", "which terminal does the flight leave from", "my order number is in the dm",
    "i'm flying to boston tomorrow", "does the price include tax", "is there wifi on this flight",
    "please call me back", "i sent you a message", "how do i request a refund", "can i bring my dog",
    "what's the status of my claim", "is the app available on android", "see you tomorrow", "ok got it",
]
MIXED = [
    ("app更新之后一直闪退，login不了", NEG), ("客服只会说reinstall，问题一直没解决", NEG), ("delivery太慢了", NEG),
    ("这个app真的很好用，推荐", POS), ("service很好，下次还来", POS), ("wifi信号太差了", NEG),
    ("质量ok，物流也快", POS), ("order一直没到，客服也不回", NEG), ("refund什么时候能到账", NEU),
    ("请问有没有discount", NEU), ("体验很nice", POS), ("真的bug太多了", NEG), ("界面很clean，用着舒服", POS),
    ("password忘了怎么重置", NEU), ("这个update太烂了", NEG), ("price有点贵，但是quality不错", POS),
]


def _combine(aspects, preds, label, joiner, rng, n):
    pairs = list(itertools.product(aspects, preds))
    rng.shuffle(pairs)
    return [(joiner(a, p), label) for a, p in pairs[:n]]


def authored(seed: int = 7) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    rows: list[tuple[str, int]] = []
    zh = lambda a, p: f"{a}{p}"  # noqa: E731
    en = lambda a, p: f"{a} {p}"  # noqa: E731
    rows += _combine(ZH_ASPECTS, ZH_POS, POS, zh, rng, 600)
    rows += _combine(ZH_ASPECTS, ZH_NEG, NEG, zh, rng, 600)
    rows += _combine(EN_ASPECTS, EN_POS, POS, en, rng, 400)
    rows += _combine(EN_ASPECTS, EN_NEG, NEG, en, rng, 400)
    for texts, label in ((ZH_POS_FULL, POS), (ZH_NEG_FULL, NEG), (ZH_NEU, NEU),
                         (EN_POS_FULL, POS), (EN_NEG_FULL, NEG), (EN_NEU, NEU)):
        rows += [(t, label) for t in texts]
        # the same sentence with typical punctuation / emphasis
        rows += [(t + rng.choice(["！", "。", "!!", "~"]) if not t.isascii() else t + rng.choice(["!", ".", "!!", " :("
                  if label == NEG else " :)" if label == POS else "?"]), label) for t in texts]
    rows += MIXED
    # Neutral questions about every aspect ("味道怎么样" is a question, not a verdict).
    rows += [(f"请问{a}怎么样", NEU) for a in ZH_ASPECTS] + [(f"{a}在哪里看", NEU) for a in ZH_ASPECTS[:12]]
    rows += [(f"how is {a}?", NEU) for a in EN_ASPECTS] + [(f"any update on {a}?", NEU) for a in EN_ASPECTS[:12]]
    rows += events(seed + 4)
    rows += structures()
    return rows


# ---------------------------------------------------------------- events: what happened, not how it felt
# Complaints often state facts ("my bag never arrived"); praise often thanks someone for a result.
EN_SUBJECTS = ["my flight", "my bag", "my order", "my package", "my refund", "the delivery", "my connection",
               "my account", "the app", "my card", "my internet", "my phone", "my booking", "my ticket",
               "my luggage", "the website", "my claim", "my replacement", "my food", "my seat"]
EN_BAD_EVENTS = ["was delayed {n} hours", "got cancelled", "is still missing", "never arrived", "hasn't arrived yet",
                 "was lost", "showed up damaged", "is {n} days late", "keeps failing", "was charged twice",
                 "still hasn't been processed", "was cancelled without notice", "got rebooked {n} days later",
                 "is stuck", "doesn't work", "stopped working again", "is delayed again", "was given away",
                 "got lost again", "was wrong again", "went to the wrong address", "is still not fixed"]
EN_GOOD_EVENTS = ["arrived early", "arrived safely", "was sorted out in minutes", "was on time", "came through",
                  "was upgraded", "was handled perfectly", "got fixed right away", "went smoothly",
                  "arrived a day early", "was refunded quickly", "was rebooked in no time"]
EN_BAD_CLOSERS = ["this is unacceptable", "so frustrating", "not happy", "what a joke", "thanks for nothing",
                  "seriously?", "ridiculous", "no one is helping", "worst service ever", "never again",
                  "been on hold for {n} minutes", "fix this", "nobody can tell me anything", "again.",
                  "still no answer", "i'm done with you", "why is this so hard", "terrible", "this is a mess",
                  "#fail", "so annoyed", "unbelievable"]
EN_GOOD_CLOSERS = ["thank you!", "you guys rock", "will fly with you again", "love it", "much appreciated",
                   "great job", "thanks so much", "awesome service", "very impressed", "made my day",
                   "thanks for the help", "happy customer"]
EN_SARCASM = ["thanks for losing my bag", "thanks for the {n} hour delay", "great, another delay",
              "love waiting {n} hours on the tarmac", "nice job cancelling my flight", "thanks a lot for the help, not",
              "way to go, {n} hours late again", "great customer service, {n} hours on hold",
              "wonderful, my bag is lost again", "so glad i paid extra for this", "love how nobody answers",
              "oh great, another cancellation", "thanks for ruining my trip", "really appreciate being ignored"]
EN_QUESTIONS = ["do you know if {s} is on time?", "can i change {s} online?", "how do i check {s}?",
                "what's the status of {s}?", "is there a way to upgrade {s}?", "where can i find {s}?",
                "can you dm me about {s}?", "i need to update {s}", "could you look into {s} for me?",
                "i have a question about {s}", "when will {s} be ready?", "who do i contact about {s}?"]
ZH_SUBJECTS = ["外卖", "快递", "订单", "退款", "航班", "行李", "宽带", "信号", "话费", "账户", "app", "包裹",
               "网", "手机", "会员", "发票", "售后", "维修", "快件", "套餐"]
ZH_BAD_EVENTS = ["延误了{n}个小时", "到现在还没到", "一直没人处理", "被取消了", "丢了", "坏了", "多扣了钱",
                 "还没到账", "一直打不通", "登录不上", "又出问题了", "送错了", "少了一样", "拖了{n}天",
                 "等了{n}天还没消息", "断了{n}次", "根本用不了", "被乱扣费", "一直显示异常", "到现在也没解决"]
ZH_GOOD_EVENTS = ["提前送到了", "很快就到账了", "问题很快就解决了", "准时到了", "一下就处理好了", "当天就修好了",
                  "恢复正常了", "顺利办好了", "比预计的还快", "一点问题都没有"]
ZH_BAD_CLOSERS = ["太让人失望了", "什么破服务", "我要投诉", "真的无语", "还有没有人管", "说好的呢", "气死我了",
                  "到底怎么回事", "能不能给个说法", "再也不用了", "太坑了", "服了", "这就是你们的服务？",
                  "差评", "已经打了{n}次电话了", "每次都这样", "太过分了", "敷衍", "[怒]", "[抓狂]"]
ZH_GOOD_CLOSERS = ["谢谢", "点赞", "给你们好评", "辛苦了", "下次还选你们", "服务真好", "非常感谢", "满意",
                   "很贴心", "[赞]", "[哈哈]", "[爱你]"]
ZH_QUESTIONS = ["请问{s}什么时候能到", "{s}怎么查", "我想问一下{s}的事", "麻烦帮我看一下{s}", "{s}在哪里办理",
                "{s}可以改吗", "请问{s}需要什么手续", "{s}的进度能查吗", "想咨询一下{s}", "{s}怎么开通"]
EMOJI_POS = ["😊", "👍", "❤️", "🎉", "😍", "🙏", "^_^", ":)"]
EMOJI_NEG = ["😡", "😤", "😞", "😭", "👎", "🙄", "😒", ":("]


def events(seed: int = 11, n_each: int = 700) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    num = lambda: str(rng.choice([2, 3, 4, 5, 6, 8, 10, 12, 45, 90]))  # noqa: E731
    fill = lambda s: s.replace("{n}", num())  # noqa: E731
    rows: list[tuple[str, int]] = []
    for _ in range(n_each):
        s, e = rng.choice(EN_SUBJECTS), fill(rng.choice(EN_BAD_EVENTS))
        shape = rng.random()
        if shape < 0.35:
            text = f"{s} {e}"
        elif shape < 0.8:
            text = f"{s} {e}, {fill(rng.choice(EN_BAD_CLOSERS))}"
        else:
            text = fill(rng.choice(EN_SARCASM))
        rows.append((text + (" " + rng.choice(EMOJI_NEG) if rng.random() < 0.15 else ""), NEG))
        s, e = rng.choice(EN_SUBJECTS), fill(rng.choice(EN_GOOD_EVENTS))
        text = f"{s} {e}" if rng.random() < 0.3 else f"{s} {e}, {rng.choice(EN_GOOD_CLOSERS)}"
        rows.append((text + (" " + rng.choice(EMOJI_POS) if rng.random() < 0.15 else ""), POS))
        rows.append((rng.choice(EN_QUESTIONS).replace("{s}", rng.choice(EN_SUBJECTS)), NEU))
        s, e = rng.choice(ZH_SUBJECTS), fill(rng.choice(ZH_BAD_EVENTS))
        text = f"{s}{e}" if rng.random() < 0.35 else f"{s}{e}，{fill(rng.choice(ZH_BAD_CLOSERS))}"
        rows.append((text + (rng.choice(EMOJI_NEG) if rng.random() < 0.15 else ""), NEG))
        s, e = rng.choice(ZH_SUBJECTS), rng.choice(ZH_GOOD_EVENTS)
        text = f"{s}{e}" if rng.random() < 0.3 else f"{s}{e}，{rng.choice(ZH_GOOD_CLOSERS)}"
        rows.append((text + (rng.choice(EMOJI_POS) if rng.random() < 0.15 else ""), POS))
        rows.append((rng.choice(ZH_QUESTIONS).replace("{s}", rng.choice(ZH_SUBJECTS)), NEU))
    return rows


# ---------------------------------------------------------------- structure a bag of n-grams must see often to learn
ZH_NEG_ADJ = ["差", "慢", "难吃", "贵", "脏", "吵", "难用", "麻烦", "失望", "糟糕", "咸", "油腻"]
ZH_POS_ADJ = ["好吃", "好", "快", "便宜", "干净", "好用", "方便", "满意", "新鲜", "划算"]
EN_NEG_ADJ = ["bad", "slow", "expensive", "dirty", "rude", "terrible", "disappointing", "awful", "complicated"]
EN_POS_ADJ = ["good", "great", "fast", "cheap", "clean", "friendly", "helpful", "easy", "nice"]
ZH_SARCASM = ["真是贴心，等了两个小时", "效率真高，一个星期才回复", "呵呵，服务真好", "真行，又送错了", "好一个专业客服，一问三不知",
              "感谢你们的效率，退款等了一个月", "真是服了，第三次坏了", "厉害了，又延误", "真快啊，才三天就到了隔壁城市",
              "谢谢你们全家", "可真行，电话永远打不通", "真是周到，把我的行李弄丢了"]
ESCALATE = [("转人工", NEG), ("转人工！转人工！", NEG), ("我要投诉", NEG), ("找你们经理来", NEG), ("人工客服在哪", NEG),
            ("能不能转人工", NEG), ("不要机器人，要真人", NEG), ("i want to speak to a manager", NEG),
            ("let me talk to a real person", NEG), ("get me a supervisor", NEG), ("this is a joke", NEG),
            ("lol this is a joke", NEG), ("what a joke", NEG), ("you're kidding me", NEG), ("are you serious?", NEG)]


def structures() -> list[tuple[str, int]]:
    rows: list[tuple[str, int]] = []
    for a in ZH_NEG_ADJ:
        rows += [(f"一点都不{a}", POS), (f"没有想象中{a}", POS), (f"并不{a}", POS), (f"也不算{a}", POS), (f"不是很{a}", POS)]
    for a in ZH_POS_ADJ:
        rows += [(f"不是不{a}", POS), (f"不{a}", NEG), (f"一点都不{a}", NEG), (f"没有想象中{a}", NEG), (f"不太{a}", NEG),
                 (f"说是{a}，其实一点都不{a}", NEG)]
    for a in EN_NEG_ADJ:
        rows += [(f"not {a} at all", POS), (f"it wasn't {a}", POS), (f"never {a}", POS), (f"not as {a} as i expected", POS)]
    for a in EN_POS_ADJ:
        rows += [(f"not {a}", NEG), (f"not {a} at all", NEG), (f"wasn't very {a}", NEG), (f"not exactly {a}", NEG),
                 (f"it's not that it wasn't {a}", POS)]
    rows += [(t, NEG) for t in ZH_SARCASM] + ESCALATE
    return rows


# ---------------------------------------------------------------- opinion sentences in review style
# Reviews (films, books, products, places) use a wider evaluative vocabulary than support chats:
# "the plot is thin", "a warm, funny film", "the battery life is a joke". Written for this project.
EN_REVIEW_TOPICS = ["the film", "the movie", "the story", "the plot", "the acting", "the script", "the dialogue",
                    "the characters", "the ending", "the performances", "the direction", "the soundtrack",
                    "the book", "the show", "this season", "the sequel", "the cast", "the pacing", "the humor",
                    "the camera", "this laptop", "the headphones", "the sound", "the screen", "the design",
                    "the hotel", "the room", "the restaurant", "the menu", "the dessert", "the coffee",
                    "this phone", "the game", "the update", "the interface", "the fabric", "the fit"]
EN_REVIEW_POS = ["is a delight", "is gripping from start to finish", "is warm and funny", "is smart and moving",
                 "is beautifully done", "is charming", "is clever and fresh", "is wonderfully written",
                 "is a joy", "never gets boring", "is surprisingly good", "is genuinely touching",
                 "is well worth the price", "is solid and reliable", "is crisp and clear", "feels premium",
                 "is a real treat", "is thoughtful and original", "holds up well", "is engaging and sharp",
                 "is heartfelt", "is stunning", "is a pleasant surprise", "is one of the best i have seen",
                 "is hilarious", "is powerful", "is elegant", "works beautifully", "is rich and satisfying",
                 "is an absolute gem", "is compelling", "is inventive"]
EN_REVIEW_NEG = ["is dull", "is a mess", "is tedious", "is predictable", "is bland", "is clumsy",
                 "is pointless", "drags on forever", "is forgettable", "falls flat", "is painfully slow",
                 "is a letdown", "is overpriced", "is flimsy", "feels cheap", "is a waste of time",
                 "makes no sense", "is boring", "is lifeless", "is poorly written", "is shallow",
                 "is an embarrassment", "never comes together", "is unwatchable", "is stale", "is grating",
                 "is far too long", "is a chore", "is laughably bad", "is all style and no substance",
                 "is muddled", "is cheap looking", "is mediocre at best", "broke after a week"]
EN_REVIEW_POS_FULL = [
    "a warm, funny and surprisingly moving film", "one of the most satisfying movies of the year",
    "the cast is terrific and the script is sharp", "i laughed, i cried, i loved every minute",
    "a smart, stylish thriller that keeps you guessing", "beautifully shot and wonderfully acted",
    "an utterly charming little comedy", "it's the kind of book you can't put down",
    "a triumph of imagination", "fresh, funny and full of heart", "worth every penny",
    "best purchase i've made all year", "exactly what i was looking for", "sturdy, light and easy to use",
    "the battery lasts all day", "sounds amazing for the price", "the food was delicious and the staff were lovely",
    "a rare film that trusts its audience", "a gentle, generous piece of storytelling", "it grows on you",
    "an intelligent and affecting drama", "it delivers exactly what it promises", "a real crowd pleaser",
    "as good as everyone says", "a thoroughly enjoyable ride", "it's hard not to smile watching it",
    "the performances are uniformly excellent", "a must see", "i would happily watch it again",
    "clever, touching and beautifully paced", "the best thing about it is the writing", "simply wonderful",
]
EN_REVIEW_NEG_FULL = [
    "a tired, predictable mess of a movie", "two hours of my life i will never get back",
    "the plot is thin and the acting is wooden", "it tries too hard and fails", "i was bored out of my mind",
    "a film with nothing to say and no idea how to say it", "the jokes fall flat", "it never finds its footing",
    "a lazy sequel that nobody asked for", "the characters are paper thin", "there's no reason to see this",
    "stopped working after two days", "cheaply made and overpriced", "the picture quality is awful",
    "the instructions make no sense", "i returned it the next day", "don't waste your money",
    "the food was bland and the service was slow", "the room was dirty and noisy", "it's as dull as it sounds",
    "not even the cast can save it", "a muddled, confusing story", "too long, too loud and too silly",
    "it feels like a rough draft", "the twist is obvious from the first scene", "strictly for fans, and barely",
    "an ugly, joyless experience", "it's neither funny nor clever", "the battery dies in an hour",
    "so bad it's almost impressive", "it overstays its welcome", "i expected so much more",
]
EN_REVIEW_MIXED = [  # the verdict after "but" decides
    ("the first half is slow, but the ending is worth the wait", POS),
    ("the cast is great but the script lets them down", NEG),
    ("it looks good but the sound is terrible", NEG), ("a bit pricey, but the quality is excellent", POS),
    ("not perfect, but a lot of fun", POS), ("pretty to look at, but empty", NEG),
    ("it starts strong but falls apart", NEG), ("flawed but fascinating", POS),
    ("the idea is clever, but the execution is clumsy", NEG), ("small and simple, but it does the job well", POS),
    ("it's not bad, it's just not good either", NEG), ("not as good as the first one", NEG),
    ("better than i expected", POS), ("it could have been great", NEG), ("hardly a masterpiece", NEG),
    ("never dull", POS), ("nothing special", NEG), ("i can't recommend it enough", POS),
    ("i can't recommend it", NEG), ("you won't be disappointed", POS), ("it won't change your life, but it's fun", POS),
]


def reviews_en(seed: int = 23, n: int = 700) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    rows = _combine(EN_REVIEW_TOPICS, EN_REVIEW_POS, POS, lambda a, p: f"{a} {p}", rng, n)
    rows += _combine(EN_REVIEW_TOPICS, EN_REVIEW_NEG, NEG, lambda a, p: f"{a} {p}", rng, n)
    # two verdicts in one sentence, same polarity ("the plot is dull and the acting is clumsy")
    for label, preds in ((POS, EN_REVIEW_POS), (NEG, EN_REVIEW_NEG)):
        for _ in range(n // 3):
            a, b = rng.sample(EN_REVIEW_TOPICS, 2)
            rows.append((f"{a} {rng.choice(preds)} and {b} {rng.choice(preds)}", label))
    rows += [(t, POS) for t in EN_REVIEW_POS_FULL] + [(t, NEG) for t in EN_REVIEW_NEG_FULL] + EN_REVIEW_MIXED
    rows += [(t + ".", POS) for t in EN_REVIEW_POS_FULL] + [(t + ".", NEG) for t in EN_REVIEW_NEG_FULL]
    return rows


# ---------------------------------------------------------------- tweets at a company: many are neither praise nor complaint
EN_HANDLES = ["@airline", "@support", "@helpdesk", "@shop", "@bank", "@telco", "@deliveryco", "@airways", "@air", "@care"]
EN_TWEET_NEUTRAL = [
    "{h} what time does boarding start for flight {n}?", "{h} is flight {n} still on schedule for tomorrow",
    "{h} can i bring a stroller on board", "{h} do you fly to denver from here", "{h} just sent you a dm",
    "{h} how early should i get to the airport", "{h} are there any direct flights to chicago next week",
    "{h} i'm flying with you on friday, what's the carry on size?", "{h} please follow back so i can dm",
    "{h} when does the new route start", "{h} which gate for flight {n}", "{h} is there a student discount",
    "{h} can i change my seat online", "{h} how do i add my frequent flyer number", "{h} any news on the schedule change?",
    "{h} heading to boston tomorrow morning", "{h} my confirmation code is in the dm", "{h} is the lounge open this late",
    "{h} what's the policy for pets in the cabin", "{h} does my ticket include a checked bag",
    "{h} need to update the name on my booking", "{h} where do i find my receipt", "{h} can you check my reservation",
    "{h} do you have a number i can call", "{h} is wifi free on international flights", "{h} flying out of terminal {n} today",
    "{h} will you be adding more flights in the summer", "{h} how do i request a wheelchair",
    "{h} i'd like to know the status of my claim", "{h} are you hiring flight attendants",
    "{h} on my way to the airport", "{h} first time flying with you", "{h} see you in an hour",
    "{h} what's the difference between economy and economy plus", "{h} new app version is out?",
]
EN_TWEET_POS = [
    "{h} thank you for the great flight today", "{h} your crew on flight {n} was amazing", "{h} best airline hands down",
    "{h} thanks for getting me home early", "{h} love the new seats", "{h} shoutout to the gate agent in denver, so helpful",
    "{h} you made my day, thank you", "{h} smooth flight and friendly staff, thanks", "{h} thanks for the quick reply",
    "{h} that was fast, problem solved", "{h} great job getting everyone rebooked", "{h} the upgrade was a nice surprise",
    "{h} can't wait to fly with you again", "{h} you guys are the best", "{h} appreciate the help today",
]
EN_TWEET_NEG = [
    "{h} flight {n} delayed again, no explanation", "{h} been on hold for {m} minutes", "{h} you lost my bag. again.",
    "{h} worst customer service ever", "{h} flight cancelled and no hotel, thanks for nothing",
    "{h} why is nobody answering the phone", "{h} stuck on the plane for {m} minutes with no updates",
    "{h} your app crashed in the middle of check in", "{h} i want a refund", "{h} missed my connection because of you",
    "{h} seriously, {m} minutes at the gate and no one knows anything", "{h} rude agent at the counter",
    "{h} my seat was broken the whole flight", "{h} never flying with you again", "{h} still no reply to my complaint",
]


def tweets_en(seed: int = 31, n: int = 500) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    rows = []
    for label, pool in ((NEU, EN_TWEET_NEUTRAL), (POS, EN_TWEET_POS), (NEG, EN_TWEET_NEG)):
        for _ in range(n if label == NEU else n // 2):
            t = rng.choice(pool).replace("{h}", rng.choice(EN_HANDLES))
            t = t.replace("{n}", str(rng.randint(1, 2999))).replace("{m}", str(rng.choice([20, 45, 60, 90, 120])))
            rows.append((t, label))
    return rows


# ---------------------------------------------------------------- zh short reviews (food, goods): verdict words
ZH_REVIEW_ITEMS = ["这家", "这道菜", "米饭", "面条", "汤", "饺子", "炒饭", "鸡腿", "奶茶", "披萨", "汉堡", "沙拉",
                   "这件衣服", "这双鞋", "这个杯子", "耳机", "这本书", "充电宝", "床单", "面膜"]
ZH_REVIEW_POS = ["好吃", "很香", "味道正", "分量很足", "口感很好", "料很足", "还热乎", "值这个价", "做工精细",
                 "很软很舒服", "跟图片一样", "物超所值", "质感不错", "颜值很高", "用着顺手", "挺好用的", "很耐用"]
ZH_REVIEW_NEG = ["难吃", "太咸", "太油了", "有股怪味", "分量太少", "都凉了", "又干又硬", "没什么味道", "不新鲜",
                 "跟图片差太多", "做工粗糙", "有线头", "掉色", "一股味道", "不耐用", "用了就坏", "质量一般", "太小了"]
ZH_REVIEW_TAILS_NEG = ["，不会再买了", "，失望", "，差评", "，一般般吧", "，不推荐", "，凑合吧", "。。。", "，就这样吧", ""]
ZH_REVIEW_TAILS_POS = ["，还会再来", "，推荐", "，好评", "，满意", "，下次还点", "！", "，值得", ""]
ZH_REVIEW_BUT = [  # "X还行，就是Y": in reviews the part after 就是/但是 is the complaint that decides
    ("送餐挺快的，就是味道一般", NEG), ("包装不错，就是分量太少", NEG), ("价格便宜，但是太难吃了", NEG),
    ("看着挺好，吃起来就不行了", NEG), ("配送员态度好，菜不行", NEG), ("味道还可以，就是太贵了", NEG),
    ("送得慢了点，但是味道真的好", POS), ("等了挺久，不过很好吃", POS), ("有点贵，但是值", POS),
    ("虽然晚了十分钟，但是饭菜都是热的", POS), ("量不大，但很精致，好吃", POS), ("除了有点辣，其他都很好", POS),
    ("好吃是好吃，就是太慢了", NEG), ("一般，没有宣传的那么好", NEG), ("还行吧，没什么特别的", NEG),
    ("不难吃，但也不好吃", NEG), ("味道没得说，就是送得有点慢", POS), ("就那样吧", NEG), ("凑合能吃", NEG),
]


def reviews_zh(seed: int = 41, n: int = 500) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    rows = []
    for label, preds, tails in ((POS, ZH_REVIEW_POS, ZH_REVIEW_TAILS_POS), (NEG, ZH_REVIEW_NEG, ZH_REVIEW_TAILS_NEG)):
        for _ in range(n):
            item, pred = rng.choice(ZH_REVIEW_ITEMS), rng.choice(preds)
            pred2 = rng.choice(preds)
            text = f"{item}{pred}" if rng.random() < 0.5 or pred2 == pred else f"{item}{pred}，{pred2}"
            rows.append((text + rng.choice(tails), label))
    rows += ZH_REVIEW_BUT
    return rows


# ---------------------------------------------------------------- complaints stated as facts (no opinion word at all)
# "the departure time changed five times", "got an automated reply", "it still says pending": no
# evaluative word, yet clearly a complaint when said to a company. Written for this project.
EN_FACT_COMPLAINTS = [
    "{h} the departure time has changed {k} times in the last hour", "{h} got an automated reply that doesn't answer anything",
    "{h} it still says pending after {d} days", "{h} so far i've gotten {k} different answers",
    "{h} can't get through on the phone", "{h} the line is out the door and only one agent working",
    "{h} you said someone would call me back. nobody did", "{h} the chat support isn't working on your site",
    "{h} why do you ask me to dm if you can't do anything", "{h} the agent couldn't care less",
    "{h} the inbound flight landed after our departure time and it still says on time",
    "{h} we were told to wait {m} minutes and then the counter closed", "{h} paid for wifi and it never connected",
    "{h} my bag went to another city", "{h} i was charged for a seat i never got", "{h} the tv didn't work the whole flight",
    "{h} this is the second time my flight change wasn't sent to me", "{h} still no credit for the cancelled trip",
    "{h} had to sleep at the airport", "{h} the plane sat at the gate for {m} minutes with no announcement",
    "{h} your website logged me out {k} times while paying", "{h} no one at the desk, no one on the phone",
    "{h} nobody told us the flight was moved", "{h} we landed {m} minutes ago and there's no gate",
    "{h} the refund you promised hasn't shown up", "{h} wife and kids stranded overnight",
    "{h} my vouchers expired before i could use them", "{h} they gave my seat to someone else",
    "{h} hung up on me after {m} minutes", "{h} i've been transferred {k} times",
]
EN_HASHTAGS_NEG = ["", "", "", " #fail", " #badservice", " #neveragain", " #disappointed", " #customerservicefail", " #frustrated"]
ZH_FACT_COMPLAINTS = [
    "航班时间一个小时改了{k}次", "收到的是自动回复，什么都没解决", "过了{d}天还是显示处理中", "问了{k}个客服，{k}个说法",
    "电话根本打不进去", "说好给我回电话，到现在也没人打", "在线客服一直转圈", "让我私信，私信了又说处理不了",
    "柜台只有一个人，排了{m}分钟", "付了钱的座位没给我", "说是准点，实际晚了{m}分钟", "退款说三天到账，现在{d}天了",
    "被转接了{k}次", "等了{m}分钟被挂了电话", "订单显示已签收，我根本没收到", "说好的赔偿一直没兑现",
    "换了{k}个客服，每个都让我重新说一遍", "工单关了，问题还在", "快递放在门口被人拿走了，也没人管", "扣的钱一直没退回来",
]


def fact_complaints(seed: int = 53, n: int = 500) -> list[tuple[str, int]]:
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        t = rng.choice(EN_FACT_COMPLAINTS).replace("{h}", rng.choice(EN_HANDLES))
        t = t.replace("{k}", str(rng.choice([2, 3, 4, 5, 6]))).replace("{d}", str(rng.choice([3, 5, 10, 14])))
        t = t.replace("{m}", str(rng.choice([20, 40, 45, 60, 90])))
        rows.append((t + rng.choice(EN_HASHTAGS_NEG), NEG))
        z = rng.choice(ZH_FACT_COMPLAINTS).replace("{k}", rng.choice(["两", "三", "四", "五"]))
        z = z.replace("{d}", str(rng.choice([5, 7, 10, 15]))).replace("{m}", str(rng.choice([20, 40, 60, 90])))
        rows.append((z + rng.choice(["", "", "。", "！", "？"]), NEG))
    return rows

"""Generate the synthetic sample exports in sample_data/.

All text below was written for the voc project; nothing is copied from any
dataset. Output is deterministic (random.Random(2026)); run twice and the
files are byte-identical.

    .venv/bin/python sample_data/generate.py
"""
import csv
import datetime as dt
import json
import random
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
from openpyxl.writer.excel import ExcelWriter

OUT = Path(__file__).resolve().parent
SEED = 2026
TZ8 = dt.timezone(dt.timedelta(hours=8))
START = dt.date(2026, 9, 28)            # Monday of ISO week 2026-W40
WEEK_COUNTS = [46, 52, 49, 51, 50, 48, 53, 51]   # W40..W47, 400 rows
RELEASE_52 = dt.date(2026, 11, 9)       # app 5.2 ships (Mon of W46); logout complaints start
ZH_NUM = {2: "两", 3: "三", 4: "四", 5: "五", 6: "六"}
SENT = {"--": -2, "-": -1, "0": 0, "+": 1, "++": 2}

# ---------------------------------------------------------------- products
# key: (catalogue name, zh short, en short, price, weight, physical, has_app)
PRODUCTS = {
    "X2":   ("智能手表 X2", "手表", "X2 watch", 1299, 25, True, True),
    "R5":   ("扫地机器人 R5", "扫地机", "R5 robot vacuum", 2499, 18, True, True),
    "BUDS": ("无线耳机 Buds 3", "耳机", "Buds 3 earbuds", 399, 15, True, True),
    "P7":   ("净水器 P7", "净水器", "P7 water purifier", 1899, 10, True, False),
    "NUTS": ("每日坚果礼盒", "坚果礼盒", "nut gift box", 129, 8, True, False),
    "PLUS": ("会员 Plus", "会员", "Plus membership", 199, 14, False, True),
    "TRIP": ("旅行预订", "酒店订单", "hotel booking", 680, 10, False, True),
}
PHYSICAL = [k for k, p in PRODUCTS.items() if p[5]]
WITH_APP = [k for k, p in PRODUCTS.items() if p[6]]
ALL = list(PRODUCTS)
CITIES = [("广州", "Guangzhou"), ("武汉", "Wuhan"), ("郑州", "Zhengzhou"), ("嘉兴", "Jiaxing"), ("成都", "Chengdu")]
REGIONS_CN = ["华东", "华东", "华东", "华南", "华南", "华北", "华北", "华中", "西南", "西北", "东北"]

# ---------------------------------------------------------------- survey fragments
# "--|" very negative ... "++|" very positive. Slots are filled per row.
THEMES = {
    "delivery": {"products": PHYSICAL, "weight": 10, "zh": [
        "--|说好三天内送到，结果等了{days}天，物流信息一直停在{city}转运中心。",
        "-|国庆前下的单，节后才发货，问客服只会说“仓库爆仓，请耐心等待”。",
        "-|快递员电话都没打就把{pz}放驿站了，系统显示本人签收，我根本没签过。",
        "--|承诺次日达，第{days}天才送到，急着送人的礼物全耽误了。",
        "-|包裹在路上卡了一个星期，物流永远显示“运输中”，没人能给个准话。",
        "-|晚到也就算了，外箱还压瘪了一角，一看就是被扔过的。",
    ], "en": [
        "--|Paid for next-day delivery on the {pe} and it turned up {days} days later.",
        "-|Tracking sat at the {cityen} hub for a whole week and nobody could tell me where my parcel was.",
        "-|The courier marked it as delivered and left it at a pickup locker I never chose.",
        "-|Delivery was promised before the holiday and arrived well after it.",
        "-|The box arrived late and crushed on one corner.",
    ], "mix": [
        "-|物流一直显示in transit，{days}天了都没更新，客服只会让我wait patiently。",
        "--|说好的next-day delivery，第{days}天才到，这个时效写出来有什么意义？",
        "-|courier没打电话直接放驿站，app里显示delivered，我人都不在家。",
    ]},
    "install": {"products": ["P7"], "weight": 5, "zh": [
        "--|约好周六上午上门安装，师傅没来也没有任何通知，我请了半天假白等。",
        "-|安装师傅改了{nz}次时间，来了又说缺配件，还得再约。",
        "-|安装完收了{fee}的“辅材费”，下单的时候页面上根本没写。",
        "+|安装师傅很专业，讲解得很清楚，走之前还把地面收拾干净了。",
    ], "en": [
        "-|The installer never showed up for the Saturday slot and nobody called to reschedule.",
        "-|Installation was rescheduled {n} times, and on the last visit they were missing a part.",
        "+|The technician was on time, explained everything and cleaned up afterwards.",
    ], "mix": [
        "-|上门安装约了{n}次都没成功，每次都说engineer临时有事。",
        "-|安装完多收了{fee}的material fee，下单时完全没提。",
    ]},
    "quality": {"products": PHYSICAL, "weight": 14},   # fragments per product below
    "app_crash": {"products": ["X2", "R5", "BUDS"], "weight": 5, "zh": [
        "-|app一打开就闪退，版本{ver}，卸载重装也没用。",
        "-|{pz}和app同步老是失败，数据经常少一天。",
        "-|app里广告太多，弹窗关都关不掉。",
        "-|更新之后设置全没了，设备要重新配对。",
    ], "en": [
        "-|The app crashes every time I open the device page (version {ver}).",
        "-|Syncing with the app fails half the time and I lose a day of data.",
        "-|Too many pop-up ads in the app, and some of them are hard to close.",
    ], "mix": [
        "-|app更新之后一直闪退，客服只会叫我reinstall，试了{n}次还是一样。",
        "-|sync老是失败，蓝牙连上了但数据不更新，bug太多了。",
    ]},
    "app_52": {"products": WITH_APP, "weight": 0, "zh": [   # emerging theme
        "--|更新到5.2之后一直自动退出登录，每次打开都要重新输验证码。",
        "--|新版本5.2登录不了，一直提示“登录已过期”，重新登录没两分钟又掉了。",
        "-|升级5.2以后设备数据全看不到，因为app老是把我踢下线。",
        "--|5.2版本太坑了，一天退出登录十几次，验证码短信都收烦了。",
        "-|自从更新了新版本，会员权益页面打不开，一直让我重新登录。",
        "-|5.2更新后app里什么都用不了，登录状态一会儿就丢。",
    ], "en": [
        "--|Since the 5.2 update the app logs me out every few minutes.",
        "--|Version 5.2 keeps saying my session expired. I have re-entered the SMS code {n} times today.",
        "-|After updating to 5.2 I can't stay logged in, so my data never syncs.",
        "-|The new 5.2 app kicks me out whenever I switch to another app and come back.",
    ], "mix": [
        "--|新版本5.2一直自动logout，每次都要重新收验证码，烦死了。",
        "--|app更新到5.2之后login不了，客服只会说清缓存reinstall，根本没用。",
        "-|5.2的session好像几分钟就过期，用两下就被踢出来。",
        "-|更新5.2后一直提示token expired，请问什么时候修？",
    ]},
    "purchase": {"products": ALL, "weight": 5, "zh": [
        "--|付款显示失败，钱却扣了，订单也没生成，订单号{order}查不到。",
        "-|结算页面一直转圈，换了三张卡都付不了款。",
        "-|优惠券结算时突然不能用了，提交订单前明明显示可用。",
        "+|下单流程很顺，付款一步到位，还能选送货时间。",
    ], "en": [
        "--|Payment failed at checkout but my card was still charged {price}.",
        "-|The checkout page kept spinning and I had to try three cards.",
        "+|Ordering was quick and the delivery slot picker is handy.",
    ], "mix": [
        "--|checkout的时候payment failed，但银行卡已经扣了{price}，订单号{order}。",
        "-|下单时地址选不了，一直报error，最后只能去store买。",
    ]},
    "awareness": {"products": ALL, "weight": 4, "zh": [
        "--|广告上写“全网最低价”，结果隔壁平台便宜两百，这不是虚假宣传吗？",
        "-|宣传页说{h}小时发货，实际一周才发，宣传和实际差太远。",
        "-|直播间说送原装表带，收到的赠品完全是另一回事。",
        "-|营销短信太多了，一天好几条，退订了还在发。",
    ], "en": [
        "--|The ad said 'lowest price guaranteed' and I found it ¥200 cheaper elsewhere the same day.",
        "-|Marketing promised a free gift with every order. It never arrived.",
        "-|The product page claims things the {pe} simply doesn't do.",
    ], "mix": [
        "-|广告说battery life 14天，实际两天，这算不算false advertising？",
        "-|直播间的promo code根本用不了，主播说的赠品也没有。",
    ]},
    "support_bad": {"products": ALL, "weight": 10, "zh": [
        "--|客服电话打了{nz}次，每次都要从头讲一遍，问题一个都没解决。",
        "--|在线客服排队{min}分钟，接通后就回了一句“请您耐心等待”。",
        "-|客服态度很冷淡，全程复制粘贴话术，根本不看我说什么。",
        "-|被转了{nz}个部门，每个人都说不归他们管。",
        "--|说好{h}小时内回电，一周过去了没有任何消息。",
        "-|工单提交了{days}天还是“处理中”，催了也没用。",
        "--|这已经是第{n}次反映同一个问题了，还是没人处理。",
        "-|热线一直占线，好不容易打通了说是系统问题，让我过几天再打。",
    ], "en": [
        "--|I have called support {n} times and had to explain the whole story from scratch every time.",
        "-|Waited {min} minutes in the chat queue to get a copy-pasted apology.",
        "-|The agent was rude and kept reading from a script.",
        "--|They promised a call back within {h} hours. That was a week ago.",
        "-|Got transferred between departments {n} times, nobody owns the problem.",
        "--|Still not fixed after {n} calls and two tickets.",
    ], "mix": [
        "--|客服一直说we apologise for any inconvenience，问题就是不解决。",
        "-|hotline等了{min}分钟，转了{n}次还是没人能处理。",
        "--|ticket开了{days}天还是pending，已经第{n}次催了。",
        "-|agent全程照着script念，我说什么都回“已经帮您反馈”。",
    ]},
    "support_good": {"products": ALL, "weight": 9, "zh": [
        "++|客服小姐姐非常耐心，一直跟进到问题解决，还主动打电话回访。",
        "+|客服响应很快，几分钟就给了解决方案，没让我来回跑。",
        "+|售后主动道歉并补偿了优惠券，态度很诚恳。",
        "++|门店的店员很专业，当场帮我排查出问题，省了很多事。",
    ], "en": [
        "++|The agent actually listened, apologised and fixed it on the first call.",
        "+|Support replied within minutes and gave me a clear timeline.",
        "+|Store staff diagnosed the problem on the spot. Really helpful.",
    ], "mix": [
        "++|客服very professional，一次就解决了，还主动follow up。",
        "+|在线客服reply很快，给了明确的时间点，最后也按时处理了。",
    ]},
    "billing": {"products": ALL, "weight": 8, "zh": [
        "--|结算时多了一笔{fee}的服务费，前面页面完全没显示，这就是隐藏收费。",
        "-|刚买完第二天就降价了，申请价保被拒，说活动商品不参加。",
        "--|退款申请了{days}天还没到账，每次问都说在走流程。",
        "-|发票抬头开错了，申请重开还要我自己把纸质发票寄回去。",
        "-|双11的满减规则看了半天也没看懂，付完款发现根本没减。",
        "+|价格很透明，该多少就多少，没有乱七八糟的附加费。",
        "+|退款很快，当天就原路退回了。",
    ], "en": [
        "--|A {fee} 'service fee' appeared at the last step of checkout. That's a hidden charge.",
        "-|The price dropped the day after I bought it and price protection was refused.",
        "--|My refund has been 'processing' for {days} days.",
        "-|Asked for a VAT invoice {n} times and still don't have one.",
        "+|Clear pricing, no surprise fees, and the refund landed the same day.",
    ], "mix": [
        "--|退款说3-5个working days到账，现在{days}天了还没收到。",
        "-|checkout最后一步突然多了{fee}的service fee，之前完全没写。",
        "-|双11 price protection申请被拒，理由是“活动商品不参与”，规则写得太模糊了。",
    ]},
    "returns": {"products": PHYSICAL, "weight": 7, "zh": [
        "--|{pz}返修了{nz}次，还是同样的毛病，要求换新被拒。",
        "-|退货要我自己出运费，可这明明是质量问题。",
        "-|换货寄回去{days}天了，仓库说没收到，快递明明显示已签收。",
        "-|保修期内维修还要收{fee}检测费，这保修有什么意义？",
        "+|七天无理由退货很顺利，上门取件，第二天就退款了。",
    ], "en": [
        "--|Sent the {pe} for repair {n} times, same fault every time. They still won't replace it.",
        "-|They asked me to pay return shipping for a faulty item.",
        "-|Warranty repair came with a {fee} 'inspection fee'.",
        "+|Return was painless: courier picked it up and the refund came the next day.",
    ], "mix": [
        "-|warranty内维修还要收{fee}，这个policy太离谱了。",
        "--|repair了{n}次还是同一个问题，要求exchange被拒。",
    ]},
    "account": {"products": ALL, "weight": 6, "zh": [
        "-|积分突然清零了，没有任何提醒。",
        "-|会员日领的优惠券用不了，页面说“不满足使用条件”，条件又找不到。",
        "--|刚买完就接到好几个推销电话，我的个人信息是不是被泄露了？",
        "-|换了手机号之后账号登不上，申诉要上传手持身份证照片，很担心隐私。",
        "+|积分可以直接抵现，会员日的券也很实用。",
    ], "en": [
        "-|My points expired without any warning.",
        "-|The coupon disappeared from my account at checkout.",
        "--|Started getting spam calls right after ordering. Worried my data was leaked.",
        "-|Changed my phone number and now I'm locked out of my account.",
    ], "mix": [
        "-|points莫名其妙清零了，客服说是system自动处理的。",
        "--|下单后就一直接到骚扰电话，你们的privacy保护做得怎么样？",
        "-|coupon领了用不了，提示“不满足条件”，terms写在哪也找不到。",
    ]},
    "renewal": {"products": ["PLUS"], "weight": 5, "zh": [
        "--|会员到期自动续费扣了{price}，事先没有任何提醒。",
        "--|取消自动续费的入口藏得太深了，找了半小时都没找到。",
        "-|Plus会员的权益越来越少，价格倒是涨了，明年不续了。",
        "+|Plus会员的免运费和专属客服挺实用的，续费不亏。",
        "--|已经换到别家了，这种套路再也不会买了。",
    ], "en": [
        "--|I was auto-renewed for {price} without a reminder. Please cancel my subscription.",
        "--|Cancelling Plus is buried five screens deep. Deliberately, I assume.",
        "-|Plus keeps losing perks while the price goes up. Not renewing.",
        "+|Free shipping with Plus pays for itself after a few orders.",
    ], "mix": [
        "--|Plus membership自动renew扣了{price}，没有任何通知，马上cancel。",
        "-|会员benefits越来越少，准备switch到别家了。",
        "+|Plus的free shipping很实用，已经续了。",
    ]},
    "travel": {"products": ["TRIP"], "weight": 6, "zh": [
        "--|订的大床房到店说没房了，只能换双床，差价也不退。",
        "-|航班延误{fh}小时，app里买的延误险理赔一直在审核中。",
        "-|酒店房间有烟味，前台说换房要加钱。",
        "+|预订确认很快，到店直接入住，房间和图片一样。",
    ], "en": [
        "--|Booked a king room and was told at check-in it was sold out. No refund of the difference.",
        "-|Flight was delayed {fh} hours and the delay insurance claim is still 'under review'.",
        "+|Booking was confirmed instantly and the room matched the photos.",
    ], "mix": [
        "-|酒店的room和photo差太多了，check in的时候还要加收cleaning fee。",
        "-|flight delay了{fh}小时，claim提交了{days}天还没结果。",
    ]},
    "positive": {"products": PHYSICAL, "weight": 36, "zh": [
        "++|物流很快，隔天就到了，包装也很用心。",
        "++|用了一个月了，非常满意，已经推荐给朋友了。",
        "+|性价比很高，比线下门店便宜不少。",
        "++|第二次回购了，质量一直很稳定。",
        "+|门店体验很好，店员讲解很细，没有强行推销。",
    ], "en": [
        "++|Fast delivery, well packed, works exactly as described.",
        "++|Really happy with it, already recommended it to two friends.",
        "+|Good value for money and the setup took five minutes.",
        "++|Second time buying here, consistent quality. Would recommend.",
    ], "mix": [
        "++|物流超快，packaging也很用心，five stars。",
        "++|用了一个月很满意，已经recommend给同事了。",
        "+|性价比很高，app的setup也很简单。",
    ]},
    "neutral": {"products": PHYSICAL, "weight": 12, "zh": [
        "0|还行吧，没什么特别的。", "0|一般般，和预期差不多。",
        "0|东西收到了，还没怎么用。", "0|价格能再便宜点就好了。",
    ], "en": [
        "0|It's fine. Does the job.", "0|Okay so far, will update after a few weeks.",
        "0|Average experience, nothing special.",
    ], "mix": ["0|整体ok，没什么大问题。", "0|还没怎么用，first impression还行。"]},
}

QUALITY = {
    "X2": {"zh": ["--|手表续航根本没有宣传的14天，满电两天就没了。",
                  "-|表带用了不到一个月就开胶了，做工配不上{price}这个价。",
                  "-|心率监测时准时不准，跑步的时候数据乱跳。",
                  "+|手表颜值很高，睡眠监测挺准的，戴着也不闷。"],
           "en": ["-|Battery on the X2 lasts two days, nowhere near the advertised two weeks.",
                  "-|Heart-rate readings jump all over the place during runs.",
                  "+|Love the watch faces, and the sleep tracking is spot on."],
           "mix": ["-|X2的续航完全不行，开着always-on display一天就没电了。"]},
    "R5": {"zh": ["-|扫地机经常卡在沙发底下出不来，一天要救它好几次。",
                  "--|用了{days}天就报错“主刷异常”，重启也没用。",
                  "+|扫地机吸力很强，猫毛都能吸干净，建图也快。"],
           "en": ["-|The R5 keeps getting stuck under the sofa and gives up halfway through.",
                  "--|The vacuum threw a brush error after {days} days and won't start anymore.",
                  "+|Suction is great, it picks up all the cat hair and maps the flat quickly."],
           "mix": ["-|R5的mapping老是丢，每次都要重新建图，设好的no-go zone也没了。"]},
    "BUDS": {"zh": ["-|耳机左耳经常断连，打电话对方说听不清。",
                    "-|降噪效果一般，地铁上基本没用。",
                    "+|耳机音质不错，佩戴舒服，这个价位很值。"],
             "en": ["-|The left earbud keeps dropping the connection and callers say I sound muffled.",
                    "+|Sound is great for the price and they stay in during workouts."],
             "mix": ["-|Buds 3的ANC在地铁上几乎没效果，宣传的降噪深度是怎么测的？"]},
    "P7": {"zh": ["-|净水器出水有股塑料味，放了好几天也没散。",
                  "-|滤芯三个月就提醒要换，一套滤芯三百多，比当初说的贵多了。",
                  "+|净水器出水口感明显变好了，泡茶好喝。"],
           "en": ["-|The purified water has a plastic taste that hasn't gone away.",
                  "+|Water tastes noticeably better and the filter indicator is clear."],
           "mix": ["-|净水器的水有股塑料味，TDS显示倒是正常，很奇怪。"]},
    "NUTS": {"zh": ["--|坚果有一股哈喇味，好几包都受潮了，还是买来送人的。",
                    "-|礼盒看着大，打开里面一半是填充物。",
                    "+|坚果很新鲜，每包分量刚好，孩子爱吃。"],
             "en": ["-|Half the nuts tasted stale and a couple of packs were soft.",
                    "+|Fresh, crunchy and nicely packed. Bought a second box."],
             "mix": ["-|坚果礼盒的packaging很好看，可惜味道不新鲜，有点受潮。"]},
}

# Closing sentences that carry the churn / escalation / repeat / advocacy signals.
CLOSERS = {
    "churn": {"zh": ["再也不买了。", "准备转投别家了。", "会员到期就不续了。", "已经在看别的品牌了。", "以后不会再来了。"],
              "en": ["Will never buy from you again.", "Cancel my subscription.",
                     "I'm switching to a competitor.", "Done with this brand."],
              "mix": ["再也不买了，bye。", "准备switch到别家。"]},
    "escalation": {"zh": ["再不处理我就打12315投诉。", "已经向消协投诉了。", "不解决我就去网上曝光。",
                          "准备找律师了。", "我会去工信部投诉。"],
                   "en": ["I'm going to post this everywhere.", "Filing a complaint with the BBB if this isn't sorted.",
                          "My lawyer will be in touch.", "Next step is a consumer protection complaint."],
                   "mix": ["再不解决就12315见。", "我会把这件事post到小红书和微博。"]},
    "repeat": {"zh": ["这是我第{n}次反映了。", "前前后后打了{nz}次电话。"],
               "en": ["This is my {nth} time reporting this.", "Still not fixed after {n} calls."],
               "mix": ["第{n}次反映了，still not fixed。"]},
    "advocacy": {"zh": ["已经推荐给朋友了。", "会继续回购。", "给个五星。"],
                 "en": ["Would recommend.", "Will buy again.", "Already told my friends about it."],
                 "mix": ["会recommend给朋友。", "five stars，会回购。"]},
}

# ---------------------------------------------------------------- special survey rows
TEMPLATE_REVIEWS = ["此用户未填写评价内容", "默认好评", "系统默认好评", "用户未及时评价，系统默认好评"]
EMOJI_ONLY = [("😡😡😡", -2), ("👍", 2), ("👍👍👍", 2), ("🙄", -1)]
WHITESPACE = ["   ", "\t", " \n "]
HTML_ROWS = [("<p>物流很快&nbsp;<b>点赞</b></p>", 2),
             ("<div>客服回复太慢<br/>等了&nbsp;3&nbsp;天</div>", -1),
             ("<p>The app keeps crashing &amp; support won&#39;t help</p>", -1)]
FORMULA_ROWS = [('=HYPERLINK("http://x","点我")', 0), ("+86 在吗", 0),
                ("@客服 退款到底什么时候到？", -1), ("-_- 又闪退了", -1)]
PII_SENTENCES = {
    "phone": ["麻烦尽快联系我，电话13812345678。", "我的手机号是139 0000 1111，白天都能接。",
              "Call me back on +86 138 1234 5678, I'm tired of the chat."],
    "email": ["有进展请发邮件到 li.na.test@example.com。",
              "Please reply to j.smith.test@example.org, the chat never answers."],
    "id": ["实名认证时填的身份证号{idno}，系统一直说信息不一致。", "退款要核实身份，我的身份证号是{idno}。"],
    "card": ["退款请打到这张卡：{card}。", "Refund to card {card} please, the original one is cancelled."],
}
RANT_ZH = [  # one long complaint told in stages; two alternatives per stage
    ["我本来不想写这么长的，但这次的经历实在太离谱了，必须让更多人看到。九月底趁着国庆活动在你们app上买了{pname}，到手价{price}，当时页面上写着“48小时发货、7天无理由、15天价保”，我就是冲着这些承诺下的单，订单号{order}。",
     "先说结论：这是我今年最后悔的一次消费。国庆前在官方商城下单买了{pname}，付了{price}，订单号{order}。下单的时候客服信誓旦旦地说节前一定能到，我还特意选了加急配送，多付了运费。"],
    ["结果呢？48小时发货变成了五天后才发货，物流在转运中心一停就是一个星期，问客服只有一句“节假日爆仓，请您耐心等待”。我问能不能给个大概时间，对方直接说不知道，让我自己去问快递。",
     "付款之后整整五天没有发货，催了三次才说仓库缺货，可页面上明明一直显示有货。好不容易发出来了，快递员又没打电话直接放驿站，系统显示本人签收，我下班回家才发现箱子还被压扁了一个角。"],
    ["拆箱的时候我就觉得不对劲：外包装有明显的二次封口胶带，里面的保护膜也是歪的，配件盒里少了一根充电线。我当时就拍照联系客服，客服说“仓库出库前都有质检”，让我先用着看看。",
     "开箱就发现外壳有一道划痕，配件也不全，说明书还是旧版本的。我当场在app里申请换货，系统提示“该商品不支持换货，请联系客服”，联系客服又让我先提交图片等审核。"],
    ["东西到了更糟，开机第二天就开始报错，重启、恢复出厂设置、照着视频一步一步操作，全都试过了，没用。我拍了视频发给客服，客服说可能是我家网络问题，可我家的网络连别的设备都好好的。",
     "用了不到一周就出问题了，一会儿连不上app，一会儿自己关机，说明书上的排查步骤我全部做了一遍。最可笑的是，宣传页说的很多功能根本用不了，客服的解释是“以实际功能为准”，那你们宣传写来干什么？"],
    ["为了排查问题，你们安排了上门检测。第一次约了周六上午，我在家等了四个小时，师傅没来，也没人通知；第二次改到周二，我专门请了假，师傅来了看了五分钟，说要带回去检测，连个单据都没给我。",
     "中间还有一次所谓的“专家远程诊断”，约好晚上八点视频，我从八点等到九点，最后收到一条短信说“工程师临时有事，请重新预约”，而重新预约最早要排到一周以后。"],
    ["接下来就是噩梦一样的售后。热线打了五次，每次排队至少二十分钟，每次接电话的人都不一样，每次都要我从头把事情讲一遍。有一次被转了三个部门，最后一个人说这个问题不归他们管，让我重新提交工单。",
     "我前后提交了三个工单，两个被莫名其妙关闭，理由是“客户未回复”，可我根本没接到任何电话。在线客服永远是机器人先回复，转人工要等四十分钟，接通后的回答永远是“已经帮您反馈，请耐心等待”。"],
    ["更别提你们的app了，为了查工单进度，我每次都得重新登录，好不容易登上去，工单页面要么加载失败，要么显示“暂无记录”。我截了无数张图，客服却说截图不能作为凭证。",
     "app里的在线客服入口藏得很深，点进去先是十几个常见问题，再是智能助手，问什么都回答“请描述您的问题”，我描述了，它又让我选择问题类型，绕一圈回到原点。"],
    ["后来同意寄回检测，运费要我先垫付。寄回去十天，告诉我检测结果是“无故障”，原样寄回。收到后第二天同样的错误又出现了。第二次寄修，说要收{fee}检测费，理由是超出了保修范围，可我买了还不到一个月！",
     "申请退货，系统说已超过七天无理由期限，只能走维修。维修了两次，换了一块主板，问题依旧。我要求换新，售后说要“三次维修仍不能正常使用”才符合换货条件，意思是我还得再寄一次，再等两个星期。"],
    ["更离谱的是账单。退款的时候我发现当初结算时多扣了一笔{fee}的“服务费”，下单页面上一个字都没提。价保申请也被拒了，理由是活动商品不参与，可你们双11的价格比我买的时候便宜了三百多。",
     "我仔细看了一下账单，发现会员Plus在我不知情的情况下自动续费了，扣了¥199，之前没有任何短信或者推送提醒。取消自动续费的入口藏在设置里第五层，我找了半个小时才找到。"],
    ["客服主管在电话里亲口承诺48小时内给我回电并给出处理方案，结果一个星期过去了，没有电话，没有短信，工单状态还是“处理中”。我再打过去，新的客服说系统里没有看到任何承诺记录。",
     "整个过程中，你们没有一次说到做到：说好三天回复，拖了十天；说好退款一到三个工作日到账，等了两周；说好加急处理，结果加急的意思是排到下周。每一次承诺都只是为了让我先挂电话。"],
    ["我给你们算一下时间线：10月3日第一次联系客服，10月8日第一次寄修，10月18日收到退回的机器，10月20日再次报修，10月27日提交投诉，到今天为止，问题还是原样，一个多月就这么过去了。"],
    ["还有一件事让我很不安：自从投诉之后，我每天都接到好几个陌生的推销电话，对方能准确报出我的名字和买的型号。我很怀疑你们的数据是不是泄露了，我的地址和电话都在你们系统里，这让我非常担心。",
     "另外，为了走退款流程，客服要求我把身份证正反面和银行卡照片发到一个私人邮箱，这合规吗？出了信息安全问题谁负责？我拒绝之后，退款流程就直接卡住了。"],
    ["对比一下，我朋友买的别家同类产品也出过问题，人家客服当天就上门换了新机，还诚恳地道了歉。同样的价钱，服务差距怎么这么大？",
     "我之前一直是你们的老客户，家里的手表、耳机、净水器都是你们家的，Plus会员也续了三年。就是因为信任才一直买，可这次的经历让我彻底失望了。"],
    ["前前后后我花了将近一个月，打了不下十个电话，请了两次假在家等快递和上门，光是重复讲我的情况就讲了不下八遍。我不是不能接受产品出问题，我接受不了的是没有一个人真正愿意帮我解决问题。",
     "算下来我为了这{price}的东西，搭进去的时间远远超过它的价值。最让人心寒的不是产品本身，而是客服那种冷冰冰、照着话术念、一副“爱买不买”的态度。"],
    ["我的诉求很简单：第一，全额退款，包括我垫付的运费和检测费；第二，对多收的服务费给出书面解释；第三，对这一个月的折腾给一个合理的补偿。这些要求过分吗？"],
    ["我已经向12315和消协投诉了，也会把整个过程发到微博和小红书上。会员到期我会直接注销，再也不买你们家的任何东西，也会劝身边的朋友别买。",
     "最后说一句：如果这周内还不给我一个明确的处理结果，我会找律师，也会向12315投诉，并在所有能发的平台上曝光。已经换成别的品牌了，你们家的东西我再也不会买了。"],
]
RANT_EN = [
    "I don't usually write reviews, but this needs to be on record. I bought the {pe} for {price} (order {order}) because the product page promised two-week battery life, free returns and 'support that actually cares'.",
    "It shipped five days late. When it finally arrived the battery lasted barely two days, which is nowhere near what was advertised. I followed every troubleshooting step in the manual and in the app.",
    "Then the app started crashing whenever I opened the sleep report, so I couldn't even export my data to show support what was happening.",
    "I have now contacted support six times. Every call starts from zero: new agent, same questions, same script. I've been transferred to 'the right department' three times and each one told me it wasn't theirs.",
    "I was promised a call back within 48 hours. Twice. Nobody called. My ticket was closed as 'resolved' without anyone speaking to me.",
    "When I asked to return it, I was told I had to pay return shipping plus a {fee} inspection fee, even though the item is faulty. On top of that I found a service fee on my original invoice that was never shown at checkout.",
    "To be clear, I'm not asking for much: a working product or my money back, and one person who actually follows through on what they say.",
    "I've spent more hours on this than the thing is worth. I've filed a complaint with consumer protection, I'm cancelling my Plus subscription today, and I will post this everywhere I can. Never again.",
]

# ---------------------------------------------------------------- e-commerce review fragments
REVIEW = {  # any product
    "zh": ["++|物流很快，包装完好无损。", "+|和描述一致，质量不错。", "+|客服回复很及时，有问必答。",
           "++|活动价入手，性价比很高。", "++|第二次购买了，还是一如既往的好。", "++|买给爸妈的，他们很喜欢。",
           "+|快递小哥态度很好，直接送到家门口。", "-|包装破损，里面的盒子都压扁了。", "-|和宣传差距有点大。",
           "-|问客服一直不回消息。", "-|发货太慢，等了一个星期。", "-|买完就降价，价保也不给，心塞。",
           "-|赠品没收到，问客服说活动已结束。", "-|发票到现在都没开。", "0|一般吧，凑合用。", "0|中规中矩。",
           "0|还可以，就是价格有点贵。"],
    "en": ["++|Arrived quickly and works as described.", "+|Good quality for the price.",
           "0|Packaging was dented but the item itself is fine.", "-|Not as good as the ads make it look."],
    "mix": ["+|物流很快，quality也不错。", "-|包装破了，customer service一直不回。"],
}
REVIEW_DEVICE = {
    "zh": ["+|颜值很高，做工精致。", "+|用了一周，暂时没发现什么问题。", "--|用了几天就出问题了，申请售后还要自己寄回。",
           "-|说明书太简单了，很多功能不知道怎么用。", "--|有明显使用痕迹，怀疑是二手翻新。", "0|还没用，先好评。"],
    "en": ["--|Stopped working after a week, still waiting on a replacement."],
    "mix": ["+|颜值很高，app连接也很顺，nice。", "--|用了三天就坏了，return还要自己付运费，差评。"],
}
REVIEW_FOOD = {
    "zh": ["++|口感酥脆，一点都不油。", "+|每天一小包，分量刚好。", "-|有几颗吃起来发苦。",
           "-|生产日期是三个月前的，不太新鲜。", "+|包装很精美，送人很有面子。", "0|还没吃，先好评。"],
    "en": [], "mix": ["+|口感很好，很fresh，会回购。"],
}
SKU = {"X2": "青柚 智能手表 X2 46mm 曜石黑 心率血氧监测 NFC",
       "R5": "青柚 扫地机器人 R5 扫拖一体 自动集尘",
       "BUDS": "青柚 无线耳机 Buds 3 主动降噪 蓝牙5.3",
       "P7": "青柚 净水器 P7 800G 厨下式 RO反渗透（含安装）",
       "NUTS": "青柚 每日坚果礼盒 750g/30包"}
REVIEW_CHANNELS = (["淘宝", "京东", "拼多多", "官方商城"], [30, 30, 15, 25])

# ---------------------------------------------------------------- support ticket fragments
TICKET_ISSUES = [
    "客户反映{pz}退货已寄回{days}天，退款{price}仍未到账。",
    "客户称结算时被多收{fee}服务费，要求退还并解释收费依据。",
    "客户反映Plus会员自动续费扣款¥199，未收到任何续费提醒，要求全额退款。",
    "客户反映扫地机器人R5返修{nz}次仍报同一故障，要求换新。",
    "客户称净水器上门安装师傅两次爽约，要求赔偿误工费。",
    "客户反映发票抬头开错，重开申请提交{days}天无人处理。",
    "客户称收到的耳机有明显使用痕迹，怀疑是翻新机，要求退货。",
    "客户反映购买后第二天降价{drop}，价保申请被拒，理由是活动商品不参与。",
    "客户反映积分{points}分被清零，未收到任何通知。",
    "客户反映订单{order}付款失败但银行卡已扣款{price}。",
    "客户反映航班延误{fh}小时，延误险理赔审核已超过{days}天。",
    "客户反映下单后频繁接到推销电话，怀疑个人信息泄露，要求说明数据使用情况。",
    "客户反映手表X2续航与宣传严重不符，认为属于虚假宣传，要求退货退款。",
    "我的退款到现在都没到，已经是第{n}次来问了，你们到底有没有人管？",
    "换货申请提交{days}天了，一直显示审核中，打热线永远在排队。",
]
TICKET_APP52 = [
    "客户反映app升级5.2后频繁自动退出登录，无法查看设备数据，要求尽快修复。",
    "客户反映5.2版本登录后几分钟即提示“登录已过期”，已重装{n}次无效。",
    "5.2更新以后一直掉登录，会员权益用不了，这个月的会员费谁来补？",
]
TICKET_HISTORY = ["此前已来电{nz}次，均答复“加急处理”。", "客户表示这是第{n}次反映此问题。",
                  "上一个工单{prev}已被关闭，但问题未解决。", "客户多次被转接，对重复描述问题非常不满。",
                  "前期承诺48小时内回复，已超时。", "客户称在线客服只会回复模板话术。"]
TICKET_DEMAND = ["要求今天内给出明确答复。", "要求主管回电。", "要求给出书面处理结果。", "要求专人跟进，不要再转接。"]
TICKET_THREAT = ["客户表示如不处理将向12315投诉。", "客户称已向消协投诉。", "客户表示将在微博曝光。",
                 "客户称将向工信部申诉。", "客户表示已咨询律师。", "客户称要注销账号，再也不买了。"]
CUSTOMER_TYPES = (["普通会员", "Plus会员", "企业客户", "新客户"], [50, 30, 10, 10])

# ---------------------------------------------------------------- chat fragments
# per issue and language: open, detail, short, ask, info, fix, confirm, blame ("mix" = customer lines only)
CHAT_ISSUES = {
    "refund": {
        "zh": ["你好，我退货的{pz}仓库{days}天前就签收了，退款到现在还没到账。", "退款金额{price}，说是原路退回，但银行卡一直没收到。",
               "退款", "麻烦提供一下订单号，我马上帮您查。", "订单号{order}。",
               "查到了，您的退款卡在财务审核环节，我已经帮您加急提交，今天18:00前原路退回，银行一般2小时内到账。", "退款{price}已经提交到银行", "退款到账时间是银行那边决定的，跟我们没关系。"],
        "en": ["Hi, you received my returned {pe} {days} days ago and I still haven't got my refund.", "It's {price}, supposed to go back to my original card.",
               "refund", "Could you share your order number so I can look into it?", "Sure, it's {order}.",
               "I can see the refund got stuck in finance review. I've pushed it through manually and it will be released to your card before 6pm today.",
               "the {price} refund has been released to your card", "Refund timing depends on your bank, not us."],
        "mix": ["你好，我的refund到现在还没到账，退货{days}天前就签收了。", "金额{price}，说好原路退回credit card的。", "order number是{order}。"]},
    "logout": {
        "zh": ["更新到5.2之后app一直自动退出登录，每次都要重新收验证码。", "清缓存、重装都试过了，没用。",
               "退出登录的问题", "麻烦告诉我注册手机号的后四位和手机型号，我帮您查一下登录日志。", "后四位5678，手机是安卓的。",
               "这是5.2版本已确认的问题，修复版5.2.1预计明天上午上线。在此之前关闭系统的“省电模式”可以明显减少掉线。",
               "已经把您的账号加入5.2.1优先推送名单，明天上线后第一时间推送给您", "这是技术那边的问题，我们客服这边处理不了。"],
        "en": ["Since the 5.2 update the app logs me out every few minutes.", "I've already reinstalled and cleared everything.",
               "logout issue", "Could you tell me the last four digits of your registered number and your phone model?", "Ends in 4321, it's an iPhone.",
               "This is a known bug in 5.2. The fix (5.2.1) goes live tomorrow morning. Until then, turning off Low Power Mode keeps the session alive much longer.",
               "your account is on the early list for 5.2.1, you'll get it first thing tomorrow",
               "That's a technical issue, not something customer service can help with."],
        "mix": ["app更新5.2之后一直logout，每次都要重新收验证码。", "已经reinstall过两次了，还是一样。", "尾号4321，phone是iPhone。"]},
    "delivery": {
        "zh": ["你好，我的{pz}说好次日达，现在第{days}天了还没到，物流一直不更新。", "物流停在{city}转运中心好几天了。",
               "快递", "麻烦提供一下订单号，我马上帮您查。", "订单号{order}。",
               "查到了，包裹在转运中心滞留。我已经安排仓库给您补发一件，今天下午发出，明天中午前送到，原包裹到了直接拒收就行。",
               "补发的包裹已经出库，运单号已经短信发给您", "物流不归我们管，您需要自己联系快递公司。"],
        "en": ["Hi, my order ({pe}) was supposed to arrive next day and it's now day {days}. Tracking hasn't moved.", "It's been stuck at the {cityen} hub for days.",
               "parcel", "Could you share your order number so I can look into it?", "Sure, it's {order}.",
               "Found it: the parcel is stuck at the hub. I've arranged a replacement to ship this afternoon, arriving by noon tomorrow. If the original shows up, just refuse it.",
               "the replacement has left the warehouse and the tracking number is in your inbox",
               "Delivery is handled by the courier, that's not our department."],
        "mix": ["你好，我的parcel说好next day到，现在第{days}天了，tracking一直不动。", "一直卡在{city}的hub。", "order number是{order}。"]},
    "renewal": {
        "zh": ["你们Plus会员怎么没有任何提醒就自动续费了？扣了我¥199。", "我上个月就想取消，根本找不到入口。",
               "续费退款", "麻烦提供一下绑定手机号的后四位，我帮您查一下续费记录。", "后四位0921。",
               "查到了，这笔是11月20日的自动续费，之后您还没有使用过会员权益，我这边直接全额退款，并帮您关闭自动续费。",
               "¥199已经原路退回，自动续费也已关闭", "自动续费是默认开通的，扣款是系统自动执行的。"],
        "en": ["Why was my Plus membership auto-renewed without any reminder? I've been charged ¥199.", "I wanted to cancel last month but couldn't find where.",
               "renewal refund", "Could you give me the last four digits of the phone number on the account?", "It's 0921.",
               "I can see the renewal on 20 November and you haven't used any Plus benefits since, so I'll refund it in full and switch off auto-renew for you.",
               "the ¥199 has been refunded and auto-renew is off", "Auto-renew is on by default, the system charged you automatically."],
        "mix": ["Plus membership没有任何reminder就自动renew了，扣了¥199。", "上个月就想cancel，找不到入口。", "尾号0921。"]},
    "repair": {
        "zh": ["我的{pz}已经返修{nz}次了，还是同一个故障，这次能不能直接换新？", "每次寄回去都说检测正常，拿回来两天又坏。",
               "换新", "麻烦提供一下订单号和最近一次的维修单号。", "订单号{order}，维修单号RX{rx}。",
               "我看了几次的维修记录，确实是同一个故障反复出现，符合换新条件。我直接给您安排换新，明天快递上门取旧送新。",
               "换新工单已经建好，明天上午快递上门，取旧送新一次完成", "检测结果是维修中心出的，我们这边改不了。"],
        "en": ["My {pe} has been repaired {n} times for the same fault. Can you just replace it?", "Every time it comes back 'no fault found' and breaks again two days later.",
               "replacement", "Could you share the order number and the latest repair ticket number?", "Order {order}, repair ticket RX{rx}.",
               "I've checked all the repair records and it's clearly the same fault, so you qualify for a replacement. A courier will swap the old unit for a new one tomorrow.",
               "the replacement is booked and the courier will swap units tomorrow morning", "The repair centre decides that, not us."],
        "mix": ["我的{pz}已经repair了{n}次，同一个问题，能不能直接换新？", "每次都说no fault found，拿回来两天又坏。", "order {order}，维修单RX{rx}。"]},
    "hotel": {
        "zh": ["我在你们app订的大床房，到酒店前台说没房了，让我换双床。", "我现在人就在前台，带着孩子，已经等了二十分钟。",
               "房间的事", "非常抱歉，麻烦把订单号发我，我马上联系酒店。", "订单号{order}。",
               "我已经和酒店经理通过电话，给您免费升级到同楼层的行政大床房，前台五分钟内为您办理入住，差价由我们承担。",
               "酒店已经确认升级，房卡在前台", "房源是酒店自己管理的，跟我们平台没关系。"],
        "en": ["I booked a king room through your app and the front desk says they have none left.", "I'm standing at reception with my kids and have been waiting 20 minutes.",
               "room", "I'm so sorry. Could you send me the booking number? I'll call the hotel now.", "Booking {order}.",
               "I've just spoken to the hotel manager: you're upgraded to an executive king on the same floor at no cost, and reception will check you in within five minutes.",
               "the hotel has confirmed the upgrade and your key is at the desk",
               "Room availability is the hotel's responsibility, not ours."],
        "mix": ["我在app订的king room，到了front desk说没房了。", "现在就在前台等，已经20分钟了。", "booking number是{order}。"]},
}
CHAT = {  # generic turns; customer pools have a "mix" variant, agents in mixed chats answer in zh
    "greet": {"zh": ["您好，很高兴为您服务，请问有什么可以帮您？", "您好，青柚客服小悦为您服务～"],
              "en": ["Hi, thanks for contacting Pomelo support. How can I help?", "Hello, you're chatting with Sam from Pomelo. What can I do for you?"]},
    "script": {"zh": ["请您耐心等待，我们会尽快为您处理。", "非常抱歉给您带来不便，已经帮您反馈给相关部门。", "您反馈的问题已记录，请留意后续短信通知。"],
               "en": ["We apologise for any inconvenience caused.", "Your request has been passed to the relevant team. Please wait patiently.",
                      "Thank you for your patience, we will get back to you as soon as possible."]},
    "blame": {"zh": ["这是系统问题，我们这边也没有办法。", "这个不归我们部门管，您可以换个渠道咨询。"],
              "en": ["That's not our department, I'm afraid.", "This is a system issue, there's nothing I can do from here."]},
    "busy": {"zh": ["当前人工坐席繁忙，您前面还有{q}位，请耐心等待。"], "en": ["All our agents are busy right now. You are number {q} in the queue."]},
    "close_script": {"zh": ["感谢您的耐心，祝您生活愉快。"], "en": ["Thank you for contacting us. Have a nice day."]},
    "ack": {"zh": ["非常抱歉让您遇到这个问题，我完全理解您的心情。", "抱歉让您久等了，这个问题我来负责跟进。"],
            "en": ["I'm really sorry about this, I understand how frustrating it is.", "Sorry for the trouble. I'll take care of this personally."]},
    "confirm": {"zh": ["已经处理好了：{confirm}。后续有任何问题直接回复这个对话，我会继续跟进。"],
                "en": ["Done: {confirm}. If anything else comes up, just reply here and I'll follow up."]},
    "takeover": {"zh": ["您好，我是客服主管小林，刚看了您的全部记录，前面的处理确实不到位，非常抱歉让您反复说明。这个问题我来跟到底。"],
                 "en": ["Hi, I'm Dana, the team lead. I've read the whole thread and you shouldn't have had to repeat yourself. I'm sorry. I'll own this from here."]},
    "comp": {"zh": ["为表歉意，已给您的账户补偿一张50元无门槛券。"], "en": ["I've also added a ¥50 credit to your account for the hassle."]},
    "repeat": {"zh": ["我再问一遍：{short}到底什么时候能解决？", "你没回答我的问题啊，{short}到底怎么办？", "同样的问题我已经说了三遍了！！！"],
               "en": ["I'll ask again: when will my {short} be sorted?", "You haven't answered my question. What about my {short}?", "I HAVE ALREADY EXPLAINED THIS THREE TIMES!!!"],
               "mix": ["我再问一遍，{short}到底什么时候能solve？", "你没有answer我的问题啊！！！"]},
    "wait": {"zh": ["人呢？等了十分钟了", "还在吗？？？", "你们客服是机器人吗？只会复制粘贴？"],
             "en": ["Hello?? Is anyone there?", "It's been TEN MINUTES. HELLO???", "Am I talking to a bot?"],
             "mix": ["人呢？？等了10 mins了", "hello？？还在吗？", "是bot在回复吗？"]},
    "human": {"zh": ["转人工！！", "我要投诉，叫你们主管来。"], "en": ["Let me speak to a manager.", "Transfer me to a real person, please."],
              "mix": ["转人工！！我要talk to a manager。", "叫你们manager来。"]},
    "threat": {"zh": ["再不解决我就打12315投诉你们。", "算了，我去消协投诉，再也不买了。", "聊天记录我已经截图了，会发微博曝光。"],
               "en": ["Forget it. I'm cancelling my subscription and filing a complaint.", "I'm going to post this everywhere.", "Done. I'm switching to another brand."],
               "mix": ["再不解决我就12315投诉，seriously。", "算了，全部cancel掉，再也不买了。"]},
    "thank": {"zh": ["好的，谢谢。", "行，那我等你们消息。", "这样处理可以，谢谢你。"], "en": ["Great, thanks for sorting it.", "OK, that works. Thanks!", "Appreciate it."],
              "mix": ["好的thanks！", "OK，这样可以，谢谢。"]},
    "calm": {"zh": ["行吧，这次总算有人认真回复了。"], "en": ["OK. Thank you, that's all I wanted from the start."], "mix": ["OK，这次总算有人认真处理了，thanks。"]},
    "bye": {"zh": ["好的，辛苦了👍", "收到，谢谢～"], "en": ["Thanks, have a good day.", "Cheers!"], "mix": ["收到，thx👍", "好的，have a nice day～"]},
    "angry": {"zh": ["这都第{n}次问了！！"], "en": ["This is the {nth} time I'm asking!!"], "mix": ["这都第{n}次问了！！seriously"]},
}
CHAT_PLAN = (["escalate"] * 8, ["zh", "zh", "zh", "en", "en", "mix", "mix", "zh"],
             ["resolved"] * 8, ["zh", "zh", "en", "en", "en", "mix", "zh", "mix"],
             ["recover"] * 4, ["zh", "en", "mix", "zh"])


# ================================================================ helpers
def parse(frag):
    mark, text = frag.split("|", 1)
    return SENT[mark], text


def wchoice(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


def id_number(rng):
    """Fake 18-digit resident ID (valid check digit, synthetic)."""
    birth = dt.date(1985, 1, 1) + dt.timedelta(days=rng.randrange(5500))
    body = "110101" + birth.strftime("%Y%m%d") + f"{rng.randrange(1000):03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * k for c, k in zip(body, w)) % 11]


def card_number(rng):
    """Fake 19-digit bank card number (Luhn-valid, synthetic)."""
    body = "621700" + "".join(str(rng.randrange(10)) for _ in range(12))
    digits = [int(c) for c in reversed(body)]
    total = sum(d if i % 2 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits))
    full = body + str((10 - total % 10) % 10)
    return " ".join(full[i:i + 4] for i in range(0, 19, 4)) if rng.random() < 0.5 else full


def make_ctx(rng, prod, day, lang):
    name, pz, pe, price, *_ = PRODUCTS[prod]
    city, cityen = rng.choice(CITIES)
    n = rng.randint(3, 6)
    if lang == "zh" and rng.random() < 0.3:
        price_s = f"{price}元"
    else:
        price_s = f"¥{price:,}"
    return {
        "pname": name, "pz": pz, "pe": pe, "price": price_s, "city": city, "cityen": cityen,
        "fee": rng.choice(["¥15", "¥29", "¥39", "¥49", "¥99", "29元", "49元"]),
        "drop": rng.choice(["¥100", "¥150", "¥200", "¥300", "¥350"]),
        "days": rng.randint(5, 14), "n": n, "nz": ZH_NUM[n], "nth": {3: "3rd"}.get(n, f"{n}th"),
        "h": rng.choice([24, 48, 72]), "fh": rng.randint(2, 9), "min": rng.choice([20, 25, 30, 40, 45, 60, 90]),
        "ver": rng.choice(["5.1.3", "5.1.4", "5.1.6"]), "points": rng.randrange(800, 12000, 10),
        "order": day.strftime("%Y%m%d") + f"{rng.randrange(10**7):07d}",
        "prev": "GD" + (day - dt.timedelta(days=rng.randint(7, 20))).strftime("%Y%m%d") + f"-{rng.randrange(10000):04d}",
        "rx": f"{rng.randrange(10**6):06d}", "q": rng.randint(6, 38),
        "idno": id_number(rng), "card": card_number(rng),
    }


def is_cjk_end(text):
    return text[-1] in "。！？，；）”" or "\u4e00" <= text[-1] <= "\u9fff"


def join(parts):
    out = parts[0]
    for p in parts[1:]:
        out += p if is_cjk_end(out) else " " + p
    return out


def join_but(a, b):
    """'good thing' + but + 'bad thing' in the style of the first part."""
    if is_cjk_end(a):
        return a.rstrip("。！？") + "，不过" + b
    if len(b) > 1 and b[1].islower():
        b = b[0].lower() + b[1:]
    return a.rstrip(".!") + ", but " + b


# ================================================================ survey
def theme_weights(week):
    w = {t: spec["weight"] for t, spec in THEMES.items()}
    w["delivery"] *= [2.6, 2.2, 1.4, 0.9, 0.7, 0.6, 0.5, 0.5][week]        # declining (post-holiday backlog clears)
    w["billing"] *= [1, 1, 1, 1, 1, 1.6, 1.4, 1][week]                      # Double-11 price-protection bump
    w["app_52"] = [0, 0, 0, 0, 0, 0, 26, 55][week]                        # emerging: 5.2 ships Mon of W46
    return w


def theme_quota(rng, week, n):
    """Themes for the n ordinary rows of one week: proportional to weight, remainder drawn at random."""
    w = theme_weights(week)
    total = sum(w.values())
    out = [t for t, v in w.items() for _ in range(int(v * n / total))]
    out += rng.choices(list(w), weights=list(w.values()), k=n - len(out))
    rng.shuffle(out)
    return out


def pool(theme, lang, prod):
    return QUALITY[prod][lang] if theme == "quality" else THEMES[theme][lang]


def pick_product(rng, allowed):
    return wchoice(rng, allowed, [PRODUCTS[p][4] for p in allowed])


def sub_lang(rng, lang):
    return lang if lang != "mix" else rng.choice(["mix", "zh", "mix", "en"])


def compose(rng, theme, lang, prod):
    """Return (template text, sentiment, mixed) for one survey comment."""
    s, main = parse(rng.choice(pool(theme, lang, prod)))
    parts, mixed, sent = [main], False, s
    if s < 0:
        if theme != "support_bad" and rng.random() < 0.3:
            parts.append(parse(rng.choice(THEMES["support_bad"][sub_lang(rng, lang)]))[1])
        if s == -1 and prod in PHYSICAL and rng.random() < 0.12:
            good = [t for t in (parse(f) for f in THEMES["positive"][lang]) if t[0] == 1]
            parts[0] = join_but(rng.choice(good)[1], parts[0])
            mixed = True
        r = rng.random()
        kind = "churn" if r < 0.18 else "escalation" if r < 0.30 else "repeat" if r < 0.42 else None
        if kind:
            parts.append(rng.choice(CLOSERS[kind][sub_lang(rng, lang)]))
            sent = -2 if kind in ("churn", "escalation") else sent
        if rng.random() < 0.08 and "{order}" not in main:
            parts[0] = ("Order {order}: " if lang == "en" else "订单号{order}，") + parts[0]
    elif s > 0:
        if s == 1 and rng.random() < 0.2:
            bad_theme = rng.choice([t for t in ("delivery", "billing", "support_bad", "app_crash")
                                    if prod in THEMES[t]["products"]])
            bad = [f for f in THEMES[bad_theme][lang] if parse(f)[0] == -1]
            parts[0] = join_but(parts[0], parse(rng.choice(bad))[1])
            mixed = True
        if prod in PHYSICAL and rng.random() < 0.2:
            extra = parse(rng.choice(THEMES["positive"][sub_lang(rng, lang)]))[1]
            if extra != main:
                parts.append(extra)
        if not mixed and rng.random() < 0.3:
            closer = rng.choice(CLOSERS["advocacy"][sub_lang(rng, lang)])
            if closer.rstrip("。.") not in "".join(parts):
                parts.append(closer)
    return join(parts), sent, mixed


def add_noise(rng, text, sent, lang):
    if lang == "zh" and sent == -2 and rng.random() < 0.25 and text.endswith("。"):
        text = text[:-1] + "！！"
    if lang == "en" and rng.random() < 0.06:
        text = text.lower()
    if lang == "en" and rng.random() < 0.05:
        text = text.rstrip(".")
    if rng.random() < 0.04:
        text += {-2: "😡", -1: "😤", 0: "🤔", 1: "🙂", 2: "👍"}[sent]
    return text


def scores(rng, sent, mixed):
    nps_pool = {-2: [0, 0, 1, 1, 2, 2, 3], -1: [1, 2, 3, 3, 4, 4, 5, 5, 6], 0: [5, 6, 6, 7, 7, 8],
                1: [7, 8, 8, 9, 9], 2: [9, 9, 10, 10, 10]}
    csat_pool = {-2: [1, 1, 1, 2], -1: [1, 2, 2, 3], 0: [2, 3, 3, 3, 4], 1: [4, 4, 5], 2: [4, 5, 5, 5]}
    nps = rng.choice([3, 4, 5, 6, 7] if mixed else nps_pool[sent])
    csat = rng.choice([2, 3, 3, 4] if mixed else csat_pool[sent])
    r = rng.random()
    if r < 0.015:                       # respondent read the scale backwards
        nps, csat = 10 - nps, 6 - csat
    elif r < 0.065:
        nps = min(10, max(0, nps + rng.choice([-3, -2, 2, 3])))
    if rng.random() < 0.05:
        csat = min(5, max(1, csat + rng.choice([-1, 1])))
    return nps, csat


def rant(rng, kind, ctx, i):
    if kind == "rant_en":
        return " ".join(RANT_EN).format(**ctx)
    stages = [RANT_ZH[0][i % 2]] + [rng.choice(stage) for stage in RANT_ZH[1:]]
    return "".join(stages).format(**ctx)


SPECIALS = (["empty"] * 4 + ["ws"] * 3 + ["emoji"] * 4 + ["template"] * 5 + ["html"] * 3 + ["formula"] * 4
            + ["rant_zh"] * 2 + ["rant_en"] + ["pii_phone"] * 3 + ["pii_email"] * 2 + ["pii_id"] * 2 + ["pii_card"] * 2)


def special_row(rng, kind, counters, prod, day):
    """Return (comment, sent, lang tag) for one of the edge-case rows."""
    i = counters[kind]
    counters[kind] += 1
    if kind == "empty":
        return "", rng.choice([-1, 0, 1, 2]), "empty"
    if kind == "ws":
        return WHITESPACE[i % 3], rng.choice([0, 1, 2]), "empty"
    if kind == "emoji":
        return EMOJI_ONLY[i][0], EMOJI_ONLY[i][1], "emoji"
    if kind == "template":
        return TEMPLATE_REVIEWS[i % len(TEMPLATE_REVIEWS)], 2, "template"
    if kind == "html":
        return HTML_ROWS[i][0], HTML_ROWS[i][1], "html"
    if kind == "formula":
        return FORMULA_ROWS[i][0], FORMULA_ROWS[i][1], "formula"
    lang = "en" if kind == "rant_en" else "zh"
    ctx = make_ctx(rng, prod, day, lang)
    if kind.startswith("rant"):
        return rant(rng, kind, ctx, i), -2, lang
    sentence = PII_SENTENCES[kind[4:]][i]
    lang = "zh" if "\u4e00" <= max(sentence) else "en"
    theme = rng.choice(["billing", "support_bad", "returns", "account"])
    neg = [f for f in pool(theme, lang, prod) if parse(f)[0] < 0]
    s, text = parse(rng.choice(neg))
    return join([text, sentence]).format(**ctx), s, lang


def survey_rows(rng):
    slots = []
    for week, count in enumerate(WEEK_COUNTS):
        for _ in range(count):
            day = START + dt.timedelta(days=7 * week + rng.randrange(7))
            hour = wchoice(rng, list(range(24)), [1, .5, .3, .2, .2, .3, .8, 2, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 6, 6, 6, 4, 2])
            ts = dt.datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60), tzinfo=TZ8)
            slots.append(ts)
    slots.sort()
    kinds = SPECIALS + ["normal"] * (len(slots) - len(SPECIALS))
    rng.shuffle(kinds)
    weeks = [(ts.date() - START).days // 7 for ts in slots]
    quotas = {wk: theme_quota(rng, wk, sum(1 for i, k in enumerate(kinds) if k == "normal" and weeks[i] == wk))
              for wk in range(len(WEEK_COUNTS))}
    n_normal = kinds.count("normal")
    langs = ["zh"] * (n_normal // 2) + ["en"] * (n_normal * 3 // 10)
    langs += ["mix"] * (n_normal - len(langs))                               # 50 / 30 / 20
    rng.shuffle(langs)
    counters, rows = Counter(), []
    for ts, kind, week in zip(slots, kinds, weeks):
        day = ts.date()
        lang = langs.pop() if kind == "normal" else None
        theme = None
        if kind == "normal":
            theme = quotas[week].pop()
            prod = pick_product(rng, THEMES[theme]["products"])
            text, sent, mixed = compose(rng, theme, lang, prod)
            text = add_noise(rng, text.format(**make_ctx(rng, prod, day, lang)), sent, lang)
        else:
            prod = {"rant_zh": rng.choice(["X2", "R5"]), "rant_en": "X2"}.get(kind) or pick_product(rng, ALL)
            text, sent, lang = special_row(rng, kind, counters, prod, day)
            mixed = False
        nps, csat = scores(rng, sent, mixed)
        if kind == "template":
            nps, csat = rng.choice([10, 10, 9]), 5
        channel = wchoice(rng, ["app", "web", "store", "hotline"],
                          [30, 20, 10, 40] if theme == "support_bad" else [45, 25, 12, 18])
        region = "Overseas" if lang == "en" and rng.random() < 0.55 else rng.choice(REGIONS_CN)
        returning = 0.85 if theme in ("renewal", "returns", "account") else 0.62
        ctype = "returning" if rng.random() < returning else "new"
        rows.append({"submitted_at": ts.isoformat(), "channel": channel, "customer_type": ctype, "region": region,
                     "product": PRODUCTS[prod][0], "nps": nps, "csat": csat, "comment": text,
                     "_lang": lang, "_theme": theme or kind})
    for i, row in enumerate(rows, 1):
        row["response_id"] = f"S-{i:06d}"
    return rows


def write_survey(rng):
    rows = survey_rows(rng)
    cols = ["response_id", "submitted_at", "channel", "customer_type", "region", "product", "nps", "csat", "comment"]
    with open(OUT / "survey_2026.csv", "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)          # Excel style: BOM, CRLF, minimal quoting
        w.writerow(cols)
        for r in rows:
            w.writerow([r[c] for c in cols])
    return rows


# ================================================================ e-commerce reviews (xlsx)
class _FixedZip(zipfile.ZipFile):
    """ZipFile that stamps every member with a fixed time, so the xlsx is byte-stable."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=(2026, 11, 23, 0, 0, 0))
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
            zinfo_or_arcname.external_attr = 0o600 << 16
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as f:          # openpyxl streams worksheets via temp files
            self.writestr(arcname or Path(filename).name, f.read())


def review_text(rng, prod):
    lang = wchoice(rng, ["zh", "mix", "en"], [85, 8, 7])
    polarity = wchoice(rng, [1, -1, 0], [65, 25, 10])
    base = REVIEW[lang] + (REVIEW_FOOD if prod == "NUTS" else REVIEW_DEVICE)[lang]
    same = [f for f in base + QUALITY[prod][lang] if (parse(f)[0] > 0) - (parse(f)[0] < 0) == polarity] or base
    k = 1 if polarity == 0 else wchoice(rng, [1, 2, 3], [45, 40, 15])
    picked = rng.sample(same, k=min(len(same), k))
    sents = [parse(f)[0] for f in picked]
    texts = [parse(f)[1] for f in picked]
    mixed = False
    if polarity > 0 and rng.random() < 0.15:
        texts[-1] = join_but(texts[-1], parse(rng.choice([f for f in base if parse(f)[0] < 0] or base))[1])
        mixed = True
    sent = min(sents) if polarity < 0 else max(sents)
    stars = rng.choice([2, 3, 4] if mixed else {-2: [1, 1, 2], -1: [1, 2, 3], 0: [3, 4, 5], 1: [4, 5, 5], 2: [5]}[sent])
    return join(texts).format(**make_ctx(rng, prod, START, lang)), stars, lang


def write_reviews(rng):
    rows = []
    kinds = ["template"] * 8 + ["empty"] * 6 + ["normal"] * 186
    rng.shuffle(kinds)
    seqs = rng.sample(range(1, 100000), len(kinds))
    for kind, seq in zip(kinds, seqs):
        day = START + dt.timedelta(days=rng.randrange(56))
        when = dt.datetime(day.year, day.month, day.day, rng.randint(7, 23), rng.randrange(60), rng.randrange(60))
        order_day = day - dt.timedelta(days=rng.randint(2, 12))
        prod = pick_product(rng, PHYSICAL)
        channel = wchoice(rng, *REVIEW_CHANNELS)
        if kind == "template":
            text, stars, lang = rng.choice(TEMPLATE_REVIEWS), 5, "template"
        elif kind == "empty":
            text, stars, lang = None, rng.choice([5, 5, 5, 4, 3, 1]), "empty"
        else:
            text, stars, lang = review_text(rng, prod)
        rows.append(("000" + order_day.strftime("%Y%m%d") + f"{seq:05d}", when, stars, SKU[prod], text, channel, lang))
    rows.sort(key=lambda r: r[1], reverse=True)      # platform exports list newest first

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评价导出"
    ws.append(["订单号", "评价时间", "星级", "商品名称", "评价内容", "渠道"])
    for r in rows:
        ws.append(list(r[:6]))
        ws.cell(ws.max_row, 1).number_format = "@"
        ws.cell(ws.max_row, 2).number_format = "yyyy-mm-dd hh:mm:ss"
    for col, width in zip("ABCDEF", [20, 20, 6, 44, 60, 10]):
        ws.column_dimensions[col].width = width
    note = wb.create_sheet("说明")
    note.append(["本文件为 voc 项目的合成示例数据（sample_data/generate.py，随机种子 2026 生成）。"])
    note.append(["第一个工作表“评价导出”为电商平台评价导出格式；订单号为文本，请勿转换为数字。"])
    note.append(["所有评价内容均为虚构，不对应任何真实用户或订单。"])
    stamp = dt.datetime(2026, 11, 23, 0, 0, 0)
    wb.properties.created = wb.properties.modified = stamp
    wb.properties.creator = wb.properties.lastModifiedBy = "voc sample_data/generate.py"
    ExcelWriter(wb, _FixedZip(OUT / "reviews_ecommerce.xlsx", "w", zipfile.ZIP_DEFLATED, allowZip64=True)).save()
    return rows


# ================================================================ support tickets (GB18030 csv)
def write_tickets(rng):
    hours = list(range(8, 23))
    stamps = sorted(dt.datetime(2026, 10, 8) + dt.timedelta(days=rng.randrange(46), hours=wchoice(rng, hours, [3, 5, 6, 6, 5, 5, 6, 6, 5, 4, 3, 3, 2, 2, 1]),
                                                         minutes=rng.randrange(60)) for _ in range(60))
    seq = rng.randint(300, 900)
    rows = []
    for ts in stamps:
        seq += rng.randint(3, 40)
        ctx = make_ctx(rng, pick_product(rng, PHYSICAL), ts.date(), "zh")
        if ts.date() >= RELEASE_52 and rng.random() < 0.35:
            parts = [rng.choice(TICKET_APP52)]
        else:
            parts = [rng.choice(TICKET_ISSUES)]
        if rng.random() < 0.7:
            parts.append(rng.choice(TICKET_HISTORY))
        if rng.random() < 0.6:
            parts.append(rng.choice(TICKET_DEMAND))
        threat = rng.random() < 0.45
        if threat:
            parts.append(rng.choice(TICKET_THREAT))
        statuses = ["已升级", "处理中", "待处理"] if threat else ["待处理", "处理中", "已解决", "已关闭", "重新打开"]
        status = wchoice(rng, statuses, [50, 30, 20] if threat else [20, 30, 25, 15, 10])
        rows.append([f"GD{ts:%Y%m%d}-{seq:04d}", f"{ts:%Y/%m/%d %H:%M}", wchoice(rng, *CUSTOMER_TYPES),
                     "".join(parts).format(**ctx), status])
    with open(OUT / "tickets_gbk.csv", "w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(["工单号", "创建时间", "客户类型", "反馈内容", "处理状态"])
        w.writerows(rows)
    return rows


# ================================================================ chats (jsonl)
def line(rng, key, lang, ctx):
    pools = CHAT[key]
    return rng.choice(pools.get(lang) or pools["zh"]).format(**ctx)


def conversation(rng, pattern, lang, issue, ctx):
    """List of (speaker, text, seconds since previous turn)."""
    iz = CHAT_ISSUES[issue]["en" if lang == "en" else "zh"]
    cust = CHAT_ISSUES[issue]["mix"] if lang == "mix" else [iz[0], iz[1], iz[4]]
    ctx = dict(ctx, short=iz[2], confirm=iz[6].format(**ctx))
    alang = "en" if lang == "en" else "zh"
    C = lambda key: ("customer", line(rng, key, lang, ctx))                   # noqa: E731
    A = lambda key: ("agent", line(rng, key, alang, ctx))                     # noqa: E731
    blame = lambda: ("agent", iz[7] if rng.random() < 0.6 else line(rng, "blame", alang, ctx))  # noqa: E731
    opening, detail, info = (t.format(**ctx) for t in cust)
    fast, slow, silence = (8, 45), (20, 120), (180, 560)
    if pattern == "escalate":
        turns = [(("customer", opening), (0, 0)), (A("greet"), fast), (("customer", detail), fast),
                 (A("script"), silence), (C("repeat"), fast), (blame(), slow), (C("wait"), silence),
                 (A("script"), slow), (C("human"), fast), (A("busy"), (3, 10))]
        if rng.random() < 0.75:
            turns.append((C("threat"), silence))
        if rng.random() < 0.5:
            turns.append((A("close_script"), slow))
    elif pattern == "resolved":
        turns = [(("customer", opening), (0, 0)), (A("ack"), fast), (("agent", iz[3]), (4, 12)),
                 (("customer", info), fast), (("agent", iz[5].format(**ctx)), slow), (C("thank"), fast)]
        if rng.random() < 0.6:
            turns += [(A("confirm"), slow), (C("bye"), fast)]
    else:  # recover: bad start, then a lead takes ownership
        turns = [(("customer", join([opening, line(rng, "angry", lang, ctx)])), (0, 0)), (A("script"), slow),
                 (C("repeat"), fast), (blame(), silence), (C("human"), fast), (A("takeover"), slow),
                 (("agent", iz[3]), (4, 12)), (("customer", info), fast),
                 (("agent", iz[5].format(**ctx)), slow), (A("comp"), (5, 15)), (C("calm"), fast), (A("confirm"), slow)]
    return [(sp, text, rng.randint(*gap)) for (sp, text), gap in turns]


def write_chats(rng):
    plan = [(p, l) for ps, ls in zip(CHAT_PLAN[::2], CHAT_PLAN[1::2]) for p, l in zip(ps, ls)]
    rng.shuffle(plan)
    issues = (list(CHAT_ISSUES) * 4)[:len(plan)]
    rng.shuffle(issues)
    starts = sorted(rng.sample(range(0, 75 * 60), len(plan)))
    base = dt.datetime(2026, 11, 24, 10, 0, 0)
    events = []
    for i, ((pattern, lang), issue, start) in enumerate(zip(plan, issues, starts), 1):
        cid = f"c-{i:02d}"
        prod = rng.choice(["X2", "R5", "BUDS"]) if issue in ("refund", "delivery", "repair") else \
            {"logout": "X2", "renewal": "PLUS", "hotel": "TRIP"}[issue]
        ctx = make_ctx(rng, prod, dt.date(2026, 11, 20), lang)
        t = base + dt.timedelta(seconds=start + rng.randint(0, 59))
        for k, (speaker, text, gap) in enumerate(conversation(rng, pattern, lang, issue, ctx), 1):
            t += dt.timedelta(seconds=gap)
            events.append({"conversation_id": cid, "turn_id": f"{cid}-{k}", "ts": t.strftime("%Y-%m-%dT%H:%M:%SZ"),
                           "speaker": speaker, "text": text, "_meta": (pattern, lang, issue)})
    events.sort(key=lambda e: (e["ts"], e["conversation_id"], int(e["turn_id"].rsplit("-", 1)[1])))
    with open(OUT / "chats.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for e in events:
            f.write(json.dumps({k: v for k, v in e.items() if k != "_meta"}, ensure_ascii=False) + "\n")
    return events


# ================================================================ main
def main():
    rng = random.Random(SEED)
    survey = write_survey(rng)
    reviews = write_reviews(rng)
    tickets = write_tickets(rng)
    chats = write_chats(rng)
    print(f"survey_2026.csv       {len(survey)} rows  lang={dict(Counter(r['_lang'] for r in survey))}")
    print(f"reviews_ecommerce.xlsx {len(reviews)} rows  lang={dict(Counter(r[6] for r in reviews))}")
    print(f"tickets_gbk.csv       {len(tickets)} rows")
    convs = {e['conversation_id']: e['_meta'] for e in chats}
    print(f"chats.jsonl           {len(chats)} turns, {len(convs)} conversations  "
          f"patterns={dict(Counter(m[0] for m in convs.values()))} lang={dict(Counter(m[1] for m in convs.values()))}")


if __name__ == "__main__":
    main()

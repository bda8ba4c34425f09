"""Report wording in English and Chinese (labels themselves come from the lexicons)."""
from __future__ import annotations

TEXT = {
    "en": {
        "summary": "Summary", "pain_points": "Ranked pain points", "journey": "Journey", "trust": "Trust",
        "scores": "Scores by segment", "drivers": "Key drivers", "signals": "Follow-up lists",
        "recommendations": "Recommendations by owner", "header": "About this report", "records": "records",
        "analysed": "analysed", "excluded": "excluded", "negative_share": "negative", "frustration": "frustration",
        "touchpoint": "Touchpoint", "pillar": "Trust pillar", "volume": "Records", "share": "Share",
        "negativity": "Negativity", "trend": "Trend", "priority": "Priority", "costs": "Costs", "quotes": "In their words",
        "effort": "Effort", "valley": "Experience valley", "no_valley": "No touchpoint is significantly worse than its neighbours.",
        "violated": "violated", "honoured": "honoured", "net": "net", "theme": "Theme", "impact": "Impact",
        "interval": "95% interval", "verdict": "Verdict", "coef": "Coefficient", "n": "n",
        "churn_risk": "Churn risk", "escalation": "Escalation threats", "repeat_contact": "Repeat contact",
        "template_share": "Template / automatic reviews", "action": "Action", "size": "How big",
        "expected": "Expected effect if fixed", "customers_say": "Customers say", "inputs": "Inputs",
        "versions": "Versions", "period": "Period", "formula": "Priority formula", "segment": "Segment",
        "value": "Value", "loo": "Leave-one-out impact", "regression": "Regularised regression",
        "insufficient": "insufficient n", "no_scores": "The export has no score column.", "records_link": "records",
        "language": "Languages", "rows": "rows",
    },
    "zh": {
        "summary": "概览", "pain_points": "痛点排名", "journey": "客户旅程", "trust": "信任四要素",
        "scores": "分群得分", "drivers": "关键驱动因素", "signals": "跟进名单", "recommendations": "按负责人分列的改进建议",
        "header": "报告信息", "records": "条记录", "analysed": "已分析", "excluded": "已排除", "negative_share": "负面占比",
        "frustration": "挫败感", "touchpoint": "触点", "pillar": "信任要素", "volume": "条数", "share": "占比",
        "negativity": "负面强度", "trend": "趋势", "priority": "优先级", "costs": "客户成本", "quotes": "客户原话",
        "effort": "费力度", "valley": "体验低谷", "no_valley": "没有触点显著差于相邻触点。",
        "violated": "违背", "honoured": "兑现", "net": "净值", "theme": "主题", "impact": "影响",
        "interval": "95%置信区间", "verdict": "结论", "coef": "系数", "n": "样本数",
        "churn_risk": "流失预警", "escalation": "升级投诉威胁", "repeat_contact": "重复联系",
        "template_share": "模板/默认评价", "action": "行动", "size": "规模", "expected": "解决后的预期效果",
        "customers_say": "客户用词", "inputs": "输入文件", "versions": "版本", "period": "时间范围",
        "formula": "优先级公式", "segment": "分群", "value": "取值", "loo": "留一法影响", "regression": "正则化回归",
        "insufficient": "样本不足", "no_scores": "导出文件中没有评分列。", "records_link": "条", "language": "语言",
        "rows": "行",
    },
}


def t(lang: str, key: str) -> str:
    return TEXT.get(lang, TEXT["en"]).get(key, TEXT["en"].get(key, key))

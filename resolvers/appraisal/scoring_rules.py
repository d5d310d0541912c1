"""The tenant's scoring, ranking, grading and review rules in words, for portals and people.

Every number comes from the tenant settings; the texts state the rules the code applies
(``rules.scoring``, ``rules.ranking``, ``rules.grading``, ``rules.annual``, ``resolvers.review``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from authz import Permission
from resolvers.context import Context
from resolvers.tenant_config import tenant_config
from rules.grading import percent_text
from vocab.grades import QuarterlyGrade
from vocab.rating import RATER_ROLE_LABELS
from vocab.ties import GradeRule, TieKey, TieSettlement

MISSING_RULE_TEXTS = {
    "renormalize": "某评价主体对某人没有评价人时（按指标、维度分别判断），其权重按其余评价主体的"
                   "权重比例分摊：各评价主体都打90分，缺少谁都是90分",
    "zero": "某评价主体对某人没有评价人时（按指标、维度分别判断），该评价主体按0分计、权重照算："
            "各评价主体都打90分而缺少权重10%的下级评价时为81分",
}
SETTLEMENT_TEXTS = {
    TieSettlement.review: ("同分人员被好等次名额线或前50%线分开时，拟定等次标记“并列跨线，须研判”，"
                           "由综合研判逐一确定等次并说明理由，确定前不能批量确认等次"),
    TieSettlement.automatic: ("同分人员被好等次名额线或前50%线分开时，按上述顺序自动确定"
                              "（如人员编号较小者得名额），理由中写明由哪一项决定；"
                              "上述各项均相同仍无法区分的，仍由综合研判决定"),
}


def bands_text(bands: list[tuple[str, str]]) -> str:
    caps = "；".join(f"低于{Decimal(t).normalize():f}分最高为{QuarterlyGrade(g).label}"
                    for t, g in sorted(bands, key=lambda band: Decimal(band[0])))
    rules = "、".join(rule.label for rule in GradeRule)
    return (f"分数段（只降不升）：{caps or '未设置'}；“好”还须入围择优并在名额之内。"
            f"每人的拟定理由写明决定其等次的规则（{rules}）")


def tie_rule_text(keys: list[str], settlement: str) -> str:
    order = "、".join(TieKey(k).label for k in keys) or "不再细分（同分即并列）"
    return (f"同分同名次（1224式：并列者名次相同，其后名次顺延）；同分者的先后依次按：{order}；"
            f"{SETTLEMENT_TEXTS[TieSettlement(settlement)]}")
OVERRIDE_RULE = ("综合研判调整等次须说明理由；调整后超出名额、不在前50%"
                 "或突破负面清单、分数段限制的，一律拒绝，"
                 "除非经集体研究明确选择突破规则（override）并说明理由，"
                 "审计日志记录调整前后及所突破的规则")


def calibration_text(flag_z: str, min_ratings: int, normalize: bool) -> str:
    """The calibration (校准, ``rules.calibration``) in words."""
    flag = (f"校准分析中，评价人所给评分的平均分高于（低于）本单位同一评价主体全部评分的平均分"
            f"超过{Decimal(flag_z).normalize():f}个标准差时标记为“宽松”（“严格”），"
            f"评分少于{min_ratings}个的不作判断")
    if not normalize:
        return f"{flag}；评分按原值计入得分（未开启按评价人校准）"
    return (f"{flag}；计算得分前按评价人校准评分：校准分 = 单位同一评价主体平均分 +（原评分 − "
            "该评价人平均分）× 单位标准差 ÷ 该评价人标准差（该评价人标准差为0时不乘），"
            f"限定在0至100分，评分少于{min_ratings}个的评价人不校准；得分说明列出校准前后的评分")


def completeness_text(guard_review: bool, unit_appraises_unmanaged: bool) -> str:
    guard = ("评价未完成（有人缺少应有评价主体的评价）时不能进入“综合研判”，"
             if guard_review else "")
    unmanaged = ("本单位内无人管理的人员（如主要领导）也由本单位评价" if unit_appraises_unmanaged
                 else "本单位内无人管理的人员（如主要领导）由上级考核，"
                      "不参加本单位排名、名额和反馈谈话")
    return (f"{guard}计算得分时列出缺评的人员、评价主体和评价人并拒绝计算，除非管理员确认继续计算；"
            f"没有任何评价的人员列为“未评价”，不计得分、排名和等次（不按0分计）；{unmanaged}")


@dataclass(frozen=True)
class RulesSummary:
    role_weights: list[tuple[str, str, int]]  # (role, label, percent)
    missing_rater_rule: str
    missing_rater_rule_text: str
    rounding_places: int
    rounding_mode: str
    tie_rule: str
    top_half_rule: str
    good_quota_rule: str
    grade_bands_rule: str
    excellent_quota_rule: str
    override_rule: str
    completeness_rule: str
    compare_groups_separately: bool
    calibration_rule: str = ""


async def summary(ctx: Context) -> RulesSummary:
    ctx.require(Permission.tenant_read)
    config = await tenant_config(ctx)
    rating, grading, annual = config.rating, config.grading, config.annual
    shortlist = percent_text(Decimal(grading.shortlist_share))
    good = percent_text(Decimal(grading.good_quota_share))
    excellent = percent_text(Decimal(annual.excellent_quota_share))
    return RulesSummary(
        role_weights=[(role, RATER_ROLE_LABELS.get(role, role), weight)
                      for role, weight in rating.role_weights.items()],
        missing_rater_rule=rating.missing_rater_rule,
        missing_rater_rule_text=MISSING_RULE_TEXTS[rating.missing_rater_rule],
        rounding_places=rating.rounding_places, rounding_mode=rating.rounding_mode,
        tie_rule=tie_rule_text(grading.tie_keys, grading.tie_settlement),
        top_half_rule=(f"入围择优：名次不超过 max(1, ⌊n×{shortlist}⌋) 者为前{shortlist}"
                       "（n为参加排名人数；同分者被界线分开时按上述并列规则处理）；"
                       "季度“好”、年度“优秀”只能从中产生"),
        grade_bands_rule=bands_text(grading.score_bands),
        good_quota_rule=(f"“好”等次不超过参加考核人数的{good}（向下取整，至少1名），"
                         "名额按排名先后分配" + (
                             "；名额按部门考核结果（考事）分配到各部门，结果好的部门名额多，"
                             "全单位名额和入围择优规则不变"
                             if config.department_results.allocate_good_quota else "")),
        excellent_quota_rule=(f"年度“优秀”不超过参加考核人数的{excellent}（四舍五入，至少1名），"
                              f"须多数季度为“好”且无“一般”“较差”，并位于前{shortlist}"),
        override_rule=OVERRIDE_RULE,
        completeness_rule=completeness_text(config.periods.require_ratings_to_review,
                                            rating.appraise_unmanaged_in_unit),
        compare_groups_separately=grading.compare_groups_separately,
        calibration_rule=calibration_text(config.calibration.flag_z,
                                          config.calibration.min_ratings,
                                          config.calibration.normalize))

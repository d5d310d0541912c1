"""Cross-unit comparison figures (市委组织部横向比较): the one definition of every figure.

The database computes *measures* for each unit (tenant) and period: counts and sums only,
under each tenant's own row-level security, through the function ``platform_figures`` of
migration 0008 (the SQL there names exactly the measures of ``RAW_MEASURES``). This module turns
measures into *figures*: every figure is a registry entry (code, Chinese name, definition,
numerator and denominator measures, scale), so two units — or two groups of units — are always
measured the same way. Nothing else computes a figure.

Privacy:

* A unit-period whose appraised headcount is below the minimum group size never leaves the
  database with its measures (the function answers ``suppressed`` only); its figures are null
  and flagged suppressed here.
* Sub-groups inside a unit are held to the same minimum in the database (a grade's or a
  department's bonus only counts when at least that many people were paid).
* A group of units (by kind) is the sum of its released units (suppressed units are left out,
  so that no subtraction reveals them); a group whose headcount is below the minimum is
  suppressed too.

Pure: no I/O, nothing of the project but other rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from rules.grading import QuotaRounding, quota
from vocab.grades import GRADE_LABELS, AnnualGrade, QuarterlyGrade
from vocab.org import ComparisonGroup
from vocab.oversight import UnitGroup
from vocab.periods import PeriodKind

__all__ = [
    "ANNUAL_GRADES",
    "DERIVED_MEASURES",
    "FIGURES",
    "FIGURE_BY_CODE",
    "MEASURES",
    "QUARTERLY_GRADES",
    "RAW_MEASURES",
    "Combine",
    "Figure",
    "FigureValue",
    "Measure",
    "QuotaPolicy",
    "combine",
    "derive",
    "evaluate",
    "group_of_kind",
    "is_suppressed",
    "period_key",
    "period_kind_of_key",
    "top_grade_quota",
]

QUARTERLY_GRADES = tuple(g.value for g in QuarterlyGrade)
ANNUAL_GRADES = tuple(g.value for g in AnnualGrade)
COMPARISON_GROUPS = tuple(g.value for g in ComparisonGroup)
QUARTER, YEAR = PeriodKind.quarter.value, PeriodKind.year.value
BOTH = frozenset({QUARTER, YEAR})


def period_key(year: int, quarter: int | None) -> str:
    """The key a period is selected by, the same in every tenant: "2025Q1", or "2025"."""
    return f"{year}Q{quarter}" if quarter is not None else str(year)


def period_kind_of_key(key: str) -> str:
    return QUARTER if "Q" in key else YEAR


# --- measures -------------------------------------------------------------------------------


class Combine(StrEnum):
    """How a measure of several units adds up to the measure of their group."""

    sum = "sum"
    max = "max"
    min = "min"


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    combine: Combine = Combine.sum


def _measures(*items: Measure) -> dict[str, Measure]:
    return {m.code: m for m in items}


# What the database function returns (see migration 0008). Counts are of the unit-period's
# population: the people with a result in the period, or, before results exist, the active
# people marked as appraised.
RAW_MEASURES: dict[str, Measure] = _measures(
    Measure("headcount", "参加考核人数"),
    Measure("graded", "已定等次人数"),
    *(Measure(f"grade_{g}", f"{GRADE_LABELS[g]}等次人数") for g in QUARTERLY_GRADES),
    *(Measure(f"grade_{g}", f"{GRADE_LABELS[g]}等次人数") for g in ANNUAL_GRADES),
    Measure("ranked_leader", "领导组参加排名人数（已定等次，不含不定等次）"),
    Measure("ranked_staff", "干部组参加排名人数（已定等次，不含不定等次）"),
    Measure("decl_submitted", "已提交实绩申报份数"),
    Measure("decl_on_time", "截止时间前提交的申报份数"),
    Measure("decl_items", "已提交申报的事项数"),
    Measure("rating_assigned", "评价任务数（评价人-被评价人）"),
    Measure("rating_done", "已评分的评价任务数"),
    Measure("interviews_held", "已记录的反馈谈话数"),
    Measure("credits", "点赞事项（已确认加分记录）数"),
    Measure("deductions", "错情通报（已确认减分记录）数"),
    Measure("tasks_due", "期内到期的目标任务数"),
    Measure("tasks_late", "期内到期且滞后的目标任务数"),
    Measure("rectified_items", "已整改的滞后事项数"),
    Measure("rectification_days", "滞后事项自到期至整改的天数合计"),
    Measure("care_list", "关心帮助名单人数"),
    Measure("care_mentored", "名单中有结对帮带的人数"),
    Measure("use_promotion", "职务提拔、职级晋升人次"),
    Measure("use_deferral", "暂缓晋升人次"),
    Measure("use_post_adjustment", "岗位调整人次"),
    Measure("use_training", "精准培训条目数"),
    *(Measure(f"bonus_paid_{g}", f"奖金：{GRADE_LABELS[g]}等次获发人数（不少于最小人数）")
      for g in (*QUARTERLY_GRADES, *ANNUAL_GRADES)),
    *(Measure(f"bonus_cents_{g}", f"奖金：{GRADE_LABELS[g]}等次金额合计（分）")
      for g in (*QUARTERLY_GRADES, *ANNUAL_GRADES)),
    Measure("bonus_dept_percap_max", "奖金：部门人均最高（分）", Combine.max),
    Measure("bonus_dept_percap_min", "奖金：部门人均最低（分）", Combine.min),
    Measure("bonus_within_ratio_sum", "奖金：各部门内最高/最低之比的合计"),
    Measure("bonus_within_departments", "奖金：参与部门内比较的部门数"),
)

# Computed here from the raw measures (per unit before combining: quota_top; after: the rest).
DERIVED_MEASURES: dict[str, Measure] = _measures(
    Measure("quota_top", "好（季度）/优秀（年度）等次名额"),
    Measure("grade_top", "好（季度）/优秀（年度）等次人数"),
    Measure("bonus_grade_avg_max", "奖金：各等次人均最高（分）", Combine.max),
    Measure("bonus_grade_avg_min", "奖金：各等次人均最低（分）", Combine.min),
)
MEASURES: dict[str, Measure] = {**RAW_MEASURES, **DERIVED_MEASURES}


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    code: str
    name: str
    category: str
    definition: str
    numerator: str  # a measure code
    denominator: str | None  # a measure code; None: the figure is the numerator itself
    unit: str
    scale: Decimal = Decimal(1)
    places: int = 1
    period_kinds: frozenset[str] = BOTH

    @property
    def numerator_label(self) -> str:
        return MEASURES[self.numerator].label

    @property
    def denominator_label(self) -> str | None:
        return MEASURES[self.denominator].label if self.denominator else None


PCT = Decimal(100)


def _grade_share(grade: str, kinds: frozenset[str]) -> Figure:
    return Figure(
        f"grade_share_{grade}", f"“{GRADE_LABELS[grade]}”等次占比", "等次分布",
        f"期内评定为“{GRADE_LABELS[grade]}”的人数占已定等次人数的百分比。",
        f"grade_{grade}", "graded", "%", PCT, 1, kinds)


FIGURES: tuple[Figure, ...] = (
    Figure("headcount", "参加考核人数", "考核规模",
           "期内有考核结果的人数；尚未形成结果的期次，为在职且参加考核的人数。其余按人计算的"
           "指标都以此为口径。", "headcount", None, "人", Decimal(1), 0),
    *(_grade_share(g, frozenset({QUARTER})) for g in QUARTERLY_GRADES),
    *(_grade_share(g, frozenset({YEAR})) for g in ANNUAL_GRADES),
    Figure("top_grade_quota_use", "好/优秀等次名额使用率", "等次分布",
           "评定为“好”（季度）或“优秀”（年度）的人数占本单位等次名额的百分比；名额按本单位"
           "设置的比例计算（季度“好”向下取整、年度“优秀”四舍五入，至少1名；分组比较时按组计算"
           "后相加）。超过100%即突破名额。", "grade_top", "quota_top", "%", PCT, 1),
    Figure("declaration_rate", "实绩申报率", "实绩申报",
           "已提交实绩申报的人数占参加考核人数的百分比。", "decl_submitted", "headcount", "%",
           PCT, 1),
    Figure("declaration_on_time_rate", "按时申报率", "实绩申报",
           "在申报截止时间前提交的申报占已提交申报的百分比（未设截止时间的期次，提交即为按时）。",
           "decl_on_time", "decl_submitted", "%", PCT, 1),
    Figure("items_per_declaration", "平均申报事项数", "实绩申报",
           "已提交申报的事项总数除以已提交申报份数。", "decl_items", "decl_submitted", "项",
           Decimal(1), 2),
    Figure("rater_coverage", "评价完成率", "多元评价",
           "至少录入一项评分的评价任务（一名评价人对一名被评价人）占全部评价任务的百分比。",
           "rating_done", "rating_assigned", "%", PCT, 1),
    Figure("interview_completion", "反馈谈话完成率", "反馈谈话",
           "已记录反馈谈话的人数占参加考核人数的百分比（仅季度）。", "interviews_held",
           "headcount", "%", PCT, 1, frozenset({QUARTER})),
    Figure("commendations_per_100", "每百人点赞事项", "点赞与错情",
           "期内发生日期的已确认点赞事项（加分记录）数，每百名参加考核人员。", "credits",
           "headcount", "次/百人", PCT, 1),
    Figure("error_notices_per_100", "每百人错情通报", "点赞与错情",
           "期内发生日期的已确认错情通报（减分记录）数，每百名参加考核人员。", "deductions",
           "headcount", "次/百人", PCT, 1),
    Figure("overdue_task_rate", "任务滞后率", "督办",
           "到期日在期内、未取消的目标任务中，到期未完成或逾期完成的百分比（按统计当日判断）。",
           "tasks_late", "tasks_due", "%", PCT, 1),
    Figure("rectification_days", "平均整改用时", "督办",
           "到期日在期内、已整改的滞后事项（任务或时间节点），自到期日至首次整改日的平均天数。",
           "rectification_days", "rectified_items", "天", Decimal(1), 1),
    Figure("care_list_size", "关心帮助名单人数", "关心帮助",
           "按本单位关心帮助规则（排名靠后、明显退步、人岗契合度低、长期评价较差）列入季度"
           "名单的在职人数。", "care_list", None, "人", Decimal(1), 0, frozenset({QUARTER})),
    Figure("mentoring_coverage", "结对帮带覆盖率", "关心帮助",
           "名单中有结对帮带（在本季度开始前未结束）的人数占名单人数的百分比。",
           "care_mentored", "care_list", "%", PCT, 1, frozenset({QUARTER})),
    Figure("promotions_per_100", "每百人提拔晋升", "考用结合",
           "决定日期在期内的职务提拔和职级晋升人次，每百名参加考核人员。", "use_promotion",
           "headcount", "人次/百人", PCT, 1),
    Figure("deferrals_per_100", "每百人暂缓晋升", "考用结合",
           "决定日期在期内的暂缓晋升人次，每百名参加考核人员。", "use_deferral", "headcount",
           "人次/百人", PCT, 1),
    Figure("post_adjustments_per_100", "每百人岗位调整", "考用结合",
           "决定日期在期内的岗位调整人次，每百名参加考核人员。", "use_post_adjustment",
           "headcount", "人次/百人", PCT, 1),
    Figure("training_per_100", "每百人精准培训", "考用结合",
           "决定日期在期内的精准培训条目数（可针对个人或部门），每百名参加考核人员。",
           "use_training", "headcount", "条/百人", PCT, 1),
    Figure("bonus_grade_ratio", "等次间奖金差距", "奖金拉差",
           "期次已确认的奖金分配中，各等次人均奖金最高值与最低值之比（只计获发人数不少于最小"
           "人数、人均大于0的等次；不足两个等次时无数据）。", "bonus_grade_avg_max",
           "bonus_grade_avg_min", "倍", Decimal(1), 2),
    Figure("bonus_between_departments", "部门间奖金差距", "奖金拉差",
           "期次已确认的奖金分配中，部门人均奖金最高值与最低值之比（只计获发人数不少于最小"
           "人数的部门）。", "bonus_dept_percap_max", "bonus_dept_percap_min", "倍",
           Decimal(1), 2),
    Figure("bonus_within_departments", "部门内奖金差距", "奖金拉差",
           "期次已确认的奖金分配中，各部门内个人奖金最高值与最低值之比的平均值（只计获发人数"
           "不少于最小人数的部门）。", "bonus_within_ratio_sum", "bonus_within_departments",
           "倍", Decimal(1), 2),
)
FIGURE_BY_CODE: dict[str, Figure] = {f.code: f for f in FIGURES}


# --- groups of units --------------------------------------------------------------------------


_GROUP_OF_KIND = {
    "discipline_commission": UnitGroup.commission,
    "industrial_park": UnitGroup.park,
    "county_bureau": UnitGroup.county_bureau,
    "township": UnitGroup.town,
    "subdistrict": UnitGroup.town,
}


def group_of_kind(kind: str) -> UnitGroup | None:
    """The comparison group of a tenant kind (None: the overseer, not a unit compared)."""
    return _GROUP_OF_KIND.get(kind)


# --- computation ----------------------------------------------------------------------------


def is_suppressed(headcount: Decimal | int | None, min_group: int) -> bool:
    return headcount is None or Decimal(headcount) < min_group


@dataclass(frozen=True)
class QuotaPolicy:
    """A unit's quota of its top grade (好 per quarter, 优秀 per year)."""

    share: Decimal
    rounding: QuotaRounding
    at_least_one: bool = True
    separately: bool = False  # comparison groups graded separately: a quota per group


def top_grade_quota(measures: Mapping[str, Decimal], policy: QuotaPolicy) -> int:
    """The unit's top-grade quota for the people ranked (by comparison group if separate)."""
    counts = [int(measures.get(f"ranked_{g}", Decimal(0))) for g in COMPARISON_GROUPS]
    if policy.separately:
        return sum(quota(n, policy.share, policy.rounding, at_least_one=policy.at_least_one)
                   for n in counts)
    return quota(sum(counts), policy.share, policy.rounding, at_least_one=policy.at_least_one)


def combine(units: Iterable[Mapping[str, Decimal]]) -> dict[str, Decimal]:
    """The measures of a group of units: sums, or the max/min the measure says."""
    out: dict[str, Decimal] = {}
    for measures in units:
        for code, value in measures.items():
            rule = MEASURES[code].combine if code in MEASURES else Combine.sum
            if code not in out:
                out[code] = value
            elif rule is Combine.max:
                out[code] = max(out[code], value)
            elif rule is Combine.min:
                out[code] = min(out[code], value)
            else:
                out[code] = out[code] + value
    return out


def derive(measures: Mapping[str, Decimal], period_kind: str) -> dict[str, Decimal]:
    """Adds the derived measures that read other measures (after combining)."""
    out = dict(measures)
    top = "good" if period_kind == QUARTER else "excellent"
    out["grade_top"] = measures.get(f"grade_{top}", Decimal(0))
    averages = []
    for grade in (*QUARTERLY_GRADES, *ANNUAL_GRADES):
        paid = measures.get(f"bonus_paid_{grade}", Decimal(0))
        cents = measures.get(f"bonus_cents_{grade}", Decimal(0))
        if paid > 0 and cents > 0:
            averages.append(cents / paid)
    if len(averages) >= 2:
        out["bonus_grade_avg_max"] = max(averages)
        out["bonus_grade_avg_min"] = min(averages)
    return out


@dataclass(frozen=True)
class FigureValue:
    code: str
    value: Decimal | None
    suppressed: bool
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def _measure(measures: Mapping[str, Decimal], code: str) -> Decimal | None:
    if code in measures:
        return measures[code]
    # Counts absent from the answer are zero; a max/min absent has no data.
    return Decimal(0) if MEASURES[code].combine is Combine.sum else None


def evaluate(measures: Mapping[str, Decimal], period_kind: str, *, suppressed: bool,
             figures: Sequence[Figure] = FIGURES) -> tuple[FigureValue, ...]:
    """Every figure of one unit (or group) and period. Null value: suppressed, not applicable
    to the period's kind, or no data (a zero or missing denominator)."""
    values = []
    for figure in figures:
        if suppressed:
            values.append(FigureValue(figure.code, None, True))
            continue
        if period_kind not in figure.period_kinds:
            values.append(FigureValue(figure.code, None, False))
            continue
        numerator = _measure(measures, figure.numerator)
        denominator = _measure(measures, figure.denominator) if figure.denominator else None
        value: Decimal | None
        if numerator is None:
            value = None
        elif figure.denominator is None:
            value = numerator * figure.scale
        elif denominator is None or denominator == 0:
            value = None
        else:
            value = numerator * figure.scale / denominator
        if value is not None:
            value = value.quantize(Decimal(1).scaleb(-figure.places), ROUND_HALF_UP)
        values.append(FigureValue(figure.code, value, False, numerator, denominator))
    return tuple(values)

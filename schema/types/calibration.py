"""GraphQL types of the calibration view (校准分析, issue 17 part 3)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import strawberry

from resolvers.appraisal.calibration import Calibration, DepartmentRow, RaterRow
from rules.scoring import RoundingRule
from schema.enums import labelled_enum
from schema.types.ratings import Grade, RaterRole
from vocab.calibration import RaterTendency as RaterTendencyValue
from vocab.grades import GRADE_LABELS
from vocab.grades import Grade as GradeValue
from vocab.rating import RATER_ROLE_LABELS
from vocab.rating import RaterRole as RaterRoleValue

RaterTendency = labelled_enum(
    RaterTendencyValue, "RaterTendency",
    "评价人的宽严：" + "、".join(t.label for t in RaterTendencyValue))

_TWO = RoundingRule(2)


def _percent(share: Fraction) -> Decimal:
    return RoundingRule(1).apply(share * 100)


@strawberry.type(description="校准分析中某一等次的人数和占比")
class CalibrationGradeCount:
    grade: Grade = strawberry.field(description="等次")  # type: ignore[valid-type]
    label: str = strawberry.field(description="等次的中文名")
    count: int = strawberry.field(description="人数（已确认的等次，确认前按拟定等次计）")
    percent: Decimal = strawberry.field(description="占本部门人数的百分比，保留1位小数")
    unit_percent: Decimal = strawberry.field(description="全单位该等次人数的百分比，保留1位小数")


@strawberry.type(description=(
    "一个部门的等次分布：各等次人数与占比，对照本部门的最高等次名额和全单位的分布"))
class CalibrationDepartment:
    department_id: str = strawberry.field(description=(
        "部门（机构）id；按部门考核结果分配名额时，未纳入部门考核的人员合为一组，id 为空字符串"))
    name: str = strawberry.field(description="部门名称")
    headcount: int = strawberry.field(description="本部门参加排名、有等次的人数")
    grades: list[CalibrationGradeCount] = strawberry.field(description="各等次的人数和占比")
    quota: int = strawberry.field(description="本部门最高等次（季度为好，年度为优秀）的名额")
    top_count: int = strawberry.field(description="本部门当前为最高等次的人数")
    over_quota: bool = strawberry.field(description="最高等次人数是否超过本部门名额")

    @classmethod
    def of(cls, row: DepartmentRow) -> CalibrationDepartment:
        d = row.distribution
        return cls(department_id=row.department_id, name=row.name, headcount=d.headcount,
                   grades=[CalibrationGradeCount(
                       grade=GradeValue(g), label=GRADE_LABELS[g], count=c,
                       percent=_percent(d.shares[g]), unit_percent=_percent(d.unit_shares[g]))
                       for g, c in d.counts.items()],
                   quota=d.quota, top_count=d.counts[d.top_grade], over_quota=d.over_quota)


@strawberry.type(description=(
    "一名评价人（按评价主体分别统计）所给评分的统计，对照本单位同一评价主体的全部评分"))
class CalibrationRater:
    person_id: strawberry.ID = strawberry.field(description="评价人的人员 id")
    name: str = strawberry.field(description="评价人姓名")
    role: RaterRole = strawberry.field(description="评价主体")  # type: ignore[valid-type]
    role_label: str = strawberry.field(description="评价主体的中文名")
    ratings: int = strawberry.field(description="评分个数（每个指标维度的一次评分计1个）")
    mean: Decimal = strawberry.field(description="所给评分的平均分，保留2位小数")
    deviation: Decimal = strawberry.field(description="所给评分的标准差（总体标准差），保留2位小数")
    unit_mean: Decimal = strawberry.field(
        description="本单位同一评价主体全部评分的平均分，保留2位小数")
    unit_deviation: Decimal = strawberry.field(
        description="本单位同一评价主体全部评分的标准差，保留2位小数")
    z: Decimal | None = strawberry.field(description=(
        "平均分高出（负数为低于）单位平均分多少个单位标准差，保留2位小数；单位标准差为0时为 null"))
    tendency: RaterTendency = strawberry.field(  # type: ignore[valid-type]
        description="宽严判断：宽松、严格、正常，或评分过少不作判断")
    tendency_label: str = strawberry.field(description="宽严判断的中文名")
    flagged: bool = strawberry.field(description="是否被标记为宽松或严格")

    @classmethod
    def of(cls, row: RaterRow) -> CalibrationRater:
        c = row.calibration
        z = c.z
        return cls(person_id=strawberry.ID(str(row.person_id)), name=row.name,
                   role=RaterRoleValue(c.role), role_label=RATER_ROLE_LABELS.get(c.role, c.role),
                   ratings=c.own.count, mean=_TWO.apply(c.own.mean),
                   deviation=_TWO.apply(c.own.deviation), unit_mean=_TWO.apply(c.unit.mean),
                   unit_deviation=_TWO.apply(c.unit.deviation),
                   z=None if z is None else _TWO.apply(z), tendency=c.tendency,
                   tendency_label=c.tendency.label,
                   flagged=c.tendency in (RaterTendencyValue.lenient, RaterTendencyValue.strict))


@strawberry.type(description=(
    "一个考核周期的校准分析：各部门等次分布对照名额和全单位分布，各评价人宽严对照本单位同一评价"
    "主体；组织人事部门和主要领导可查看。计算方法见 rules/calibration.py"))
class CalibrationView:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    period_name: str = strawberry.field(description="考核周期名称")
    top_grade: Grade = strawberry.field(  # type: ignore[valid-type]
        description="受名额限制的最高等次：季度为好，年度为优秀")
    top_grade_label: str = strawberry.field(description="最高等次的中文名")
    quota_basis: str = strawberry.field(description=(
        "部门名额的依据：按部门考核结果分配的名额，或按单位比例折算的名额（参考）"))
    unit_headcount: int = strawberry.field(description="全单位参加排名、有等次的人数")
    unit_grades: list[CalibrationGradeCount] = strawberry.field(
        description="全单位各等次的人数和占比")
    departments: list[CalibrationDepartment] = strawberry.field(
        description="各部门的等次分布（尚未计算得分时为空）")
    raters: list[CalibrationRater] = strawberry.field(
        description="各评价人（按评价主体分别统计）的评分统计和宽严判断")
    flag_distance: Decimal = strawberry.field(description=(
        "宽严判断的距离（单位标准差的倍数，单位设置 calibration.flag_z）"))
    min_ratings: int = strawberry.field(description="参与判断的最少评分数（单位设置）")
    normalize: bool = strawberry.field(description="是否在计算得分前按评价人校准评分（单位设置）")

    @classmethod
    def of(cls, row: Calibration) -> CalibrationView:
        total = sum(row.unit_counts.values())
        return cls(
            period_id=strawberry.ID(str(row.period.id)), period_name=row.period.name,
            top_grade=GradeValue(row.top_grade), top_grade_label=GRADE_LABELS[row.top_grade],
            quota_basis=row.quota_basis, unit_headcount=total,
            unit_grades=[CalibrationGradeCount(
                grade=GradeValue(g), label=GRADE_LABELS[g], count=c,
                percent=_percent(Fraction(c, total) if total else Fraction(0)),
                unit_percent=_percent(Fraction(c, total) if total else Fraction(0)))
                for g, c in row.unit_counts.items()],
            departments=[CalibrationDepartment.of(d) for d in row.departments],
            raters=[CalibrationRater.of(r) for r in row.raters],
            flag_distance=row.flag_z, min_ratings=row.min_ratings, normalize=row.normalize)


__all__ = ["CalibrationView", "RaterTendency"]

"""GraphQL types of rating, scores, grades, review and publicity (issue 5)."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from models import PersonResult as ResultRow
from models import RaterAssignment as AssignmentRow
from resolvers.appraisal import raters
from resolvers.appraisal.grading import DIMENSION_LINE
from resolvers.appraisal.objections import outcomes_by_result as objection_outcomes
from resolvers.appraisal.publicity import PublicityEntry as PublicityRow
from resolvers.appraisal.ratings import RatingForm as FormRow
from resolvers.org import structure as org
from schema.context import GraphQLContext, loader_for
from schema.descriptions import ID_DOC
from schema.enums import labelled_enum
from schema.types.declarations import DeclarationItem
from schema.types.objections import ObjectionOutcome
from schema.types.org import OrgUnit, Person, load_unit
from schema.types.plans import RatingDimension
from vocab.grades import GRADE_LABELS, AnnualGrade, QuarterlyGrade
from vocab.grades import Grade as GradeValue
from vocab.grades import ResultStatus as ResultStatusValue
from vocab.rating import RATER_ROLE_LABELS
from vocab.rating import RaterRole as RaterRoleValue

GInfo = Info[GraphQLContext, None]

Grade = labelled_enum(
    GradeValue, "Grade",
    f"等次：季度（平时考核）{'、'.join(g.label for g in QuarterlyGrade)}；"
    f"年度 {'、'.join(g.label for g in AnnualGrade)}")
ResultStatus = labelled_enum(
    ResultStatusValue, "ResultStatus",
    "考核结果状态：" + "、".join(s.label for s in ResultStatusValue)
    + "；后两者不计得分、排名和等次，不占名额")
RaterRole = labelled_enum(
    RaterRoleValue, "RaterRole",
    f"评价主体：{'、'.join(RATER_ROLE_LABELS.values())}")


def grade_label(grade: str | None) -> str | None:
    return GRADE_LABELS.get(grade) if grade else None


def plain(value: Decimal) -> Decimal:
    """A stored numeric without the column's trailing zeros (83.2200 -> 83.22, 80.00 -> 80)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


@strawberry.type(description="评价关系：某人在本周期由谁、以何种评价主体身份评价")
class RaterAssignment:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="被评价人 id")
    rater_id: strawberry.ID = strawberry.field(description="评价人的人员 id")
    role: RaterRole = strawberry.field(  # type: ignore[valid-type]
        description="评价人以何种评价主体身份评价")
    role_label: str = strawberry.field(description="评价主体的中文名")
    source: str = strawberry.field(description="generated（按管理关系生成）或 manual（手工调整）")

    @strawberry.field(description="被评价人姓名")
    async def person_name(self, info: GInfo) -> str:
        found = await loader_for(info.context, org.manager_names).load(uuid.UUID(self.person_id))
        return found[0] if found else ""

    @strawberry.field(description="评价人姓名")
    async def rater_name(self, info: GInfo) -> str:
        found = await loader_for(info.context, org.manager_names).load(uuid.UUID(self.rater_id))
        return found[0] if found else ""

    @strawberry.field(description="已评分的格数（指标×维度）")
    async def rated_count(self, info: GInfo) -> int:
        return await loader_for(info.context, raters.rated_counts).load(uuid.UUID(self.id))

    @classmethod
    def of(cls, row: AssignmentRow) -> RaterAssignment:
        return cls(id=strawberry.ID(str(row.id)), period_id=strawberry.ID(str(row.period_id)),
                   person_id=strawberry.ID(str(row.person_id)),
                   rater_id=strawberry.ID(str(row.rater_id)), role=row.role,
                   role_label=RATER_ROLE_LABELS.get(row.role, row.role), source=row.source)


@strawberry.type(description="评价表中的一项评价指标")
class RatingFormIndicator:
    id: strawberry.ID = strawberry.field(description="指标 id（填入 RatingCellInput.indicatorId）")
    code: str = strawberry.field(description="指标编码")
    name: str = strawberry.field(description="指标名称")
    description: str = strawberry.field(description="指标说明；没有为空串")
    weight: int | None = strawberry.field(description="在所属分类中的权重（%）")


@strawberry.type(description="评价表中已填写的一格：某指标某维度的评分及评语")
class RatingCell:
    indicator_id: strawberry.ID = strawberry.field(description="指标 id")
    dimension: str = strawberry.field(description="评价维度编码")
    value: Decimal = strawberry.field(description="评分（0–100，最多两位小数）")
    comment: str = strawberry.field(description="评语；未填写为空串")


@strawberry.type(description="评价表：评价人对某人的评分，旁边是此人已提交的实绩申报")
class RatingForm:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    assignment_id: strawberry.ID = strawberry.field(description="评价关系 id")
    person_id: strawberry.ID = strawberry.field(description="被评价人 id")
    person_name: str = strawberry.field(description="被评价人姓名")
    unit_name: str = strawberry.field(description="被评价人所在部门名称")
    role: RaterRole = strawberry.field(  # type: ignore[valid-type]
        description="评价人的评价主体身份")
    role_label: str = strawberry.field(description="评价主体的中文名")
    indicators: list[RatingFormIndicator] = strawberry.field(description="须评价的指标")
    dimensions: list[RatingDimension] = strawberry.field(
        description="本评价主体评价的维度（如黄水镇的外部评价人只评协同配合）")
    cells: list[RatingCell] = strawberry.field(description="已填写的评分")
    declaration_submitted_at: datetime | None = strawberry.field(
        description="实绩申报提交时间；未提交时为 null、申报内容为空")
    declaration_items: list[DeclarationItem] = strawberry.field(
        description="此人本周期已提交的实绩申报（评价时对照查看）")

    @classmethod
    def of(cls, form: FormRow) -> RatingForm:
        codes = {n.id: n.code for n in form.indicators}
        return cls(
            period_id=strawberry.ID(str(form.period.id)),
            assignment_id=strawberry.ID(str(form.assignment.id)),
            person_id=strawberry.ID(str(form.person.id)), person_name=form.person.name,
            unit_name=form.unit_name, role=form.assignment.role,
            role_label=RATER_ROLE_LABELS.get(form.assignment.role, form.assignment.role),
            indicators=[RatingFormIndicator(id=strawberry.ID(str(n.id)), code=n.code,
                                            name=n.name, description=n.description,
                                            weight=n.weight) for n in form.indicators],
            dimensions=[RatingDimension.of(d) for d in form.dimensions],
            cells=[RatingCell(indicator_id=strawberry.ID(str(v.node_id)), dimension=v.dimension,
                              value=plain(v.value), comment=v.comment)
                   for v in sorted(form.values, key=lambda v: (codes.get(v.node_id, ""),
                                                               v.dimension))],
            declaration_submitted_at=form.declaration.submitted_at if form.declaration else None,
            declaration_items=[DeclarationItem.of(i) for i in form.items])


@strawberry.type(description="得分说明的一行：哪个评价主体、哪项指标、哪项加减分使得分变化")
class ExplanationLine:
    kind: str = strawberry.field(description=(
        "conduct 政治素质负面清单（先行评价）、conduct_cap、rater_role 评价主体贡献、"
        "missing_role 缺少评价主体、indicator 指标贡献（与评价主体贡献是同一部分的另一种拆分）、"
        "credit 加分、credit_cap、deduction 减分、deduction_cap、rounding 舍入；"
        "年度：quarter、annual_score、not_graded"))
    source: str = strawberry.field(description="来源：评价主体、指标编码或加减分事项的名称")
    delta: Decimal = strawberry.field(description="对得分的影响（分）")
    text: str = strawberry.field(description="这一行的中文说明")


@strawberry.type(description="某一评价维度的得分（0-100，各评价主体按权重综合），用于培训需求分析")
class DimensionScore:
    code: str = strawberry.field(description="维度编码")
    name: str = strawberry.field(description="维度名称")
    score: Decimal = strawberry.field(description="该维度的综合得分（0–100，保留两位小数）")


def explanation_lines(explanation: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """The stored explanation's score lines as a client reads them whole (``explanationJson``):
    the fields of ``ExplanationLine``, ``delta`` as a decimal string like the typed field."""
    return [{"kind": str(line["kind"]), "source": str(line["source"]),
             "delta": str(Decimal(str(line["delta"]))), "text": str(line["text"])}
            for line in explanation or [] if line.get("kind") != DIMENSION_LINE]


def dimension_scores(explanation: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """The stored dimension scores as a client reads them whole (``dimensionScoresJson``): the
    fields of ``DimensionScore``, ``score`` as a decimal string like the typed field."""
    return [{"code": str(line["source"]), "name": str(line.get("text", "")),
             "score": str(Decimal(str(line["score"])))}
            for line in explanation or [] if line.get("kind") == DIMENSION_LINE]


@strawberry.type(description=(
    "某人某周期的考核结果：得分、排名、拟定等次与确定等次、理由和得分说明。"
    "本人在公示后可见；领导可见其管理的人员；组织人事部门可见全部"))
class PersonResult:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="被考核人 id")
    unit_id: strawberry.ID = strawberry.field(description="计算结果时此人所在部门的 id")
    comparison_group: str = strawberry.field(description="比较组（leader 领导、staff 干部）")
    score: Decimal | None = strawberry.field(
        description="绩效得分（百分制，按单位设置舍入，默认保留两位小数）；未评价或由上级考核为 nul"
                    "l")
    rank: int | None = strawberry.field(description="全单位排名（同分同名次，1224式）")
    group_rank: int | None = strawberry.field(description="比较组（领导/一般干部）内排名")
    proposed_grade: Grade | None = strawberry.field(  # type: ignore[valid-type]
        description="按规则拟定的等次；未评价为 null")
    proposed_grade_label: str | None = strawberry.field(
        description="拟定等次的中文名；没有时为 null")
    grade: Grade | None = strawberry.field(  # type: ignore[valid-type]
        description="综合研判确定的等次；未确认时为 null")
    grade_label: str | None = strawberry.field(description="确定等次的中文名；未确认为 null")
    confirmed_at: datetime | None = strawberry.field(description="等次确认时间；未确认为 null")
    serious_conduct_breach: bool = strawberry.field(
        description="有政治素质负面清单中的严重问题（限制等次）")
    tie_review: bool = strawberry.field(description=(
        "并列跨线，须研判：同分人员被好等次名额线或前50%线分开，须经综合研判逐一确定等次并说明"
        "理由（未确定前不能批量确认等次）；confirmedAt 有值即已确定"))
    reasons: list[str] = strawberry.field(
        description="拟定等次的理由（末两行为决定规则和拟定等次）及综合研判调整的理由")
    status: ResultStatus = strawberry.field(  # type: ignore[valid-type]
        description="已考核；未评价（无任何评价）；由上级考核（本单位内无人管理，如主要领导）")
    status_label: str = strawberry.field(description="结果状态的中文名")
    stored_explanation: strawberry.Private[list[dict[str, Any]]]

    @strawberry.field(
        description="得分说明：先政治素质负面清单，再各评价主体、各指标，再加减分及上限、舍入")
    def explanation(self) -> list[ExplanationLine]:
        return [ExplanationLine(kind=line["kind"], source=line["source"],
                                delta=Decimal(line["delta"]), text=line["text"])
                for line in explanation_lines(self.stored_explanation)]

    @strawberry.field(description=(
        "得分说明（同 explanation），整体作为一个 JSON 值：数组，每行 {kind, source, delta, "
        "text}，delta 为十进制数字符串；整体读取时比逐字段读取快"))
    def explanation_json(self) -> JSON:
        return cast(JSON, explanation_lines(self.stored_explanation))

    @strawberry.field(description="各评价维度的得分（用于培训需求分析）")
    def dimension_scores(self) -> list[DimensionScore]:
        return [DimensionScore(code=d["code"], name=d["name"], score=Decimal(d["score"]))
                for d in dimension_scores(self.stored_explanation)]

    @strawberry.field(description=(
        "各评价维度的得分（同 dimensionScores），整体作为一个 JSON 值：数组，每项 {code, name, "
        "score}，score 为十进制数字符串"))
    def dimension_scores_json(self) -> JSON:
        return cast(JSON, dimension_scores(self.stored_explanation))

    @strawberry.field(description="被考核人")
    async def person(self, info: GInfo) -> Person | None:
        row = await loader_for(info.context, org.people_by_ids).load(uuid.UUID(self.person_id))
        return Person.of(row) if row else None

    @strawberry.field(description="计算结果时此人所在部门")
    async def unit(self, info: GInfo) -> OrgUnit | None:
        return await load_unit(info, self.unit_id)

    @strawberry.field(description=(
        "公示期内对此结果提出的异议及处理结果（答复、是否调整等次）；不含提出人和异议理由；"
        "没有异议为空列表"))
    async def objections(self, info: GInfo) -> list[ObjectionOutcome]:
        rows = await loader_for(info.context, objection_outcomes).load(uuid.UUID(self.id))
        return [ObjectionOutcome.of(r) for r in rows]

    @classmethod
    def of(cls, row: ResultRow) -> PersonResult:
        return cls(id=strawberry.ID(str(row.id)), period_id=strawberry.ID(str(row.period_id)),
                   person_id=strawberry.ID(str(row.person_id)),
                   unit_id=strawberry.ID(str(row.unit_id)),
                   comparison_group=row.comparison_group,
                   score=plain(row.score) if row.score is not None else None, rank=row.rank,
                   group_rank=row.group_rank, proposed_grade=row.proposed_grade,
                   proposed_grade_label=grade_label(row.proposed_grade), grade=row.grade,
                   grade_label=grade_label(row.grade), confirmed_at=row.confirmed_at,
                   serious_conduct_breach=row.serious_conduct_breach,
                   tie_review=row.tie_review,
                   reasons=list(row.reasons or []), stored_explanation=row.explanation or [],
                   status=ResultStatusValue(row.status),
                   status_label=ResultStatusValue(row.status).label)


@strawberry.type(description="实绩公示：评为好（年度：优秀）的人员、其申报的实绩及理由（谁评为好、为什么好）")
class PublicityEntry:
    result_id: strawberry.ID = strawberry.field(
        description="考核结果 id（对其提出异议时传给 raiseObjection）")
    person_id: strawberry.ID = strawberry.field(description="人员 id")
    name: str = strawberry.field(description="姓名")
    unit_name: str = strawberry.field(description="所在部门名称")
    grade: Grade = strawberry.field(description="确定的等次")  # type: ignore[valid-type]
    grade_label: str = strawberry.field(description="等次的中文名")
    reasons: list[str] = strawberry.field(description="评为此等次的理由")
    achievements: list[DeclarationItem] = strawberry.field(description="其申报的实绩")

    @classmethod
    def of(cls, row: PublicityRow) -> PublicityEntry:
        return cls(result_id=strawberry.ID(str(row.result_id)),
                   person_id=strawberry.ID(str(row.person_id)), name=row.name,
                   unit_name=row.unit_name, grade=row.grade,
                   grade_label=GRADE_LABELS[row.grade], reasons=row.reasons,
                   achievements=[DeclarationItem.of(i) for i in row.achievements])

    @strawberry.field(description=(
        "对此结果的异议及处理结果（不含提出人和异议理由）；没有异议为空列表"))
    async def objections(self, info: GInfo) -> list[ObjectionOutcome]:
        rows = await loader_for(info.context, objection_outcomes).load(
            uuid.UUID(str(self.result_id)))
        return [ObjectionOutcome.of(r) for r in rows]


@strawberry.type(description="评价主体权重")
class RoleWeight:
    role: RaterRole = strawberry.field(description="评价主体")  # type: ignore[valid-type]
    label: str = strawberry.field(description="评价主体的中文名")
    weight: int = strawberry.field(description="百分比；各评价主体合计100")


@strawberry.type(description="本单位的评分、排名、定等和综合研判规则（均为单位设置，附中文说明）")
class ScoringRules:
    role_weights: list[RoleWeight] = strawberry.field(description="各评价主体的权重")
    missing_rater_rule: str = strawberry.field(description=(
        "某评价主体对某人无评价人时的处理（按指标、维度分别判断）：renormalize（其权重按其余"
        "评价主体的权重比例分摊）或 zero（按0分计）"))
    missing_rater_rule_text: str = strawberry.field(description="缺评价主体时的处理（中文说明）")
    rounding_places: int = strawberry.field(description="得分保留的小数位数（默认 2）")
    rounding_mode: str = strawberry.field(
        description="half_up 四舍五入、half_even 四舍六入五成双、down 直接舍去；只对总分舍入一次")
    tie_rule: str = strawberry.field(description="排名的并列规则")
    top_half_rule: str = strawberry.field(description="入围择优（前50%）的定义")
    good_quota_rule: str = strawberry.field(
        description="季度“好”等次的名额规则（默认不超过应考核人数的 40%）")
    grade_bands_rule: str = strawberry.field(description=(
        "季度等次的分数段（等次上限）及拟定理由中写明的决定规则"))
    excellent_quota_rule: str = strawberry.field(
        description="年度“优秀”等次的名额规则（默认约 20%）")
    override_rule: str = strawberry.field(description="综合研判突破规则的条件")
    completeness_rule: str = strawberry.field(
        description="评价未完成时的处理：缺评拒绝计算、未评价不计分、由上级考核的人员")
    compare_groups_separately: bool = strawberry.field(
        description="领导和一般干部是否分别排名、分别定等")
    calibration_rule: str = strawberry.field(description=(
        "校准规则：评价人宽严的判断，以及是否在计算得分前按评价人校准评分（及其公式）"))


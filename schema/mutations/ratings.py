"""Mutations of rating, scores, grades and review (issue 5)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import annual, grading, raters, rating_grid, ratings, review
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC, PeriodId
from schema.errors import UserError, attempt
from schema.ids import require_id
from schema.types.ratings import Grade, PersonResult, RaterAssignment, RaterRole, RatingForm

GInfo = Info[GraphQLContext, None]


@strawberry.input(description="新增一条评价关系")
class RaterAssignmentInput:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="被评价人")
    rater_id: strawberry.ID = strawberry.field(description="评价人的人员 id")
    role: RaterRole = strawberry.field(  # type: ignore[valid-type]
        description="评价人以何种评价主体身份评价")


@strawberry.input(description="一格评分：某指标某维度，0-100，最多两位小数")
class RatingCellInput:
    indicator_id: strawberry.ID = strawberry.field(description="指标 id")
    dimension: str = strawberry.field(description="评价维度编码")
    value: Decimal = strawberry.field(description="评分（0–100，最多两位小数）")
    comment: str = strawberry.field(default="", description="评语；可为空串")


@strawberry.input(description="保存对一人的评分")
class SaveRatingsInput:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="被评价人 id")
    cells: list[RatingCellInput] = strawberry.field(description="各格评分（覆盖此前保存的同一格）")


@strawberry.input(description="评价表中一人的评分")
class RatingGridRowInput:
    person_id: strawberry.ID = strawberry.field(description="被评价人")
    cells: list[RatingCellInput] = strawberry.field(description="此人的各格评分")


@strawberry.input(description="评价人一次保存多人的评分（整表）")
class SaveRatingGridInput:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    rows: list[RatingGridRowInput] = strawberry.field(description="各被评价人的评分（每人一行）")


@strawberry.input(description="年度不定等次的人员及理由")
class NotGradedInput:
    person_id: strawberry.ID = strawberry.field(description="人员 id")
    reason: str = strawberry.field(description="不定等次的理由（必填）")


@strawberry.input(description="综合研判：确定或调整某人的等次")
class ReviewGradeInput:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    person_id: strawberry.ID = strawberry.field(description="人员 id")
    grade: Grade = strawberry.field(description="确定的等次")  # type: ignore[valid-type]
    reason: str = strawberry.field(default="", description="调整等次时必填")
    override: bool = strawberry.field(default=False, description=(
        "经集体研究突破名额、入围择优等规则；须同时说明理由，记入审计日志"))


@strawberry.type(description="生成评价关系的结果")
class RaterAssignmentsPayload:
    assignments: list[RaterAssignment] = strawberry.field(
        description="本周期的全部评价关系；失败时为空")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="新增评价关系的结果")
class RaterAssignmentPayload:
    assignment: RaterAssignment | None = strawberry.field(
        description="新增的评价关系；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="删除评价关系的结果")
class RaterAssignmentRemovedPayload:
    removed_id: strawberry.ID | None = strawberry.field(
        description="已删除的评价关系 id；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="保存评价表的结果")
class RatingFormPayload:
    form: RatingForm | None = strawberry.field(description="保存后的评价表；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="整表保存评分的结果")
class RatingGridPayload:
    forms: list[RatingForm] = strawberry.field(description="已保存的评价表（按人员编号）")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="计算或确认考核结果的结果")
class PersonResultsPayload:
    results: list[PersonResult] = strawberry.field(description="操作后的考核结果；失败时为空")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="确定或调整某人等次的结果")
class PersonResultPayload:
    result: PersonResult | None = strawberry.field(description="操作后的考核结果；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class RatingMutation:
    @strawberry.mutation(description=(
        "按管理关系生成本周期的评价关系（部门负责人、分管领导、主要领导，及同级、下级、外部评价人），"
        "替换现有评价关系；只能在评价开始前"))
    async def generate_rater_assignments(self, info: GInfo,
                                         period_id: PeriodId
                                         ) -> RaterAssignmentsPayload:
        rows, errors = await attempt(info, lambda: raters.generate_assignments(
            info.context, require_id(period_id)))
        return RaterAssignmentsPayload(
            assignments=[RaterAssignment.of(r) for r in rows or []], user_errors=errors)

    @strawberry.mutation(description="增加一位评价人（评价开始前；领导身份须与管理关系一致）")
    async def add_rater_assignment(self, info: GInfo,
                                   input: Annotated[RaterAssignmentInput, strawberry.argument(
                                       description=INPUT_DOC)]
                                   ) -> RaterAssignmentPayload:
        row, errors = await attempt(info, lambda: raters.add_assignment(
            info.context, require_id(input.period_id), require_id(input.person_id),
            require_id(input.rater_id), input.role))
        return RaterAssignmentPayload(assignment=RaterAssignment.of(row) if row else None,
                                      user_errors=errors)

    @strawberry.mutation(description="移除一位评价人（评价开始前）")
    async def remove_rater_assignment(self, info: GInfo,
                                      id: Annotated[strawberry.ID, strawberry.argument(
                                          description="评价关系 id")]
                                      ) -> RaterAssignmentRemovedPayload:
        removed, errors = await attempt(info, lambda: raters.remove_assignment(
            info.context, require_id(id)))
        return RaterAssignmentRemovedPayload(
            removed_id=strawberry.ID(str(removed)) if removed else None, user_errors=errors)

    @strawberry.mutation(description="评分：只有被安排的评价人、只在评价阶段，不能评价本人")
    async def save_ratings(self, info: GInfo,
                           input: Annotated[SaveRatingsInput, strawberry.argument(
                               description=INPUT_DOC)]) -> RatingFormPayload:
        form, errors = await attempt(info, lambda: ratings.save_ratings(
            info.context, require_id(input.period_id), require_id(input.person_id),
            [ratings.CellInput(require_id(c.indicator_id), c.dimension, c.value, c.comment)
             for c in input.cells]))
        return RatingFormPayload(form=RatingForm.of(form) if form else None, user_errors=errors)

    @strawberry.mutation(description=(
        "整表评分：一次保存评价人对多人、多指标、多维度的评分，全部成功或全部不保存；"
        "每个错误指明人员（姓名、人员编号）、指标和维度。未提交的格保持原样"))
    async def save_rating_grid(self, info: GInfo,
                               input: Annotated[SaveRatingGridInput, strawberry.argument(
                                   description=INPUT_DOC)]
                               ) -> RatingGridPayload:
        forms, errors = await attempt(info, lambda: rating_grid.save_grid(
            info.context, require_id(input.period_id),
            [rating_grid.GridRow(require_id(row.person_id),
                                 [ratings.CellInput(require_id(c.indicator_id), c.dimension,
                                                    c.value, c.comment) for c in row.cells])
             for row in input.rows]))
        return RatingGridPayload(forms=[RatingForm.of(f) for f in forms or []],
                                 user_errors=errors)

    @strawberry.mutation(description=(
        "计算本季度全员得分、排名并拟定等次（综合研判阶段、尚无确认的等次时；重新计算会替换拟定结果）。"
        "评价未完成时拒绝并列出缺评的人员和评价人，除非 proceed 为 true：此时未获任何评价的人员"
        "列为“未评价”，不计得分、排名和等次"))
    async def compute_results(self, info: GInfo,
                              period_id: PeriodId,
                              proceed: Annotated[bool, strawberry.argument(
                                  description="评价未完成时仍然计算：未获任何评价的人员列为“未评价”"
                                              "")] = False) -> PersonResultsPayload:
        rows, errors = await attempt(info, lambda: grading.compute_results(
            info.context, require_id(period_id), proceed))
        return PersonResultsPayload(results=[PersonResult.of(r) for r in rows or []],
                                    user_errors=errors)

    @strawberry.mutation(description="依据四个季度的等次和年度排名拟定年度考核等次（综合研判阶段）")
    async def compute_annual_results(self, info: GInfo,
                                     period_id: PeriodId,
                                     not_graded: Annotated[
                                         list[NotGradedInput] | None,
                                         strawberry.argument(
                                             description="不定等次的人员及理由")] = None
                                     ) -> PersonResultsPayload:
        rows, errors = await attempt(info, lambda: annual.compute_annual(
            info.context, require_id(period_id),
            [annual.NotGradedInput(require_id(n.person_id), n.reason)
             for n in not_graded or []]))
        return PersonResultsPayload(results=[PersonResult.of(r) for r in rows or []],
                                    user_errors=errors)

    @strawberry.mutation(description=(
        "综合研判：确认或调整某人的等次。调整须说明理由；突破名额或入围择优等规则的调整被拒绝，"
        "除非选择 override 并说明理由。均记入审计日志（调整前后）"))
    async def review_grade(self, info: GInfo,
                           input: Annotated[ReviewGradeInput, strawberry.argument(
                               description=INPUT_DOC)]) -> PersonResultPayload:
        row, errors = await attempt(info, lambda: review.review_grade(
            info.context, require_id(input.period_id), require_id(input.person_id),
            input.grade, input.reason, input.override))
        return PersonResultPayload(result=PersonResult.of(row) if row else None,
                                   user_errors=errors)

    @strawberry.mutation(description="综合研判：按拟定等次确认尚未确认的人员（可指定人员）")
    async def confirm_grades(self, info: GInfo,
                             period_id: PeriodId,
                             person_ids: Annotated[list[strawberry.ID] | None, strawberry.argument(
                                 description="只确认这些人员；不传为全部未确认的")] = None
                             ) -> PersonResultsPayload:
        rows, errors = await attempt(info, lambda: review.confirm_grades(
            info.context, require_id(period_id),
            None if person_ids is None else [require_id(p) for p in person_ids]))
        return PersonResultsPayload(results=[PersonResult.of(r) for r in rows or []],
                                    user_errors=errors)

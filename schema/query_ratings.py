"""Queries of rating, scores, grades and publicity (issue 5)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.appraisal import (
    calibration,
    completeness,
    publicity,
    raters,
    rating_grid,
    ratings,
    results,
    review_quotas,
    scoring_rules,
)
from resolvers.errors import ErrorCode, UserFacingError
from schema.context import GraphQLContext
from schema.descriptions import PeriodId
from schema.ids import parse_id, require_id
from schema.types.calibration import CalibrationView
from schema.types.completeness import RatingCompletion
from schema.types.pagination import After, Connection, First, node_id, paged
from schema.types.ratings import (
    PersonResult,
    PublicityEntry,
    RaterAssignment,
    RatingForm,
    RoleWeight,
    ScoringRules,
)
from schema.types.review import ReviewQuota

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="考核结果的列表（含总数）")
class PersonResultList:
    nodes: list[PersonResult] = strawberry.field(description="考核结果")
    total_count: int = strawberry.field(description="总条数")


@strawberry.type
class RatingQuery:
    @strawberry.field(description="本周期的评价关系（组织人事部门），可只看某人的评价人")
    async def rater_assignments(self, info: GInfo,
                                period_id: PeriodId,
                                person_id: Annotated[strawberry.ID | None, strawberry.argument(
                                    description="只看此被评价人的评价人；不传为全部")] = None
                                ) -> list[RaterAssignment]:
        rows = await raters.list_assignments(info.context, require_id(period_id),
                                             parse_id(person_id))
        return [RaterAssignment.of(r) for r in rows]

    @strawberry.field(description="本周期的评价关系（同 raterAssignments），游标分页")
    async def rater_assignments_page(self, info: GInfo,
                                     period_id: PeriodId,
                                     person_id: Annotated[strawberry.ID | None, strawberry.argument(
                                         description="只看此被评价人的评价人；不传为全部")] = None,
                                     first: First = 50,
                                     after: After = None) -> Connection[RaterAssignment]:
        rows = await raters.list_assignments(info.context, require_id(period_id),
                                             parse_id(person_id))
        return paged([RaterAssignment.of(r) for r in rows], node_id, first, after)

    @strawberry.field(description=(
        "本周期评价完成情况：按评价人、按部门、按被评价人列出应评、已评和未评（谁未评谁）；"
        "周期不存在时为 null"))
    async def rating_completion(self, info: GInfo,
                                period_id: PeriodId
                                ) -> RatingCompletion | None:
        try:
            view = await completeness.completion(info.context, require_id(period_id))
        except UserFacingError as exc:
            if exc.problems[0].code != ErrorCode.NOT_FOUND:
                raise
            return None
        return RatingCompletion.of(view)

    @strawberry.field(description="我在本周期要评价的人")
    async def my_rating_assignments(self, info: GInfo,
                                    period_id: PeriodId
                                    ) -> list[RaterAssignment]:
        rows = await raters.my_assignments(info.context, require_id(period_id))
        return [RaterAssignment.of(r) for r in rows]

    @strawberry.field(description="我对某人的评价表及其实绩申报；不是其评价人时为 null")
    async def rating_form(self, info: GInfo,
                          period_id: PeriodId,
                          person_id: Annotated[strawberry.ID, strawberry.argument(
                              description="被评价人 id")]) -> RatingForm | None:
        try:
            return RatingForm.of(await ratings.rating_form(
                info.context, require_id(period_id), require_id(person_id)))
        except UserFacingError:
            return None

    @strawberry.field(description=(
        "我在本周期要评价的所有人的评价表（一次取全，按人员编号），各附其实绩申报"))
    async def my_rating_forms(self, info: GInfo,
                              period_id: PeriodId) -> list[RatingForm]:
        try:
            forms = await rating_grid.my_forms(info.context, require_id(period_id))
        except UserFacingError:
            return []
        return [RatingForm.of(f) for f in forms]

    @strawberry.field(description=(
        "本周期可查看的考核结果（按排名）：组织人事部门全部，领导为其管理的人员，"
        "本人在公示后可见自己的结果；同事之间互不可见"))
    async def period_results(self, info: GInfo,
                             period_id: PeriodId,
                             first: First = 200,
                             offset: Annotated[int, strawberry.argument(
                                 description="跳过前多少条（分页）")] = 0) -> PersonResultList:
        rows, total = await results.list_results(info.context, require_id(period_id), first,
                                                 offset)
        return PersonResultList(nodes=[PersonResult.of(r) for r in rows], total_count=total)

    @strawberry.field(description=(
        "综合研判的名额计数：每个排名范围的人数、前50%线、好（年度：优秀）等次名额和已用数、"
        "各等次人数；组织人事部门和主要领导可查看"))
    async def review_quotas(self, info: GInfo,
                            period_id: PeriodId) -> list[ReviewQuota]:
        rows = await review_quotas.quota_counters(info.context, require_id(period_id))
        return [ReviewQuota.of(r) for r in rows]

    @strawberry.field(description=(
        "校准分析：各部门拟定（确认）等次的分布对照名额和全单位分布，各评价人所给评分的平均分、"
        "标准差对照本单位同一评价主体，超出设定距离的标记为宽松或严格；组织人事部门和主要领导"
        "可查看"))
    async def calibration(self, info: GInfo, period_id: PeriodId) -> CalibrationView:
        return CalibrationView.of(
            await calibration.calibration(info.context, require_id(period_id)))

    @strawberry.field(description="某人本周期的考核结果（含得分说明）；无权查看或不存在时为 null")
    async def person_result(self, info: GInfo,
                            period_id: PeriodId,
                            person_id: Annotated[strawberry.ID, strawberry.argument(
                                description="被考核人 id")]) -> PersonResult | None:
        try:
            return PersonResult.of(await results.get_result(
                info.context, require_id(period_id), require_id(person_id)))
        except UserFacingError:
            return None

    @strawberry.field(description=(
        "实绩公示：公示阶段起，全单位可见评为好（年度：优秀）的人员、其申报的实绩及理由；"
        "公示前为空。不含任何人的得分"))
    async def publicity(self, info: GInfo,
                        period_id: PeriodId) -> list[PublicityEntry]:
        rows = await publicity.publicity(info.context, require_id(period_id))
        return [PublicityEntry.of(r) for r in rows]

    @strawberry.field(description="实绩公示（同 publicity），游标分页：游标为人员 id")
    async def publicity_page(self, info: GInfo,
                             period_id: PeriodId,
                             first: First = 50,
                             after: After = None) -> Connection[PublicityEntry]:
        rows = await publicity.publicity(info.context, require_id(period_id))
        return paged([PublicityEntry.of(r) for r in rows], lambda e: str(e.person_id), first,
                     after)

    @strawberry.field(description="本单位的评价权重、缺评处理、舍入、排名并列、入围择优和名额规则")
    async def scoring_rules(self, info: GInfo) -> ScoringRules:
        rules = await scoring_rules.summary(info.context)
        return ScoringRules(
            role_weights=[RoleWeight(role=role, label=label, weight=weight)
                          for role, label, weight in rules.role_weights],
            missing_rater_rule=rules.missing_rater_rule,
            missing_rater_rule_text=rules.missing_rater_rule_text,
            rounding_places=rules.rounding_places, rounding_mode=rules.rounding_mode,
            tie_rule=rules.tie_rule, top_half_rule=rules.top_half_rule,
            good_quota_rule=rules.good_quota_rule,
            grade_bands_rule=rules.grade_bands_rule,
            excellent_quota_rule=rules.excellent_quota_rule,
            override_rule=rules.override_rule, completeness_rule=rules.completeness_rule,
            compare_groups_separately=rules.compare_groups_separately,
            calibration_rule=rules.calibration_rule)

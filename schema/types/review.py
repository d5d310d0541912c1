"""GraphQL types of the review's counters (综合研判: 名额、前50%线, issue 15)."""

from __future__ import annotations

import strawberry

from resolvers.appraisal.review_quotas import QuotaCounter
from schema.types.dashboard import GradeCount
from schema.types.ratings import Grade
from vocab.grades import GRADE_LABELS


@strawberry.type(description=(
    "综合研判的名额计数：一个排名范围（全单位，或单位设置分组比较时的每个比较组）内参加排名的"
    "人数、前50%线（入围择优）、最高等次（季度为好，年度为优秀）的名额和已用数、各等次人数。"
    "未评价、由上级考核和不定等次的人员不计入"))
class ReviewQuota:
    group: str | None = strawberry.field(
        description="比较组（leader 领导、staff 干部）；全单位一起排名时为 null")
    group_label: str = strawberry.field(description="排名范围的中文名（全单位、领导、干部）")
    appraised: int = strawberry.field(description="参加排名的人数")
    shortlist_rank: int = strawberry.field(description=(
        "前50%线：名次不大于此数者在入围择优范围内（按 usesGroupRank 取全单位名次或组内名次）"))
    shortlist_share: str = strawberry.field(description="入围择优的比例，如“50%”")
    uses_group_rank: bool = strawberry.field(
        description="是否按比较组内排名（groupRank）划线；否则按全单位排名（rank）")
    top_grade: Grade = strawberry.field(  # type: ignore[valid-type]
        description="受名额限制的最高等次：季度为好，年度为优秀")
    top_grade_label: str = strawberry.field(description="最高等次的中文名")
    quota: int = strawberry.field(description="最高等次的名额（按单位设置的比例和取整规则）")
    quota_share: str = strawberry.field(description="名额比例，如“40%”")
    used: int = strawberry.field(description="当前为最高等次的人数（可能因突破规则调整而超过名额）")
    grade_counts: list[GradeCount] = strawberry.field(description="各等次的人数")

    @classmethod
    def of(cls, row: QuotaCounter) -> ReviewQuota:
        return cls(group=row.group, group_label=row.group_label, appraised=row.appraised,
                   shortlist_rank=row.shortlist_rank, shortlist_share=row.shortlist_share,
                   uses_group_rank=row.uses_group_rank, top_grade=row.top_grade,
                   top_grade_label=GRADE_LABELS[row.top_grade], quota=row.quota,
                   quota_share=row.quota_share, used=row.used,
                   grade_counts=[GradeCount(grade=g, label=GRADE_LABELS.get(g, g), count=c)
                                 for g, c in sorted(row.grade_counts.items(),
                                                    key=lambda i: list(GRADE_LABELS).index(i[0])
                                                    if i[0] in GRADE_LABELS else 99)])

"""GraphQL types of the rules on pushed data and the deductions/credits they propose."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from resolvers.execution.push_rules import ProposalEntry, RuleEntry
from schema.descriptions import CREATED_AT_DOC, ID_DOC
from schema.enums import labelled_enum
from schema.ids import gid
from vocab.plans import IndicatorKind
from vocab.push_rules import ProposalStatus, PushRuleKind

PushRuleKindEnum = labelled_enum(PushRuleKind, "PushRuleKind", "自动采集规则读取的推送数据类型")
ProposalStatusEnum = labelled_enum(ProposalStatus, "PointProposalStatus",
                                   "自动采集的加减分的状态（仅已确认的计入得分）")


@strawberry.type(description=(
    "自动采集规则：把办公系统推送的数据（督办事项逾期未整改超过 N 天、错情通报）变成待确认的"
    "加分或减分；组织人事部门维护，办公室可查看"))
class PushRule:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    name: str = strawberry.field(description="规则名称")
    kind: PushRuleKind = strawberry.field(description="读取的数据类型")
    kind_label: str = strawberry.field(description="数据类型的中文名")
    min_days: int | None = strawberry.field(
        description="逾期未整改达到多少天时适用（督办事项）；错情通报为 null")
    points: Decimal = strawberry.field(description="每项的分值（正数，不超过指标上限）")
    indicator_id: strawberry.ID = strawberry.field(description="记分的指标 id")
    indicator_code: str = strawberry.field(description="指标编码")
    indicator_name: str = strawberry.field(description="指标名称")
    indicator_cap: Decimal | None = strawberry.field(description="指标上限（分）；不限为 null")
    year: int = strawberry.field(description="指标所属指标体系的年度：只对该年度内的事项生成建议")
    active: bool = strawberry.field(description="是否启用；停用的规则不再生成建议")
    created_at: datetime = strawberry.field(description=CREATED_AT_DOC)

    @classmethod
    def of(cls, entry: RuleEntry) -> PushRule:
        r, n = entry.rule, entry.node
        return cls(id=strawberry.ID(str(r.id)), name=r.name, kind=PushRuleKind(r.kind),
                   kind_label=PushRuleKind(r.kind).label, min_days=r.min_days, points=r.points,
                   indicator_id=strawberry.ID(str(n.id)), indicator_code=n.code,
                   indicator_name=n.name, indicator_cap=n.cap, year=entry.year,
                   active=r.active, created_at=r.created_at)


@strawberry.input(description="自动采集规则的内容")
class PushRuleInput:
    name: str = strawberry.field(description="规则名称（必填，不超过200个字）")
    kind: PushRuleKind = strawberry.field(description="读取的数据类型")
    indicator_id: strawberry.ID = strawberry.field(
        description="记分的指标 id（已发布指标体系中的减分指标）")
    points: Decimal = strawberry.field(description="每项的分值（大于0，不超过指标上限）")
    min_days: int | None = strawberry.field(
        default=None, description="逾期未整改达到多少天时适用（督办事项必填，0到366）")
    active: bool = strawberry.field(default=True, description="是否启用")


@strawberry.type(description=(
    "自动采集生成的待确认加分或减分：确认前不计入得分；确认后生成与手工登记相同的记分记录"))
class PointProposal:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    rule_id: strawberry.ID = strawberry.field(description="生成它的规则 id")
    rule_name: str = strawberry.field(description="生成它的规则名称")
    kind: PushRuleKind = strawberry.field(description="来源数据类型")
    kind_label: str = strawberry.field(description="来源数据类型的中文名")
    source: str = strawberry.field(description="来源事项（办公系统推送的内容）的说明")
    person_id: strawberry.ID | None = strawberry.field(
        description="记分的人员 id；记给部门时为 null")
    unit_id: strawberry.ID | None = strawberry.field(description="记分的部门 id；记给个人时为 null")
    subject: str = strawberry.field(description="记分对象（人员姓名或部门名称）")
    indicator_code: str = strawberry.field(description="指标编码")
    indicator_name: str = strawberry.field(description="指标名称")
    occurred_on: date = strawberry.field(
        description="记分日期（满足规则之日：督办事项为应完成日期加 N 天），决定计入哪个考核周期")
    points: Decimal = strawberry.field(description="分值（正数）")
    signed_points: Decimal = strawberry.field(
        description="确认后对得分的影响（加分为正，减分为负）")
    status: ProposalStatus = strawberry.field(description="状态")
    status_label: str = strawberry.field(description="状态的中文名")
    decided_by: str | None = strawberry.field(description="确认或退回的账号；待确认为 null")
    decided_at: datetime | None = strawberry.field(description="确认或退回的时间；待确认为 null")
    refusal_reason: str | None = strawberry.field(description="退回理由；未退回为 null")
    record_id: strawberry.ID | None = strawberry.field(
        description="确认后生成的记分记录 id；未确认为 null")
    created_at: datetime = strawberry.field(description=CREATED_AT_DOC)

    @classmethod
    def of(cls, entry: ProposalEntry) -> PointProposal:
        p, r, n = entry.proposal, entry.rule, entry.node
        sign = Decimal(1) if n.kind == IndicatorKind.credit else Decimal(-1)
        kind, status = PushRuleKind(r.kind), ProposalStatus(p.status)
        return cls(id=strawberry.ID(str(p.id)), rule_id=strawberry.ID(str(r.id)),
                   rule_name=r.name, kind=kind, kind_label=kind.label, source=p.source_text,
                   person_id=gid(p.person_id), unit_id=gid(p.unit_id), subject=entry.subject,
                   indicator_code=n.code, indicator_name=n.name, occurred_on=p.occurred_on,
                   points=p.points, signed_points=sign * p.points, status=status,
                   status_label=status.label, decided_by=p.decided_by, decided_at=p.decided_at,
                   refusal_reason=p.refusal_reason, record_id=gid(p.record_id),
                   created_at=p.created_at)

"""GraphQL types of commendations, error notices, conduct findings and credit claims."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from resolvers.execution.commendations import BoardEntry, sign
from schema.ids import gid
from vocab.plans import IndicatorKind, RecordStatus

KIND_LABELS = {IndicatorKind.credit: "点赞加分", IndicatorKind.deduction: "错情减分",
               IndicatorKind.conduct_standard: "政治素质负面清单扣分"}


@strawberry.type(description="加分、减分或负面清单记录")
class PointRecord:
    id: strawberry.ID
    kind: str
    kind_label: str
    indicator_code: str
    indicator_name: str
    person_id: strawberry.ID | None
    unit_id: strawberry.ID | None
    subject: str
    occurred_on: date
    points: Decimal
    signed_points: Decimal
    reason: str
    evidence: str
    status: str
    status_label: str

    @classmethod
    def of(cls, entry: BoardEntry) -> PointRecord:
        r, n = entry.record, entry.node
        return cls(id=strawberry.ID(str(r.id)), kind=n.kind,
                   kind_label=KIND_LABELS.get(IndicatorKind(n.kind), n.kind),
                   indicator_code=n.code, indicator_name=n.name, person_id=gid(r.person_id),
                   unit_id=gid(r.unit_id), subject=entry.subject, occurred_on=r.occurred_on,
                   points=r.points, signed_points=sign(n) * r.points, reason=r.reason,
                   evidence=r.evidence, status=r.status,
                   status_label=RecordStatus(r.status).label)


@strawberry.type(description="一个指标计入的分值（不超过上限）")
class PointTotal:
    indicator_code: str
    indicator_name: str
    kind: str
    raw: Decimal
    counted: Decimal
    cap: Decimal | None


@strawberry.input(description="记分记录")
class PointRecordInput:
    indicator_id: strawberry.ID
    occurred_on: date
    reason: str
    person_id: strawberry.ID | None = None
    unit_id: strawberry.ID | None = None
    points: Decimal | None = strawberry.field(default=None, description="默认为指标的每项分值")
    evidence: str = ""
    external_id: str | None = None

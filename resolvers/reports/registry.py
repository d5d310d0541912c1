"""The report registry: what can be exported, who may, and how its data is read.

Adding a report is one small module in this package plus a template:

    from resolvers.reports.registry import ExportParams, ReportKind, ReportSpec, register

    COLUMNS = (Column("姓名", lambda r: r.name), ...)      # the table: PDF and XLSX alike

    async def authorize(ctx: Context, params: ExportParams) -> None:
        ...  # ctx.require(...) / read scopes; raise not_found(...) for missing ids

    async def load(ctx: Context, params: ExportParams) -> Document:
        ...  # runs in the worker, inside the tenant's transaction (ctx.session; no actor:
             # reports that reuse the use cases take the requester's, requester_context)
        return Document(title=..., template="my_report.html", context={...},
                        tables=(Table("...", COLUMNS, rows),), summary=(...))

    register(ReportSpec(ReportKind.my_report, "中文名称", authorize, load))

then a member in ``ReportKind``, an import in ``resolvers/reports/__init__.py``, the intro
template ``reports/templates/my_report.html`` (Mako; values HTML-escaped), and
``python -m jixiao export-sdl``. ``authorize`` runs when the export starts and again at every
download, so a file is only ever handed to someone who may read the data in it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from reports import Document
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from vocab.jobs import ReportFormat


class ReportKind(StrEnum):
    unit_quarterly = "unit_quarterly"
    bonus_distribution = "bonus_distribution"
    supervision_summary = "supervision_summary"
    publicity_list = "publicity_list"
    person_profile = "person_profile"
    city_comparison = "city_comparison"
    audit_log = "audit_log"


@dataclass(frozen=True)
class ExportParams:
    """The ids a report may need; each report says which it requires."""

    report: ReportKind
    period_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    run_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    formats: tuple[ReportFormat, ...] = (ReportFormat.pdf, ReportFormat.xlsx)
    # Who asked ("account:<id>" / "token:<id>"): reports that read through the use cases run
    # with the requester's own rights in the worker.
    requested_by: str | None = None
    # The city's comparison (city_comparison): the units (empty: all) and the period keys
    # ("2025Q1", "2025").
    tenant_ids: tuple[uuid.UUID, ...] = ()
    periods: tuple[str, ...] = ()
    # The audit log (audit_log): days (both included), an actor subject, an action (prefix).
    date_from: date | None = None
    date_to: date | None = None
    actor: str | None = None
    action: str | None = None
    # A rendering for the report cache only, started when a period's results are confirmed
    # (resolvers/reports/cache.py): the job stores no files of its own.
    cache_only: bool = False

    def to_json(self) -> dict[str, Any]:
        def s(value: uuid.UUID | None) -> str | None:
            return str(value) if value is not None else None

        return {"report": self.report.value, "period_id": s(self.period_id),
                "unit_id": s(self.unit_id), "run_id": s(self.run_id),
                "person_id": s(self.person_id), "formats": [f.value for f in self.formats],
                "requested_by": self.requested_by,
                "tenant_ids": [str(t) for t in self.tenant_ids], "periods": list(self.periods),
                "date_from": self.date_from.isoformat() if self.date_from else None,
                "date_to": self.date_to.isoformat() if self.date_to else None,
                "actor": self.actor, "action": self.action, "cache_only": self.cache_only}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ExportParams:
        def u(key: str) -> uuid.UUID | None:
            value = data.get(key)
            return uuid.UUID(value) if value else None

        def d(key: str) -> date | None:
            value = data.get(key)
            return date.fromisoformat(value) if value else None

        return cls(report=ReportKind(data["report"]), period_id=u("period_id"),
                   unit_id=u("unit_id"), run_id=u("run_id"), person_id=u("person_id"),
                   formats=tuple(ReportFormat(f) for f in data.get("formats") or ("pdf",)),
                   requested_by=data.get("requested_by"),
                   tenant_ids=tuple(uuid.UUID(t) for t in data.get("tenant_ids") or ()),
                   periods=tuple(str(p) for p in data.get("periods") or ()),
                   date_from=d("date_from"), date_to=d("date_to"), actor=data.get("actor"),
                   action=data.get("action"), cache_only=bool(data.get("cache_only")))

    def required(self, value: uuid.UUID | None, what: str, field: str) -> uuid.UUID:
        if value is None:
            raise fail(ErrorCode.INVALID, f"请选择{what}", field)
        return value


@dataclass(frozen=True)
class ReportSpec:
    kind: ReportKind
    label: str
    # In the request (start and download): raises forbidden/not_found/invalid.
    authorize: Callable[[Context, ExportParams], Awaitable[None]]
    # In the worker, inside the job's tenant transaction: the job's context, without actor.
    load: Callable[[Context, ExportParams], Awaitable[Document]]
    # The rendering is kept (report_cache) and reused while the document's data is unchanged:
    # only for reports of a period whose ``load`` reads without the requester's rights.
    cacheable: bool = False


REGISTRY: dict[ReportKind, ReportSpec] = {}


def register(spec: ReportSpec) -> ReportSpec:
    if spec.kind in REGISTRY:
        raise ValueError(f"report {spec.kind} registered twice")
    REGISTRY[spec.kind] = spec
    return spec


def spec_of(kind: ReportKind | str) -> ReportSpec:
    return REGISTRY[ReportKind(kind)]

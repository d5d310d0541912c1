"""A person's profile (干部画像): scores and grades over the quarters, achievements,
commendations and error notices, feedback interviews and how the results were used."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from reports import Column, Document, Table
from resolvers.context import Context
from resolvers.feedback.profile import profile
from resolvers.feedback.profile_types import ProfileSection
from resolvers.reports.registry import ExportParams, ReportKind, ReportSpec, register
from resolvers.reports.requester import requester_context


class ResultRow(NamedTuple):
    period: str
    score: Decimal | None
    rank: str
    grade: str


class RecordRow(NamedTuple):
    kind: str
    title: str
    when: str
    detail: str


RESULT_COLUMNS = (
    Column("考核周期", lambda r: r.period, width=14),
    Column("得分", lambda r: r.score, text=lambda v: "" if v is None else f"{v:.2f}", width=7,
           align="right", number_format="0.00"),
    Column("排名", lambda r: r.rank, width=8, align="center"),
    Column("等次", lambda r: r.grade, width=8, align="center"),
)
RECORD_COLUMNS = (
    Column("类别", lambda r: r.kind, width=8),
    Column("事项", lambda r: r.title, width=28),
    Column("时间", lambda r: r.when, width=12),
    Column("说明", lambda r: r.detail, width=30),
)
KIND_LABELS = {"achievement": "实绩", "commendation": "点赞", "error_notice": "错情"}


async def authorize(ctx: Context, params: ExportParams) -> None:
    person_id = params.required(params.person_id, "人员", "personId")
    await profile(ctx, person_id)  # refuses whoever may not read it, as "not found"


async def load(job: Context, params: ExportParams) -> Document:
    ctx = await requester_context(job, params)
    assert params.person_id is not None
    found = await profile(ctx, params.person_id)
    results = [ResultRow(r.period.name, r.score,
                         f"{r.rank}/{r.ranked_count}" if r.rank else "",
                         r.grade_label or "") for r in found.results]
    records = [RecordRow(KIND_LABELS.get(x.kind, x.kind), x.title,
                         f"{x.occurred_on:%Y-%m-%d}" if x.occurred_on else "", x.detail)
               for section in ProfileSection for x in found.sections.get(section, [])]
    interviews = [RecordRow("反馈谈话", i.result_told, f"{i.held_on:%Y-%m-%d}",
                            "；".join(str(step.get("action", "")) for step in i.improvement_plan))
                  for i in found.interviews]
    uses = [RecordRow("结果运用", e.entry.title, f"{e.entry.decided_on:%Y-%m-%d}", e.entry.note)
            for e in found.results_use]
    person = found.person
    return Document(
        title=f"{person.name}干部画像", subtitle=f"{person.employee_no} {person.rank_title}",
        template="", context={},
        tables=(Table("考核结果", RESULT_COLUMNS, results),
                Table("实绩与奖惩", RECORD_COLUMNS, records),
                Table("反馈谈话与结果运用", RECORD_COLUMNS, interviews + uses)),
        summary=(("姓名", person.name), ("工号", person.employee_no),
                 ("考核记录", f"{len(results)}期")))


SPEC = register(ReportSpec(ReportKind.person_profile, "干部画像", authorize, load))

"""The annual appraisal's two inputs, in a year period (issue 17, part 5).

述职报告 (duty report): the admin asks people (everyone appraised, a department with its
sub-units, or chosen persons) for a report by a deadline day; each asked person writes its text
and may attach one file (``rules.annual_inputs``: PDF, DOCX or an image, a size limit); they may
change it until the deadline. The admin (committee) reads all, leaders those they manage, each
person their own.

民主测评 (democratic evaluation): the admin opens a vote among the unit or a department (with its
sub-units): voters are the people of the set who hold an enabled account, candidates the people
appraised there (not those the level above appraises). Each voter casts one ballot giving one of
优秀/称职/基本称职/不称职 to every candidate at once. Nothing links a choice to its voter:
``democratic_vote_voters`` says only who has voted, ``democratic_vote_counts`` holds one counter
per candidate and choice, and one statement adds the ballot to them while touching every counter
of the vote. The audit log records that the person voted, never how. Turnout is shown to the
admin (the committee) while the vote is open; the counts only once it is closed, so a count that
moves cannot be matched to the ballot that moved it. When the tenant includes the vote in its rule
(``annual.include_democratic_vote``), the annual result's explanation lists the person's counts
of the period's closed votes; the score does not change.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, select

from authz import Permission, Target
from authz.scopes import person_rows
from models import (
    DutyReport,
    OrgUnit,
    Period,
    Person,
)
from resolvers import audit
from resolvers.appraisal.grading import appraised_people
from resolvers.appraisal.periods import ensure_open, get_period
from resolvers.audit import LOCAL_TIME
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, forbidden, not_found
from resolvers.org.tree import org_tree
from resolvers.spreadsheet import SpreadsheetError, UploadedFile
from resolvers.tenant_config import tenant_config
from rules.annual_inputs import (
    attachment_type,
    check_duty_report,
    duty_report_status,
)
from rules.errors import RuleError
from vocab.annual_inputs import DutyReportStatus
from vocab.org import PersonStatus
from vocab.periods import PeriodKind

VOTE_LINE = "democratic_vote"


def today(ctx: Context) -> date:
    """The tenant's day (China time): deadlines and vote days are days there."""
    return ctx.now().astimezone(LOCAL_TIME).date()


async def year_period(ctx: Context, period_id: uuid.UUID) -> Period:
    period = await get_period(ctx, period_id)
    if period.kind != PeriodKind.year:
        raise fail(ErrorCode.INVALID, "述职报告和民主测评只在年度考核周期中进行", "periodId")
    return period


async def people_in(ctx: Context, unit_id: uuid.UUID | None) -> list[Person]:
    """The active people of the unit, or of a department and its sub-units."""
    stmt = select(Person).where(Person.status == PersonStatus.active)
    if unit_id is not None:
        tree = await org_tree(ctx)
        if unit_id not in tree:
            raise not_found("部门")
        stmt = stmt.where(Person.unit_id.in_(tree.subtree(unit_id)))
    return list((await ctx.session.scalars(stmt.order_by(Person.employee_no))).all())


# --- 述职报告 -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyReportLine:
    report: DutyReport
    person_name: str
    employee_no: str
    unit_name: str
    status: DutyReportStatus


async def request_duty_reports(ctx: Context, period_id: uuid.UUID, deadline: date,
                               unit_id: uuid.UUID | None = None,
                               person_ids: Sequence[uuid.UUID] = ()) -> int:
    """Asks for reports by ``deadline`` (a day, included): the chosen persons, else the people
    appraised in the department (with its sub-units), else everyone appraised. Asking again
    moves the deadline of those already asked. Returns how many were asked."""
    ctx.require(Permission.duty_report_request)
    period = await year_period(ctx, period_id)
    ensure_open(period)
    if deadline < today(ctx):
        raise fail(ErrorCode.INVALID, "截止日期不能早于今天", "deadline")
    appraised = {p.id: p for p in await appraised_people(ctx)}
    if person_ids:
        if any(pid not in appraised for pid in person_ids):
            raise not_found("参加考核的人员")
        chosen = [appraised[pid] for pid in dict.fromkeys(person_ids)]
    else:
        chosen = [p for p in await people_in(ctx, unit_id) if p.id in appraised]
    if not chosen:
        raise fail(ErrorCode.INVALID, "所选范围内没有参加考核的人员", "unitId")
    existing = {r.person_id: r for r in (await ctx.session.scalars(select(DutyReport).where(
        DutyReport.period_id == period.id,
        DutyReport.person_id.in_([p.id for p in chosen])).with_for_update())).all()}
    for person in chosen:
        row = existing.get(person.id)
        if row is None:
            ctx.session.add(DutyReport(tenant_id=ctx.me.tenant_id, period_id=period.id,
                                       person_id=person.id, deadline=deadline,
                                       requested_by=ctx.me.subject))
        else:
            row.deadline = deadline
    await ctx.session.flush()
    audit.record(ctx, "duty_report.request", "period", period.id, None,
                 {"deadline": deadline.isoformat(), "people": len(chosen),
                  "unit_id": str(unit_id) if unit_id and not person_ids else None})
    return len(chosen)


async def my_duty_report(ctx: Context, period_id: uuid.UUID) -> DutyReportLine | None:
    """The caller's report of the period (asked or written); None when not asked."""
    me = ctx.me.person_id
    await year_period(ctx, period_id)
    if me is None:
        return None
    lines = await _lines(ctx, and_(DutyReport.period_id == period_id, DutyReport.person_id == me))
    return lines[0] if lines else None


async def duty_reports(ctx: Context, period_id: uuid.UUID) -> list[DutyReportLine]:
    """The reports the caller may read: everyone's for the admin, those of the people a leader
    manages and their own for leaders, their own for staff."""
    await year_period(ctx, period_id)
    scope = ctx.authz.read_scope(Permission.duty_report_read)
    readable = person_rows(scope, ctx.me.person_id, Person.id, Person.unit_id)
    return await _lines(ctx, and_(DutyReport.period_id == period_id, readable))


async def _lines(ctx: Context, where: Any) -> list[DutyReportLine]:
    rows = (await ctx.session.execute(
        select(DutyReport, Person.name, Person.employee_no, OrgUnit.name)
        .join(Person, and_(Person.tenant_id == DutyReport.tenant_id,
                           Person.id == DutyReport.person_id))
        .join(OrgUnit, and_(OrgUnit.tenant_id == Person.tenant_id, OrgUnit.id == Person.unit_id))
        .where(where).order_by(Person.employee_no))).all()
    day = today(ctx)
    return [DutyReportLine(r, name, no, unit,
                           duty_report_status(r.deadline, r.submitted_at is not None, day))
            for r, name, no, unit in rows]


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    content: bytes


async def duty_report_attachment(ctx: Context, report_id: uuid.UUID) -> Attachment | None:
    """A report's attachment for whoever may read the report (same answer as a missing id
    otherwise)."""
    row = await ctx.session.get(DutyReport, (ctx.me.tenant_id, report_id))
    person = await ctx.session.get(Person, (ctx.me.tenant_id, row.person_id)) if row else None
    if row is None or person is None or not ctx.can(Permission.duty_report_read, Target(
            kind="duty_report", id=row.id, person_id=person.id, unit_id=person.unit_id)):
        raise not_found("述职报告")
    if row.attachment is None:
        return None
    return Attachment(row.attachment_name or "附件", row.attachment_type or "", row.attachment)


@dataclass(frozen=True)
class DutyReportInput:
    period_id: uuid.UUID
    text: str
    attachment: UploadedFile | None = None
    remove_attachment: bool = False


async def submit_duty_report(ctx: Context, data: DutyReportInput) -> DutyReportLine:
    """The caller writes (or rewrites, until the deadline) the report they were asked for."""
    me = ctx.me.person_id
    person = await ctx.session.get(Person, (ctx.me.tenant_id, me)) if me else None
    if person is None:
        raise forbidden()
    ctx.require(Permission.duty_report_write, Target(
        kind="duty_report", person_id=person.id, unit_id=person.unit_id))
    period = await year_period(ctx, data.period_id)
    ensure_open(period)
    row = (await ctx.session.scalars(select(DutyReport).where(
        DutyReport.period_id == period.id, DutyReport.person_id == person.id)
        .with_for_update())).one_or_none()
    if row is None:
        raise fail(ErrorCode.NOT_FOUND, "组织人事部门尚未要求您提交本年度述职报告")
    config = (await tenant_config(ctx)).annual
    try:
        kept = check_duty_report(data.text, row.deadline, today(ctx),
                                 config.duty_report_max_length)
    except RuleError as exc:
        code = ErrorCode.DEADLINE_PASSED if today(ctx) > row.deadline else ErrorCode.INVALID
        raise fail(code, str(exc), None if code == ErrorCode.DEADLINE_PASSED else "text") \
            from exc
    if data.attachment is not None:
        try:
            content = data.attachment.content()
            kind = attachment_type(data.attachment.filename, content,
                                   config.duty_report_attachment_max_mb)
        except (RuleError, SpreadsheetError) as exc:
            raise fail(ErrorCode.INVALID, str(exc), "attachment") from exc
        row.attachment_name = data.attachment.filename.strip()[:300]
        row.attachment_type, row.attachment = kind, content
    elif data.remove_attachment:
        row.attachment_name = row.attachment_type = row.attachment = None
    before = {"submitted": row.submitted_at is not None}
    row.text, row.submitted_at = kept, ctx.now()
    await ctx.session.flush()
    audit.record(ctx, "duty_report.submit", "duty_report", row.id, before,
                 {"length": len(kept), "attachment": row.attachment_name})
    unit = await ctx.session.get(OrgUnit, (ctx.me.tenant_id, person.unit_id))
    return DutyReportLine(row, person.name, person.employee_no, unit.name if unit else "",
                          DutyReportStatus.submitted)


def attachment_base64(attachment: Attachment) -> str:
    return base64.b64encode(attachment.content).decode("ascii")

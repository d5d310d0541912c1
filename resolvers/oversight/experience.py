"""Experience reports and problem suggestions (经验总结、问题建议) from the units to the city.

A unit (its organization department or principal leader) submits a write-up tagged with the
stage of the cycle it is about; it reads its own submissions with the city's answers under its
own row-level security. The city reads every unit's submissions, comments on them and marks
good practices only through the platform functions of migration 0008
(``platform_experience_reports``, ``platform_review_experience``): RLS stays on, one tenant at a
time.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text

from authz import Permission
from models import ExperienceComment, ExperienceReport, Tenant
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from vocab.org import TenantKind
from vocab.oversight import CycleStage, ExperienceKind

TITLE_MAX = 200
BODY_MAX = 10000
COMMENT_MAX = 5000
CITY_NAME = "市委组织部"


@dataclass(frozen=True)
class ExperienceInput:
    kind: str
    stage: str
    title: str
    body: str


def _check(data: ExperienceInput) -> list[Problem]:
    problems = []
    if data.kind not in set(ExperienceKind):
        problems.append(Problem(ErrorCode.INVALID, "类型只能是经验做法或问题建议", "kind"))
    if data.stage not in set(CycleStage):
        problems.append(Problem(ErrorCode.INVALID, "环节只能是计划、执行、评价、反馈或结果运用",
                                "stage"))
    if not data.title.strip() or len(data.title.strip()) > TITLE_MAX:
        problems.append(Problem(ErrorCode.INVALID, f"请填写标题（不超过{TITLE_MAX}字）", "title"))
    if not data.body.strip() or len(data.body.strip()) > BODY_MAX:
        problems.append(Problem(ErrorCode.INVALID, f"请填写内容（不超过{BODY_MAX}字）", "body"))
    return problems


async def submit(ctx: Context, data: ExperienceInput) -> ExperienceReport:
    ctx.require(Permission.experience_submit)
    problems = _check(data)
    if problems:
        raise UserFacingError(*problems)
    row = ExperienceReport(tenant_id=ctx.me.tenant_id, id=uuid.uuid4(), kind=data.kind,
                           stage=data.stage, title=data.title.strip(), body=data.body.strip(),
                           submitted_by=ctx.me.subject, good_practice=False)
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, "experience_report.submit", "experience_report", row.id,
                 after=audit.snapshot(row))
    return row


async def own_reports(ctx: Context, stage: str | None = None) -> Sequence[ExperienceReport]:
    """The unit's own submissions, newest first."""
    ctx.require(Permission.experience_read)
    stmt = select(ExperienceReport).order_by(ExperienceReport.created_at.desc(),
                                             ExperienceReport.id)
    if stage is not None:
        stmt = stmt.where(ExperienceReport.stage == stage)
    return (await ctx.session.scalars(stmt)).all()


async def comments_by_report(ctx: Context, report_ids: Sequence[uuid.UUID]
                             ) -> list[list[ExperienceComment]]:
    """The city's answers to the unit's own submissions (a DataLoader batch)."""
    rows = (await ctx.session.scalars(select(ExperienceComment).where(
        ExperienceComment.report_id.in_(list(report_ids))).order_by(
        ExperienceComment.created_at, ExperienceComment.id))).all()
    found: dict[uuid.UUID, list[ExperienceComment]] = defaultdict(list)
    for row in rows:
        found[row.report_id].append(row)
    return [found.get(i, []) for i in report_ids]


# --- the city ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CityComment:
    id: uuid.UUID
    body: str
    author_name: str
    created_at: datetime


@dataclass(frozen=True)
class CityExperience:
    tenant_id: uuid.UUID
    tenant_code: str
    tenant_name: str
    tenant_kind: str
    id: uuid.UUID
    kind: str
    stage: str
    title: str
    body: str
    good_practice: bool
    created_at: datetime
    reviewed_at: datetime | None
    comments: tuple[CityComment, ...]


def _comments(data: Any) -> tuple[CityComment, ...]:
    return tuple(CityComment(uuid.UUID(c["id"]), c["body"], c["author_name"],
                             datetime.fromisoformat(c["created_at"])) for c in data or [])


@dataclass(frozen=True)
class CityFilter:
    tenant_ids: Sequence[uuid.UUID] | None = None
    kind: str | None = None
    stage: str | None = None
    good_practice_only: bool = False


async def city_reports(ctx: Context, flt: CityFilter) -> list[CityExperience]:
    """Every unit's submissions (or those of the given units), newest first."""
    ctx.require(Permission.experience_review_read)
    tenants = {tid: (code, name, kind) for tid, code, name, kind in (await ctx.session.execute(
        select(Tenant.id, Tenant.code, Tenant.name, Tenant.kind).where(
            Tenant.kind != TenantKind.organization_department.value))).all()}
    wanted = [t for t in flt.tenant_ids if t in tenants] if flt.tenant_ids is not None else list(
        tenants)
    rows = (await ctx.session.execute(text(
        "SELECT tenant, id, kind, stage, title, body, good_practice, created_at, reviewed_at, "
        "comments FROM platform_experience_reports(CAST(:t AS uuid[]))"), {"t": wanted})).all()
    out = []
    for tenant, rid, kind, stage, title, body, good, created, reviewed, comments in rows:
        if (flt.kind and kind != flt.kind) or (flt.stage and stage != flt.stage) or (
                flt.good_practice_only and not good):
            continue
        code, name, tenant_kind = tenants[tenant]
        out.append(CityExperience(tenant, code, name, tenant_kind, rid, kind, stage, title, body,
                                  good, created, reviewed, _comments(comments)))
    out.sort(key=lambda r: (r.created_at, str(r.id)), reverse=True)
    return out


async def review(ctx: Context, tenant_id: uuid.UUID, report_id: uuid.UUID, comment: str,
                 good_practice: bool | None) -> CityExperience:
    """The city answers a submission and/or marks it a good practice (典型经验)."""
    ctx.require(Permission.experience_review_comment)
    if len(comment.strip()) > COMMENT_MAX:
        raise fail(ErrorCode.INVALID, f"答复不超过{COMMENT_MAX}字", "comment")
    if not comment.strip() and good_practice is None:
        raise fail(ErrorCode.INVALID, "请填写答复意见或标记是否为典型经验", "comment")
    tenant = await ctx.session.get(Tenant, tenant_id)
    if tenant is None or tenant.kind == TenantKind.organization_department:
        raise not_found("经验材料")
    found = await ctx.session.scalar(text(
        "SELECT platform_review_experience(:t, :r, :c, :g, :a, :n)"),
        {"t": tenant_id, "r": report_id, "c": comment.strip(), "g": good_practice,
         "a": ctx.me.subject, "n": CITY_NAME})
    if found is None:
        raise not_found("经验材料")
    audit.record(ctx, "experience_report.review", "experience_report", report_id,
                 after={"tenant_id": str(tenant_id), "comment": comment.strip(),
                        "good_practice": good_practice})
    reports = await city_reports(ctx, CityFilter(tenant_ids=[tenant_id]))
    return next(r for r in reports if r.id == report_id)

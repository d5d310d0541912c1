"""Post adjustment (岗位调整): a person's post changes from an effective date, history kept.

A post adjustment recorded from the care list (``resolvers.feedback.care.record_action``) writes
three things in the request's transaction: the care action, a results-use ledger entry of kind
``post_adjustment`` (through ``results_use.record_entry``: the ledger's one door, audited,
resting on the person's results) and a ``PostAssignment`` row (old post, new post, effective
date). ``Person.post_id`` stays the current post:

* effective today or earlier (Chengdu date): applied at once;
* future-dated: stored pending and applied by ``apply_due`` on the first post-history use case
  run on or after that day (recording a change, reading a history, the care list). Until then
  the person keeps the old post everywhere, and the history shows the change as pending.

Each application is audited as a change of the person (``person.post``: before and after).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from authz import Permission, Target
from models import Period, Person, PersonResult, Post, PostAssignment
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.feedback import results_use
from resolvers.plans.schemes import today
from vocab.feedback import ResultsUseKind


async def apply_due(ctx: Context, person_ids: Sequence[uuid.UUID] | None = None) -> int:
    """Applies the pending post changes whose day has come, oldest first; returns how many.

    No authorization: the calling use case checked it (it only carries out decisions already
    recorded and audited).
    """
    stmt = (select(PostAssignment)
            .where(PostAssignment.applied_at.is_(None),
                   PostAssignment.effective_on <= today(ctx))
            .order_by(PostAssignment.effective_on, PostAssignment.created_at)
            .with_for_update())
    if person_ids is not None:
        if not person_ids:
            return 0
        stmt = stmt.where(PostAssignment.person_id.in_(list(person_ids)))
    due = (await ctx.session.scalars(stmt)).all()
    for row in due:
        person = await ctx.session.get(Person, (row.tenant_id, row.person_id),
                                       with_for_update=True)
        assert person is not None
        if person.post_id != row.post_id:
            before = audit.snapshot(person)
            row.previous_post_id = person.post_id
            person.post_id = row.post_id
            audit.record(ctx, "person.post", "person", person.id, before, audit.snapshot(person),
                         reason=f"岗位调整自{row.effective_on.isoformat()}起生效")
        row.applied_at = ctx.now()
    if due:
        await ctx.session.flush()
    return len(due)


async def _default_basis(ctx: Context, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The person's latest result: what a post adjustment rests on when none is named."""
    latest = await ctx.session.scalar(
        select(PersonResult.id).join(Period, Period.id == PersonResult.period_id)
        .where(PersonResult.person_id == person_id)
        .order_by(Period.year.desc(), Period.quarter.desc().nulls_first()).limit(1))
    return [latest] if latest is not None else []


async def record_adjustment(ctx: Context, person: Person, post_id: uuid.UUID,
                            effective_on: date, note: str, basis: Sequence[uuid.UUID],
                            care_action_id: uuid.UUID) -> PostAssignment:
    """The post change and its ledger entry (the caller wrote the care action)."""
    ctx.require(Permission.results_use_write)
    post = await ctx.session.get(Post, (ctx.me.tenant_id, post_id))
    if post is None:
        raise not_found("岗位")
    await apply_due(ctx, [person.id])
    pending = await ctx.session.scalar(
        select(PostAssignment.post_id).where(PostAssignment.person_id == person.id,
                                             PostAssignment.applied_at.is_(None))
        .order_by(PostAssignment.effective_on.desc(), PostAssignment.created_at.desc())
        .limit(1))
    held = pending if pending is not None else person.post_id
    if held == post.id:
        raise fail(ErrorCode.INVALID, f"调整后的岗位与{'待生效' if pending else '现任'}岗位相同",
                   "postId")
    entry = await results_use.record_entry(ctx, results_use.EntryInput(
        kind=ResultsUseKind.post_adjustment, decided_on=effective_on,
        title=f"调整至{post.name}"[:200], person_id=person.id, note=note,
        basis=list(basis) or await _default_basis(ctx, person.id)))
    row = PostAssignment(tenant_id=ctx.me.tenant_id, person_id=person.id, post_id=post.id,
                         previous_post_id=held, effective_on=effective_on,
                         care_action_id=care_action_id, results_use_entry_id=entry.entry.id,
                         reason=note, recorded_by=ctx.me.subject)
    ctx.session.add(row)
    await ctx.session.flush()
    audit.record(ctx, "post_assignment.record", "post_assignment", row.id,
                 after=audit.snapshot(row), reason=note)
    await apply_due(ctx, [person.id])
    return row


@dataclass(frozen=True)
class PostChange:
    row: PostAssignment
    previous_post: Post | None
    post: Post | None


async def history(ctx: Context, person_id: uuid.UUID) -> list[PostChange]:
    """A person's post changes, oldest first (pending ones last), for whoever may read the
    person's profile (the person, whoever manages them, the tenant admin)."""
    ctx.authz  # noqa: B018 - refuses anonymous callers
    person = await ctx.session.get(Person, (ctx.me.tenant_id, person_id))
    if person is None or not ctx.can(Permission.profile_read, Target(
            kind="profile", id=person.id, person_id=person.id, unit_id=person.unit_id)):
        raise not_found("人员")
    await apply_due(ctx, [person.id])
    rows = (await ctx.session.scalars(select(PostAssignment).where(
        PostAssignment.person_id == person.id).order_by(
        PostAssignment.effective_on, PostAssignment.created_at))).all()
    ids = {i for r in rows for i in (r.post_id, r.previous_post_id) if i is not None}
    posts = {p.id: p for p in (await ctx.session.scalars(
        select(Post).where(Post.id.in_(ids)))).all()} if ids else {}
    return [PostChange(r, posts.get(r.previous_post_id) if r.previous_post_id else None,
                       posts.get(r.post_id)) for r in rows]

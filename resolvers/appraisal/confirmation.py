"""Confirming grades (综合研判): what ``confirmGrades`` does today and what the last level of
the sign-off chain (resolvers/appraisal/signoff.py) does when it passes. One place for both."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from models import Person, PersonResult
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail


def snapshot(row: PersonResult, grade: str | None) -> dict[str, Any]:
    """``grade``: the grade in force (the proposal until the review confirms or changes it)."""
    return {"person_id": row.person_id, "grade": grade, "proposed_grade": row.proposed_grade,
            "confirmed_at": row.confirmed_at}


async def refuse_undecided_ties(ctx: Context, rows: Sequence[PersonResult], *,
                                chained: bool = False, field: str = "personIds") -> None:
    """Ties cut by a line are decided one by one in the review, never confirmed in bulk.

    Decided: confirmed, or (in a sign-off chain, where a decision is not yet a confirmation)
    given a grade with a reason."""
    open_: list[uuid.UUID] = [r.person_id for r in rows if r.tie_review and r.confirmed_at is None
                              and not (chained and r.grade is not None)]
    if not open_:
        return
    found = await ctx.session.execute(select(Person.id, Person.name, Person.employee_no).where(
        Person.id.in_(open_)).order_by(Person.employee_no))
    names = "、".join(f"{name}（{no}）" for _, name, no in found.all())
    raise fail(ErrorCode.RULE_VIOLATION,
               f"以下人员并列跨线，须研判，请逐一确定等次并说明理由后再确认：{names}", field)


def confirm(ctx: Context, rows: Sequence[PersonResult]) -> list[PersonResult]:
    """Confirms the grade in force of every row not yet confirmed, each audited."""
    confirmed = []
    for row in rows:
        if row.confirmed_at is not None:
            continue
        before = snapshot(row, row.grade or row.proposed_grade)
        row.grade, row.confirmed_at = row.grade or row.proposed_grade, ctx.now()
        audit.record(ctx, "grade.confirm", "person_result", row.id, before,
                     snapshot(row, row.grade))
        confirmed.append(row)
    return confirmed

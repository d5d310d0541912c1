"""Computing a bonus run (in a worker): read the period's results, allocate, write the run.

1. Snapshot: the active, appraised people with their result of the period (grade, unit when
   graded), the unit tree and the departments' results (UnitResult.level).
2. ``rules.bonus.attribution.plan``: who counts for which department at which grade (pure).
3. ``rules.bonus.allocate`` (pure, exact, sums to the cent).
4. Write the run, its department lines and its person lines in the job's transaction, replacing
   the period's draft; the job wrapper marks the job done in the same transaction. The person
   lines (100,000 in a large run) are copied (COPY) into a temporary table and moved into
   ``bonus_lines`` by one INSERT ... SELECT, which row-level security checks like any insert;
   their ids come from the database, their explanations are rendered when read.

The lines keep the snapshot (department, result, grade, base), so ``reproduce`` can run the
allocation again from the stored run alone.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import Any

from psycopg import AsyncConnection
from sqlalchemy import Text, and_, cast, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import BonusDepartment, BonusLine, BonusRun, OrgUnit, Person, PersonResult, UnitResult
from models.jobs import Job
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.org.tree import org_tree_from_rows
from rules.bonus import Allocation, DepartmentInput, PersonInput, allocate
from rules.bonus.attribution import PersonRow, Plan, Snapshot, configured_base, plan
from rules.bonus.cents import Shares, allocate_cents
from rules.bonus.lines import to_decimal
from rules.bonus.params import BonusRunParams
from vocab.jobs import BonusRunStatus
from vocab.org import PersonStatus

Progress = Callable[[int], Awaitable[None]]

WRITE_CHUNK = 5000


async def load_snapshot(ctx: Context, period_id: uuid.UUID) -> Snapshot:
    session = ctx.session
    units = (await session.execute(select(OrgUnit.id, OrgUnit.parent_id, OrgUnit.sort_order,
                                          OrgUnit.code, OrgUnit.name))).all()
    tree = org_tree_from_rows(ctx, ((u.id, u.parent_id, u.sort_order, u.code) for u in units))
    names = {u.id: u.name for u in units}
    levels = dict((await session.execute(select(UnitResult.unit_id, UnitResult.level).where(
        UnitResult.period_id == period_id))).all())
    # One statement for the people and their results, ids read as text: a uuid.UUID per id
    # was most of the read's time for 100,000 people (bench.bonus_run). The units' ids are
    # the tree's UUIDs again, shared by all the people of a unit.
    by_text = {str(u.id): u.id for u in units}
    rows = (await session.execute(
        select(cast(Person.id, Text), Person.employee_no, Person.name,
               cast(func.coalesce(PersonResult.unit_id, Person.unit_id), Text),
               PersonResult.grade)
        .outerjoin(PersonResult, and_(PersonResult.tenant_id == Person.tenant_id,
                                      PersonResult.person_id == Person.id,
                                      PersonResult.period_id == period_id))
        .where(Person.status == PersonStatus.active, Person.appraised.is_(True))
        .order_by(Person.employee_no))).all()
    people = [PersonRow(pid, no, name, by_text.get(unit) or uuid.UUID(unit), grade)
              for pid, no, name, unit, grade in rows]
    return Snapshot(tree, names, levels, people)


async def compute_bonus_run(session: AsyncSession, ctx: Context, job: Job,
                            progress: Progress, chunk: int = WRITE_CHUNK,
                            pause: Callable[[], Awaitable[None]] | None = None) -> BonusRun:
    """Reads, allocates and writes the run of ``job`` in ``session`` (the job's transaction).

    Raises ``RuleError`` / ``UserFacingError`` (Chinese messages) when the run cannot be made.
    """
    params = BonusRunParams.from_json(job.params)
    snapshot = await load_snapshot(ctx, params.period_id)
    await progress(20)
    planned = plan(snapshot, params)
    allocation = allocate_cents(params.pool_cents, planned.inputs, params.rules())
    await progress(40)
    await _replace_draft(session, job, params)
    run = BonusRun(tenant_id=job.tenant_id, id=uuid.uuid4(), period_id=params.period_id,
                   job_id=job.id, status=BonusRunStatus.draft.value,
                   pool_cents=params.pool_cents, inputs=job.params,
                   people_count=len(planned.lines),
                   paid_count=sum(1 for p in allocation.people if p.cents > 0),
                   excluded_count=sum(1 for p in planned.lines if not p.included),
                   department_count=len(allocation.departments), created_by=job.created_by)
    session.add(run)
    await session.flush()
    await _write_departments(session, run, snapshot, params, allocation)
    rows = list(_line_rows(planned, allocation))
    async with _LineCopy(session, run) as copy:
        for start in range(0, len(rows), chunk):
            await copy.write(rows[start:start + chunk])
            await progress(40 + 55 * min(start + chunk, len(rows)) // max(len(rows), 1))
            if pause is not None and start + chunk < len(rows):
                await pause()
    audit.record(ctx, "bonus_run.compute", "bonus_run", run.id, after={
        "job_id": str(job.id), "started_by": job.created_by, "period_id": str(run.period_id),
        "pool_cents": run.pool_cents, "people": run.people_count, "paid": run.paid_count,
        "excluded": run.excluded_count, "departments": run.department_count},
        tenant_id=job.tenant_id)
    return run


async def _replace_draft(session: AsyncSession, job: Job, params: BonusRunParams) -> None:
    """Serializes the runs of one period; the most recently started job's result wins."""
    await session.execute(select(func.pg_advisory_xact_lock(
        func.hashtextextended(f"bonus_run:{job.tenant_id}:{params.period_id}", 0))))
    runs = (await session.execute(
        select(BonusRun.id, BonusRun.status, Job.created_at)
        .join(Job, and_(Job.tenant_id == BonusRun.tenant_id, Job.id == BonusRun.job_id))
        .where(BonusRun.period_id == params.period_id))).all()
    for run_id, status, started in runs:
        if status == BonusRunStatus.confirmed:
            raise fail(ErrorCode.FROZEN, "该周期的奖金分配已确认，本次计算结果未保存")
        if started > job.created_at:
            raise fail(ErrorCode.CONFLICT, "之后发起的奖金计算已生成草稿，本次计算结果未保存")
        await session.execute(delete(BonusRun).where(BonusRun.id == run_id))


async def _write_departments(session: AsyncSession, run: BonusRun, snapshot: Snapshot,
                             params: BonusRunParams, allocation: Shares) -> None:
    counts: dict[str, int] = {}
    for p in allocation.people:
        counts[p.department_id] = counts.get(p.department_id, 0) + 1
    rows = []
    for share in allocation.departments:
        d = share.line
        unit = uuid.UUID(d.department_id)
        rows.append({
            "tenant_id": run.tenant_id, "id": uuid.uuid4(), "run_id": run.id, "unit_id": unit,
            "name": d.name, "sort_order": snapshot.tree.position(unit) or 0,
            "result": d.result,
            "coefficient": d.coefficient,
            "configured_base": configured_base(params, unit),
            "base": d.base, "weight": str(d.weight), "exact_cents": str(d.exact_cents),
            "cents": d.cents, "rounding_cents": d.rounding_cents,
            "people_count": counts.get(d.department_id, 0), "explanation": d.explanation,
            "bound_cents": share.bound_cents,
            "free_coefficient": to_decimal(share.free_coefficient)})
    if rows:
        await session.execute(insert(BonusDepartment), rows)


# The person line columns a run writes (the run and tenant are the same for all of them).
LINE_COLUMNS = ("person_id", "employee_no", "name", "person_unit_id", "unit_id",
                "result_grade", "grade", "note", "included", "coefficient", "exact_cents",
                "cents", "floor_applied", "cap_applied", "rounding_cents")
LineRow = tuple[Any, ...]


def _line_rows(planned: Plan, allocation: Shares) -> Iterable[LineRow]:
    """One tuple per planned line, in ``LINE_COLUMNS`` order."""
    by_person = {p.person_id: p for p in allocation.people}
    for line in planned.lines:
        person = line.person
        paid = by_person.get(person.person_id) if line.included else None
        head = (person.person_id, person.employee_no, person.name, person.unit_id,
                line.department, person.result_grade, line.grade, line.note)
        if paid is None:
            yield (*head, False, None, "0", 0, False, False, 0)
        else:
            yield (*head, True, paid.coefficient, paid.exact_cents, paid.cents,
                   paid.floor_applied, paid.cap_applied, paid.rounding_cents)


class _LineCopy:
    """Person lines copied into a temporary table, then moved into ``bonus_lines`` by one
    INSERT ... SELECT (COPY itself is refused on a table under row-level security; the INSERT
    is checked by it). The ids come from the column's default, ``gen_random_uuid()``."""

    TABLE = "bonus_lines_copy"

    def __init__(self, session: AsyncSession, run: BonusRun) -> None:
        self.session = session
        self.run = run
        self.columns = ", ".join(LINE_COLUMNS)

    async def __aenter__(self) -> _LineCopy:
        connection = await self.session.connection()
        raw = await connection.get_raw_connection()
        self.conn: AsyncConnection[Any] = raw.driver_connection  # type: ignore[assignment]
        async with self.conn.cursor() as cur:
            await cur.execute(f"CREATE TEMPORARY TABLE {self.TABLE} ON COMMIT DROP AS "
                              f"SELECT {self.columns} FROM bonus_lines WITH NO DATA")
        return self

    async def write(self, rows: Sequence[LineRow]) -> None:
        async with self.conn.cursor() as cur, cur.copy(
                f"COPY {self.TABLE} ({self.columns}) FROM STDIN") as copy:
            for row in rows:
                await copy.write_row(row)

    async def __aexit__(self, kind: object, error: object, trace: object) -> None:
        if kind is not None:  # the transaction rolls back, the table with it
            return
        async with self.conn.cursor() as cur:
            await cur.execute(
                f"INSERT INTO bonus_lines (tenant_id, run_id, {self.columns}) "
                f"SELECT %s, %s, {self.columns} FROM {self.TABLE}",
                (self.run.tenant_id, self.run.id))
            await cur.execute(f"DROP TABLE {self.TABLE}")


# --- reproduction ------------------------------------------------------------------------------


async def reproduce(session: AsyncSession, run: BonusRun) -> Allocation:
    """Runs the allocation again from what the run stored (not from today's results)."""
    params = BonusRunParams.from_json(run.inputs)
    departments = (await session.scalars(select(BonusDepartment).where(
        BonusDepartment.run_id == run.id))).all()
    lines = (await session.scalars(select(BonusLine).where(
        BonusLine.run_id == run.id, BonusLine.included.is_(True)))).all()
    members: dict[uuid.UUID, list[PersonInput]] = {}
    for line in lines:
        if line.unit_id is None or line.grade is None:  # included lines always have both
            continue
        members.setdefault(line.unit_id, []).append(
            PersonInput(person_id=str(line.person_id), grade=line.grade, name=line.name))
    inputs = [DepartmentInput(department_id=str(d.unit_id), result=d.result,
                              people=tuple(members.get(d.unit_id, ())),
                              base=d.configured_base, name=d.name) for d in departments]
    return allocate(params.pool_cents, inputs, params.rules())


def stored_matches(allocation: Allocation, lines: Mapping[str, int]) -> bool:
    """Whether an allocation gives every person the cents stored for them."""
    return all(lines.get(p.person_id) == p.cents for p in allocation.people) and (
        sum(lines.values()) == sum(p.cents for p in allocation.people))


__all__ = ["compute_bonus_run", "load_snapshot", "reproduce", "stored_matches"]

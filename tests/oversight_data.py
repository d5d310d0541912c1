"""A deterministic oversight scenario for synthetic tenants (tests of issue 8).

``load_scenario`` writes, under the tenant's own row-level security, everything the cross-unit
figures read: periods (with a declaring deadline), results, declarations with items, rater
assignments with ratings, feedback interviews with fit ratings, commendations and error
notices, tasks with milestones and rectifications, results-use entries, care actions and bonus
runs with their lines. The tests compute every figure by hand from these specs.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text

from jixiao.settings import Settings
from models import (
    BonusLine,
    BonusRun,
    CareAction,
    Declaration,
    DeclarationItem,
    FeedbackInterview,
    IndicatorScheme,
    Job,
    OrgUnit,
    Period,
    Person,
    PersonResult,
    PointRecord,
    RaterAssignment,
    RatingValue,
    Rectification,
    ResultsUseEntry,
    SchemeNode,
    SchemeVersion,
    Task,
    TaskMilestone,
    Tenant,
)
from tenants.db import make_engine, make_sessionmaker, tenant_transaction


@dataclass(frozen=True)
class PeriodSpec:
    year: int
    quarter: int | None
    results: Mapping[str, tuple[str | None, int | None]]  # no -> (grade, rank)
    deadline: datetime | None = None  # the declaring deadline
    # no -> (submitted at, None: a draft; number of items)
    declarations: Mapping[str, tuple[datetime | None, int]] = field(default_factory=dict)
    interviews: Mapping[str, int] = field(default_factory=dict)  # no -> fit rating
    # (rated person, rater, rated: has values)
    assignments: Sequence[tuple[str, str, bool]] = ()
    # (person, unit code the money came through, grade, included, cents); confirmed run
    bonus: Sequence[tuple[str, str, str, bool, int]] = ()
    draft_bonus: Sequence[tuple[str, str, str, bool, int]] = ()


@dataclass(frozen=True)
class Scenario:
    periods: Sequence[PeriodSpec]
    settings: Mapping[str, Any] = field(default_factory=dict)
    # (credit | deduction, status, occurred on)
    records: Sequence[tuple[str, str, date]] = ()
    # code -> (due on, status, completed on)
    tasks: Mapping[str, tuple[date, str, date | None]] = field(default_factory=dict)
    # name -> (task code, due on, done on)
    milestones: Mapping[str, tuple[str, date, date | None]] = field(default_factory=dict)
    # (task code, milestone name or None, rectified on)
    rectifications: Sequence[tuple[str, str | None, date]] = ()
    # (kind, person no or None, unit code or None, decided on)
    uses: Sequence[tuple[str, str | None, str | None, date]] = ()
    # (kind, person, mentor, starts on, ends on)
    care: Sequence[tuple[str, str, str | None, date, date | None]] = ()


def _period_name(year: int, quarter: int | None) -> str:
    return f"{year}年度" if quarter is None else f"{year}年第{quarter}季度"


async def _load(settings: Settings, code: str, scenario: Scenario) -> dict[str, str]:
    engine = make_engine(settings.database_url, pooled=False)
    ids: dict[str, str] = {}
    try:
        async with make_sessionmaker(engine)() as probe:
            tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                       {"c": code})).scalar_one()
        async with tenant_transaction(make_sessionmaker(engine), tid) as s:
            if scenario.settings:
                tenant = await s.get(Tenant, tid)
                assert tenant is not None
                tenant.settings = {**(tenant.settings or {}), **scenario.settings}
            people = {p.employee_no: p for p in (await s.scalars(select(Person))).all()}
            units = {u.code: u for u in (await s.scalars(select(OrgUnit))).all()}
            scheme = IndicatorScheme(tenant_id=tid, id=uuid.uuid4(), year=2025, name="2025年度")
            s.add(scheme)
            await s.flush()
            version = SchemeVersion(tenant_id=tid, id=uuid.uuid4(), scheme_id=scheme.id,
                                    number=1, status="published",
                                    published_at=datetime(2025, 1, 1, tzinfo=UTC))
            s.add(version)
            await s.flush()
            nodes = {kind: SchemeNode(tenant_id=tid, id=uuid.uuid4(), version_id=version.id,
                                      code=c, name=name, kind=kind, weight=w, cap=cap,
                                      points=Decimal(1) if cap else None)
                     for kind, c, name, w, cap in (
                         ("rated", "GZ01", "重点工作", 100, None),
                         ("credit", "JF01", "点赞事项", None, Decimal(5)),
                         ("deduction", "KF01", "错情通报", None, Decimal(5)))}
            s.add_all(nodes.values())
            await s.flush()
            ids["version"] = str(version.id)
            tasks = {c: Task(tenant_id=tid, id=uuid.uuid4(), year=due.year, code=c,
                             title=f"任务{c}", source_kind="municipal", level="unit",
                             unit_id=units["d1"].id, due_on=due, status=status,
                             completed_on=done)
                     for c, (due, status, done) in scenario.tasks.items()}
            s.add_all(tasks.values())
            await s.flush()
            milestones = {n: TaskMilestone(tenant_id=tid, id=uuid.uuid4(),
                                           task_id=tasks[t].id, title=n, due_on=due,
                                           done_on=done)
                          for n, (t, due, done) in scenario.milestones.items()}
            s.add_all(milestones.values())
            await s.flush()
            s.add_all(Rectification(tenant_id=tid, task_id=tasks[t].id,
                                    milestone_id=milestones[m].id if m else None,
                                    rectified_on=on, note="已整改", recorded_by="test")
                      for t, m, on in scenario.rectifications)
            default_task = next(iter(tasks.values()), None)
            for kind, status, on in scenario.records:
                s.add(PointRecord(tenant_id=tid, version_id=version.id, node_id=nodes[kind].id,
                                  person_id=people["P006"].id, occurred_on=on,
                                  points=Decimal(1), reason="记录", status=status,
                                  recorded_by="test"))
            for kind, no, unit, on in scenario.uses:
                s.add(ResultsUseEntry(tenant_id=tid, kind=kind,
                                      person_id=people[no].id if no else None,
                                      unit_id=units[unit].id if unit else None, decided_on=on,
                                      title="运用", recorded_by="test"))
            for kind, no, mentor, starts, ends in scenario.care:
                s.add(CareAction(tenant_id=tid, kind=kind, person_id=people[no].id,
                                 mentor_id=people[mentor].id if mentor else None,
                                 starts_on=starts, ends_on=ends, recorded_by="test"))
            await s.flush()
            for spec in scenario.periods:
                period = await _period(s, tid, spec, people, units, version.id,
                                       nodes["rated"].id, default_task)
                ids[_period_name(spec.year, spec.quarter)] = str(period)
    finally:
        await engine.dispose()
    return ids


async def _period(s: Any, tid: uuid.UUID, spec: PeriodSpec, people: dict[str, Person],
                  units: dict[str, OrgUnit], version: uuid.UUID, node: uuid.UUID,
                  task: Task | None) -> uuid.UUID:
    period = Period(tenant_id=tid, id=uuid.uuid4(),
                    kind="year" if spec.quarter is None else "quarter", year=spec.year,
                    quarter=spec.quarter, name=_period_name(spec.year, spec.quarter),
                    state="closed",
                    deadlines={"declaring": spec.deadline.isoformat()} if spec.deadline else {})
    s.add(period)
    await s.flush()
    results = {}
    for no, (grade, rank) in spec.results.items():
        person = people[no]
        results[no] = PersonResult(tenant_id=tid, id=uuid.uuid4(), period_id=period.id,
                                   person_id=person.id, unit_id=person.unit_id,
                                   comparison_group=person.comparison_group, rank=rank,
                                   grade=grade,
                                   score=Decimal(100 - rank) if rank is not None else None)
    s.add_all(results.values())
    await s.flush()
    for no, (submitted, items) in spec.declarations.items():
        declaration = Declaration(tenant_id=tid, id=uuid.uuid4(), period_id=period.id,
                                  person_id=people[no].id,
                                  status="submitted" if submitted else "draft",
                                  submitted_at=submitted)
        s.add(declaration)
        await s.flush()
        assert task is not None
        s.add_all(DeclarationItem(tenant_id=tid, declaration_id=declaration.id, position=i,
                                  title=f"实绩{i}", content="内容", task_id=task.id)
                  for i in range(1, items + 1))
    for no, fit in spec.interviews.items():
        person = people[no]
        result = results.get(no)
        s.add(FeedbackInterview(
            tenant_id=tid, period_id=period.id, person_id=person.id, unit_id=person.unit_id,
            person_result_id=result.id if result else None, recorded_by="test",
            held_on=date(spec.year, 3 * (spec.quarter or 4), 28), result_told="已告知",
            strengths="优势", weaknesses="短板", root_causes="根源", improvement_plan=[],
            topics={}, praise="肯定", critique="不足", encouragement="方向", fit_rating=fit))
    await s.flush()
    for rated, rater, done in spec.assignments:
        assignment = RaterAssignment(tenant_id=tid, id=uuid.uuid4(), period_id=period.id,
                                     person_id=people[rated].id, rater_id=people[rater].id,
                                     role="peer", source="manual")
        s.add(assignment)
        await s.flush()
        if done:
            s.add_all(RatingValue(tenant_id=tid, assignment_id=assignment.id,
                                  version_id=version, node_id=node, dimension=d,
                                  value=Decimal(90)) for d in ("completion", "difficulty"))
    await s.flush()
    for status, lines in (("confirmed", spec.bonus), ("draft", spec.draft_bonus)):
        if lines:
            await _bonus(s, tid, period.id, status, lines, people, units)
    return period.id


async def _bonus(s: Any, tid: uuid.UUID, period: uuid.UUID, status: str,
                 lines: Sequence[tuple[str, str, str, bool, int]], people: dict[str, Person],
                 units: dict[str, OrgUnit]) -> None:
    job = Job(tenant_id=tid, id=uuid.uuid4(), kind="bonus_run", status="done", progress=100,
              params={}, created_by="test")
    s.add(job)
    await s.flush()
    run = BonusRun(tenant_id=tid, id=uuid.uuid4(), period_id=period, job_id=job.id,
                   status=status, pool_cents=sum(c for *_, c in lines), inputs={},
                   people_count=len(lines), paid_count=sum(1 for line in lines if line[3]),
                   excluded_count=sum(1 for line in lines if not line[3]),
                   department_count=len({line[1] for line in lines}), created_by="test",
                   confirmed_at=datetime(2026, 1, 10, tzinfo=UTC) if status == "confirmed"
                   else None)
    s.add(run)
    await s.flush()
    for no, unit, grade, included, cents in lines:
        person = people[no]
        s.add(BonusLine(tenant_id=tid, run_id=run.id, person_id=person.id,
                        employee_no=no, name=person.name, person_unit_id=person.unit_id,
                        unit_id=units[unit].id if included else None, result_grade=grade,
                        grade=grade, included=included,
                        coefficient=Decimal(1) if included else None,
                        exact_cents=str(cents), cents=cents))
    await s.flush()


def load_scenario(settings: Settings, code: str, scenario: Scenario) -> dict[str, str]:
    """Writes the scenario; returns the period ids by name ("2025年第1季度", "2025年度")."""
    return asyncio.run(_load(settings, code, scenario))

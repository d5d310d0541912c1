"""Results use (考用结合): candidates, training needs, and the ledger of decisions.

Candidates for promotion, rank advancement and promotion deferral come from ``rules.promotion``
over the quarterly and annual grades; training needs from ``rules.training_needs`` over the
rating dimension scores of a period's results. The ledger records what was decided, each entry
linked to the person results it rests on; it is append-only.

Dimension scores are read from ``PersonResult.explanation`` (the ratings capability writes
them). Expected shape: among the explanation lines, one line per rating dimension::

    {"kind": "dimension", "source": "<dimension code, e.g. difficulty>",
     "score": "<the person's score on it, a decimal string or number, e.g. \"82.50\">",
     "text": "<optional: the dimension's name, e.g. 工作难度>"}

Lines of other kinds are ignored, and so are dimension lines without a finite numeric score.
Until the ratings capability writes such lines, the training needs are empty.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from sqlalchemy import Select, and_, or_, select

from authz import Permission
from authz.scopes import person_rows, unit_rows
from models import OrgUnit, Period, Person, PersonResult, ResultsUseBasis, ResultsUseEntry
from resolvers import audit
from resolvers.appraisal.periods import get_period
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail, not_found
from resolvers.feedback.interviews import load_person
from resolvers.tenant_config import tenant_config
from rules.promotion import Candidate, CandidateRule, GradeRecord, candidates
from rules.training_needs import DimensionScore, WeakDimension, weakest_dimensions
from tenants.config import PromotionRule
from vocab.feedback import CandidateKind, ResultsUseKind
from vocab.grades import GRADE_LABELS
from vocab.org import PersonStatus

DIMENSION_LINE_KIND = "dimension"
MAX_BASIS = 40


@dataclass(frozen=True)
class ResultRef:
    """A person result an entry or a candidate rests on, with its period."""

    id: uuid.UUID
    person_id: uuid.UUID
    period_id: uuid.UUID
    period_name: str
    year: int
    quarter: int | None
    score: Decimal | None
    rank: int | None
    grade: str | None

    @property
    def grade_label(self) -> str | None:
        return GRADE_LABELS.get(self.grade) if self.grade else None


def _ref_columns() -> tuple[Any, ...]:
    return (PersonResult.id, PersonResult.person_id, PersonResult.period_id, Period.name,
            Period.year, Period.quarter, PersonResult.score, PersonResult.rank,
            PersonResult.grade)


def _with_period() -> Any:
    return select(*_ref_columns()).join(Period, and_(
        Period.tenant_id == PersonResult.tenant_id, Period.id == PersonResult.period_id))


async def result_refs(ctx: Context, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, ResultRef]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = (await ctx.session.execute(_with_period().where(PersonResult.id.in_(wanted)))).all()
    return {row[0]: ResultRef(*row) for row in rows}


# --- candidates --------------------------------------------------------------------------------


@dataclass
class CandidateView:
    person: Person
    kind: CandidateKind
    reason: str
    basis: list[ResultRef]


def _rule(rule: PromotionRule) -> CandidateRule:
    return CandidateRule(consecutive_good=rule.consecutive_good,
                         excellent_years=rule.excellent_years, years=rule.years,
                         blocked_by_poor=rule.blocked_by_poor)


async def list_candidates(ctx: Context, year: int) -> list[CandidateView]:
    ctx.require(Permission.results_use_plan)
    use = (await tenant_config(ctx)).results_use
    first = year - max(use.promotion.years, use.rank_advancement.years) + 1
    rows = (await ctx.session.execute(_with_period().where(
        Period.year.between(first, year), PersonResult.grade.is_not(None)))).all()
    refs = {row[0]: ResultRef(*row) for row in rows}
    records = [GradeRecord(r.person_id, r.year, r.quarter, r.grade, r.id) for r in refs.values()]
    found: list[Candidate] = candidates(records, year, _rule(use.promotion),
                                        _rule(use.rank_advancement), use.deferral_poor_quarters)
    people = {p.id: p for p in (await ctx.session.scalars(select(Person).where(
        Person.id.in_({c.person_id for c in found}),
        Person.status == PersonStatus.active.value))).all()}
    out = [CandidateView(people[cast(uuid.UUID, c.person_id)], c.kind, c.reason,
                         [refs[cast(uuid.UUID, i)] for i in c.basis])
           for c in found if c.person_id in people]
    order = list(CandidateKind)
    out.sort(key=lambda v: (order.index(v.kind), v.person.employee_no))
    return out


# --- training needs ----------------------------------------------------------------------------


def dimension_scores(result_id: uuid.UUID, unit_id: uuid.UUID,
                     explanation: Sequence[Any] | None) -> list[DimensionScore]:
    """The dimension lines of one result's explanation (shape in the module docstring)."""
    out = []
    for line in explanation or ():
        if not isinstance(line, dict) or line.get("kind") != DIMENSION_LINE_KIND:
            continue
        code = line.get("source")
        try:
            score = Decimal(str(line.get("score")))
        except (InvalidOperation, ValueError):
            continue
        if isinstance(code, str) and code and score.is_finite():
            out.append(DimensionScore(unit_id, code, score, result_id))
    return out


@dataclass
class UnitTrainingNeed:
    unit: OrgUnit
    dimensions: tuple[WeakDimension, ...]
    names: dict[str, str]  # dimension code -> name, where the explanation gave one


async def training_needs(ctx: Context, period_id: uuid.UUID) -> list[UnitTrainingNeed]:
    ctx.require(Permission.results_use_plan)
    await get_period(ctx, period_id)
    use = (await tenant_config(ctx)).results_use
    rows = (await ctx.session.execute(select(
        PersonResult.id, PersonResult.unit_id, PersonResult.explanation).where(
        PersonResult.period_id == period_id))).all()
    scores: list[DimensionScore] = []
    names: dict[str, str] = {}
    for result_id, unit_id, explanation in rows:
        scores += dimension_scores(result_id, unit_id, explanation)
        for line in explanation or ():
            if (isinstance(line, dict) and line.get("kind") == DIMENSION_LINE_KIND
                    and isinstance(line.get("text"), str) and line.get("text")):
                names.setdefault(str(line.get("source")), line["text"])
    weakest = weakest_dimensions(scores, use.training_weakest_dimensions,
                                 use.training_min_people)
    units = (await ctx.session.scalars(select(OrgUnit).where(
        OrgUnit.id.in_(list(weakest))).order_by(OrgUnit.sort_order, OrgUnit.code))).all()
    return [UnitTrainingNeed(u, weakest[u.id], {d.dimension: names.get(d.dimension, d.dimension)
                                                for d in weakest[u.id]}) for u in units]


# --- the ledger --------------------------------------------------------------------------------


@dataclass
class EntryView:
    entry: ResultsUseEntry
    basis: list[ResultRef]


@dataclass(frozen=True)
class EntryInput:
    kind: str
    decided_on: date
    title: str
    basis: Sequence[uuid.UUID]
    person_id: uuid.UUID | None = None
    unit_id: uuid.UUID | None = None
    note: str = ""


async def with_basis(ctx: Context, entries: Sequence[ResultsUseEntry]) -> list[EntryView]:
    """Entries with the results they rest on (two statements, whatever the number)."""
    if not entries:
        return []
    links = (await ctx.session.execute(select(
        ResultsUseBasis.entry_id, ResultsUseBasis.person_result_id).where(
        ResultsUseBasis.entry_id.in_([e.id for e in entries])))).all()
    refs = await result_refs(ctx, [r for _, r in links])
    by_entry: dict[uuid.UUID, list[ResultRef]] = defaultdict(list)
    for entry_id, result_id in links:
        if result_id in refs:
            by_entry[entry_id].append(refs[result_id])
    for basis in by_entry.values():
        basis.sort(key=lambda r: (r.year, r.quarter or 5))
    return [EntryView(e, by_entry.get(e.id, [])) for e in entries]


def _check_entry(data: EntryInput, limit: int) -> list[Problem]:
    problems = []
    if data.kind not in set(ResultsUseKind):
        problems.append(Problem(ErrorCode.INVALID, "结果运用类型无效", "kind"))
    if data.person_id is None and not (data.kind == ResultsUseKind.training
                                       and data.unit_id is not None):
        problems.append(Problem(ErrorCode.INVALID, "须指定人员（面向部门的培训可只指定部门）",
                                "personId"))
    if not data.title.strip() or len(data.title.strip()) > 200:
        problems.append(Problem(ErrorCode.INVALID, "事项名称不能为空，且不超过200字", "title"))
    if len(data.note.strip()) > limit:
        problems.append(Problem(ErrorCode.INVALID, f"说明不能超过{limit}字", "note"))
    if not data.basis:
        problems.append(Problem(ErrorCode.INVALID, "须注明依据的考核结果", "basis"))
    if len(set(data.basis)) > MAX_BASIS:
        problems.append(Problem(ErrorCode.INVALID, f"依据的考核结果不超过{MAX_BASIS}条", "basis"))
    return problems


async def record_entry(ctx: Context, data: EntryInput) -> EntryView:
    ctx.require(Permission.results_use_write)
    config = await tenant_config(ctx)
    problems = _check_entry(data, config.feedback.text_max_length)
    if problems:
        raise UserFacingError(*problems)
    if data.person_id is not None:
        await load_person(ctx, data.person_id)
    if data.unit_id is not None and await ctx.session.get(
            OrgUnit, (ctx.me.tenant_id, data.unit_id)) is None:
        raise not_found("部门")
    refs = await result_refs(ctx, data.basis)
    if len(refs) != len(set(data.basis)):
        raise not_found("考核结果")
    if data.person_id is not None:
        foreign = [r for r in refs.values() if r.person_id != data.person_id]
        if foreign:
            raise fail(ErrorCode.INVALID, "依据的考核结果须是该人员本人的", "basis")
    else:
        unit_of = dict((await ctx.session.execute(select(PersonResult.id, PersonResult.unit_id)
                                                  .where(PersonResult.id.in_(list(refs))))).all())
        if any(unit_of[r] != data.unit_id for r in refs):
            raise fail(ErrorCode.INVALID, "依据的考核结果须是该部门人员的", "basis")
    entry = ResultsUseEntry(tenant_id=ctx.me.tenant_id, kind=data.kind, person_id=data.person_id,
                            unit_id=data.unit_id, decided_on=data.decided_on,
                            title=data.title.strip(), note=data.note.strip(),
                            recorded_by=ctx.me.subject)
    ctx.session.add(entry)
    await ctx.session.flush()
    ctx.session.add_all([ResultsUseBasis(tenant_id=ctx.me.tenant_id, entry_id=entry.id,
                                         person_result_id=r) for r in refs])
    await ctx.session.flush()
    audit.record(ctx, "results_use.record", "results_use_entry", entry.id,
                 after={**(audit.snapshot(entry) or {}), "basis": [str(r) for r in refs]})
    return (await with_basis(ctx, [entry]))[0]


def readable_results_use_entries(ctx: Context) -> Select[ResultsUseEntry]:
    """Entries the caller may read: those of the people in the read scope, and the unit-level
    trainings (no person) of the units the caller manages, or of all for whoever reads all."""
    scope = ctx.authz.read_scope(Permission.results_use_read)
    person = person_rows(scope, ctx.me.person_id, ResultsUseEntry.person_id, Person.unit_id)
    unit = and_(ResultsUseEntry.person_id.is_(None), unit_rows(scope, ResultsUseEntry.unit_id))
    return select(ResultsUseEntry).outerjoin(Person, and_(
        Person.tenant_id == ResultsUseEntry.tenant_id, Person.id == ResultsUseEntry.person_id)
    ).where(or_(person, unit))


async def list_entries(ctx: Context, person_id: uuid.UUID | None = None,
                       year: int | None = None) -> list[EntryView]:
    stmt = readable_results_use_entries(ctx)
    if person_id is not None:
        stmt = stmt.where(ResultsUseEntry.person_id == person_id)
    if year is not None:
        stmt = stmt.where(ResultsUseEntry.decided_on.between(date(year, 1, 1),
                                                             date(year, 12, 31)))
    rows = (await ctx.session.scalars(stmt.order_by(ResultsUseEntry.decided_on.desc(),
                                                    ResultsUseEntry.created_at.desc()))).all()
    return await with_basis(ctx, rows)


"""A department's results board: a period's results with their explanations and dimension
scores, and its declarations with their items, built as JSON by PostgreSQL in one statement.

A board reads hundreds of rows with nested parts; resolving them field by field costs far more
than reading them. The statement is made of the same pieces as the typed lists, so the board
answers exactly what ``periodResults`` and ``declarations`` (with ``person`` and ``unit``)
answer for the same caller (``tests/test_results_board.py`` compares them): the rows through
the area's read scopes (``readable_results``, ``readable_declarations``), the nested person
only where ``people_by_ids`` would return it (the person read scope), the unit only with
``unit:read``; row-level security applies as to every statement of the request.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    Text,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.orm import InstrumentedAttribute

from authz import Permission
from authz.scopes import person_rows
from models import Declaration, DeclarationItem, OrgUnit, Period, Person, PersonResult
from resolvers.appraisal.declarations import readable_declarations
from resolvers.appraisal.grading import DIMENSION_LINE
from resolvers.appraisal.periods import get_period
from resolvers.appraisal.results import readable_results
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from vocab.grades import GRADE_LABELS, ResultStatus

MAX_ROWS = 200


def _text(line: ColumnElement[Any], key: str) -> ColumnElement[Any]:
    return line.op("->>")(key)


def _explanation(dimension: bool) -> ColumnElement[Any]:
    """The result's stored explanation lines as ``explanation`` (``dimension`` false) or
    ``dimensionScores`` (true) answer them: the same keys, decimals as stored (text)."""
    lines = func.jsonb_array_elements(PersonResult.explanation).table_valued(
        "value", with_ordinality="n").render_derived()
    line = lines.c.value
    if dimension:
        value = func.jsonb_build_object("code", _text(line, "source"),
                                        "name", func.coalesce(_text(line, "text"), ""),
                                        "score", _text(line, "score"))
        keep = _text(line, "kind") == DIMENSION_LINE
    else:
        value = func.jsonb_build_object("kind", _text(line, "kind"),
                                        "source", _text(line, "source"),
                                        "delta", _text(line, "delta"),
                                        "text", _text(line, "text"))
        keep = func.coalesce(_text(line, "kind"), "") != DIMENSION_LINE
    return (select(func.coalesce(func.jsonb_agg(aggregate_order_by(value, lines.c.n)),
                                 cast(literal("[]"), JSONB)))
            .select_from(lines).where(keep).scalar_subquery())


def _person(ctx: Context) -> ColumnElement[Any]:
    """The nested person (name, employee number) where the caller may read the person."""
    readable = person_rows(ctx.authz.read_scope(Permission.person_read), ctx.me.person_id,
                           Person.id, Person.unit_id)
    return case((readable, func.json_build_object("name", Person.name,
                                                  "employeeNo", Person.employee_no)),
                else_=null())


def _label(column: InstrumentedAttribute[Any], labels: dict[str, str]) -> ColumnElement[Any]:
    return case(labels, value=column, else_=null())


def _listing(rows: Select[Any], node: ColumnElement[Any], order: list[Any],
             first: int) -> ColumnElement[Any]:
    """``{totalCount, nodes}``: the first ``first`` of ``rows`` in ``order`` as ``node``."""
    total = select(func.count()).select_from(rows.order_by(None).subquery()).scalar_subquery()
    page = (rows.with_only_columns(node.label("node"),
                                   func.row_number().over(order_by=order).label("position"))
            .order_by(*order).limit(first).subquery())
    nodes = select(func.coalesce(func.json_agg(aggregate_order_by(page.c.node, page.c.position)),
                                 cast(literal("[]"), JSON))).scalar_subquery()
    return func.json_build_object("totalCount", total, "nodes", nodes)


def _results(ctx: Context, period: Period, first: int) -> ColumnElement[Any]:
    unit = (func.json_build_object("name", OrgUnit.name) if ctx.can(Permission.unit_read)
            else null())
    node = func.json_build_object(
        "id", PersonResult.id, "periodId", PersonResult.period_id,
        "personId", PersonResult.person_id, "unitId", PersonResult.unit_id,
        "comparisonGroup", PersonResult.comparison_group,
        # Decimal fields are strings; plain(): 83.2200 -> "83.22", 80.0000 -> "80"
        "score", cast(func.trim_scale(PersonResult.score), Text),
        "rank", PersonResult.rank, "groupRank", PersonResult.group_rank,
        "proposedGrade", PersonResult.proposed_grade,
        "proposedGradeLabel", _label(PersonResult.proposed_grade, GRADE_LABELS),
        "grade", PersonResult.grade, "gradeLabel", _label(PersonResult.grade, GRADE_LABELS),
        "confirmedAt", PersonResult.confirmed_at,
        "seriousConductBreach", PersonResult.serious_conduct_breach,
        "tieReview", PersonResult.tie_review,
        "reasons", func.coalesce(PersonResult.reasons, cast(literal("[]"), JSONB)),
        "status", PersonResult.status,
        "statusLabel", _label(PersonResult.status, {s.value: s.label for s in ResultStatus}),
        "explanation", _explanation(dimension=False),
        "dimensionScores", _explanation(dimension=True),
        "person", _person(ctx), "unit", unit)
    rows = readable_results(ctx, period).outerjoin(
        OrgUnit, and_(OrgUnit.tenant_id == PersonResult.tenant_id,
                      OrgUnit.id == PersonResult.unit_id))
    return _listing(rows, node, [PersonResult.rank.asc().nulls_last(), Person.employee_no],
                    first)


def _items() -> ColumnElement[Any]:
    item = DeclarationItem
    node = func.json_build_object(
        "position", item.position, "title", item.title, "content", item.content,
        "selfAssessment", item.self_assessment, "taskId", item.task_id,
        "indicatorId", item.node_id)
    return (select(func.coalesce(func.json_agg(aggregate_order_by(node, item.position)),
                                 cast(literal("[]"), JSON)))
            .where(item.tenant_id == Declaration.tenant_id,
                   item.declaration_id == Declaration.id)
            .scalar_subquery())


def _declarations(ctx: Context, period: Period, first: int) -> ColumnElement[Any]:
    node = func.json_build_object(
        "id", Declaration.id, "periodId", Declaration.period_id,
        "personId", Declaration.person_id, "status", Declaration.status,
        "submittedAt", Declaration.submitted_at, "updatedAt", Declaration.updated_at,
        "person", _person(ctx), "items", _items())
    rows = readable_declarations(ctx).where(Declaration.period_id == period.id)
    return _listing(rows, node, [Person.employee_no], first)


async def results_board(ctx: Context, period_id: uuid.UUID, first: int = MAX_ROWS
                        ) -> dict[str, Any]:
    """The board of one period: ``results`` (ranking order, as ``periodResults``) and
    ``declarations`` (by employee number, as ``declarations``), each ``{totalCount, nodes}``
    with at most ``first`` nodes; two statements: the period, then the board."""
    if not 1 <= first <= MAX_ROWS:
        raise fail(ErrorCode.INVALID, f"每页数量须在1到{MAX_ROWS}之间", "first")
    period = await get_period(ctx, period_id)
    board = await ctx.session.scalar(select(func.json_build_object(
        "results", _results(ctx, period, first),
        "declarations", _declarations(ctx, period, first))))
    assert isinstance(board, dict)
    return board


__all__ = ["MAX_ROWS", "results_board"]

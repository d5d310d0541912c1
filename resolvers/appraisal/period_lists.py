"""A period's results and declarations built as JSON by PostgreSQL (``resolvers.json_shape``).

The same rows, order and totals as ``list_results`` and ``list_declarations`` (their selects,
``results_of_period`` and ``declarations_of_period``), each row with what the typed lists show
read in the same statement: a result's explanation lines, a declaration's items, the person
only where ``people_by_ids`` would return them (the person read scope), the unit only with
``unit:read``. The columns are named as the API's fields are (``RESULT_COLUMNS``,
``DECLARATION_COLUMNS``) and hold values as the API writes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Select,
    and_,
    case,
    func,
    literal,
    null,
    select,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB, aggregate_order_by
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.expression import ColumnCollection

from authz import Permission, ReadScope
from authz.scopes import person_rows
from models import Declaration, DeclarationItem, OrgUnit, Person, PersonResult
from resolvers.appraisal.declarations import (
    DeclarationFilter,
    declarations_query,
    declarations_select,
    page_size,
)
from resolvers.appraisal.grading import DIMENSION_LINE
from resolvers.appraisal.results import RANKING, period_of_results, result_scope, results_in
from resolvers.context import Context
from resolvers.json_shape import (
    JsonShape,
    LineColumns,
    ListSource,
    decimal_text,
    instant_text,
    json_object,
    used_labels,
)
from resolvers.pagination import kept_statement, offset_json, offset_json_statement
from vocab.grades import GRADE_LABELS, ResultStatus

Node = Callable[[ColumnCollection[str, Any]], ColumnElement[Any]]

_PERSON = (Person.id, Person.employee_no, Person.name, Person.gender, Person.rank_title,
           Person.comparison_group, Person.appraised, Person.status, Person.unit_id,
           Person.post_id)
_UNIT = (OrgUnit.id, OrgUnit.code, OrgUnit.name, OrgUnit.kind, OrgUnit.sort_order,
         OrgUnit.parent_id)


# How a row's columns are made, by label (``<object>__<column>`` for an object read with it).
Made = dict[str, Callable[[], ColumnElement[Any] | InstrumentedAttribute[Any]]]


def _select(stmt: Select[Any], made: Made, used: frozenset[str]) -> Select[Any]:
    """``stmt`` with the columns ``used`` (and always ``id``), each made only then."""
    return stmt.with_only_columns(*(make().label(label) for label, make in made.items()
                                    if label == "id" or label in used))


def _object(name: str, columns: tuple[InstrumentedAttribute[Any], ...],
            when: Callable[[], ColumnElement[bool] | None]) -> Made:
    """An object read with the row as ``<name>__<column>`` columns: null unless ``when``
    (None: never)."""
    def made(column: InstrumentedAttribute[Any]
             ) -> Callable[[], ColumnElement[Any] | InstrumentedAttribute[Any]]:
        def make() -> ColumnElement[Any]:
            condition = when()
            return null() if condition is None else case((condition, column), else_=null())
        return make
    return {f"{name}__{c.key}": made(c) for c in columns}


@dataclass(frozen=True)
class Reader:
    """What the objects read with a row depend on: the caller's person read scope (the person
    only where ``people_by_ids`` would return them), their person, whether they may read
    units."""

    people: ReadScope
    me: uuid.UUID | None
    units: bool


# A reader who may read nothing: the columns' names only.
NOBODY = Reader(ReadScope(everything=False, own=False, managed=None), None, False)


def _reader(ctx: Context) -> Reader:
    return Reader(ctx.authz.read_scope(Permission.person_read), ctx.me.person_id,
                  ctx.can(Permission.unit_read))


def _readable_person(reader: Reader) -> Callable[[], ColumnElement[bool]]:
    """Whether the row's person (joined already) is one ``people_by_ids`` would return."""
    return lambda: person_rows(reader.people, reader.me, Person.id, Person.unit_id)


def _label(column: InstrumentedAttribute[Any], labels: dict[str, str]) -> ColumnElement[Any]:
    return case(labels, value=column, else_=null())


def _lines(dimension: bool) -> Callable[[Node], ColumnElement[Any]]:
    """The result's stored explanation lines as ``explanation`` reads them (``dimension``
    false: every line but the dimension scores) or ``dimensionScores`` (true: those), in the
    stored order, each value as its stored text."""
    def build(node: Node) -> ColumnElement[Any]:
        lines = func.jsonb_array_elements(PersonResult.explanation).table_valued(
            "value", with_ordinality="n").render_derived()
        line = lines.c.value
        if dimension:
            element = select(line.op("->>")("source").label("code"),
                             func.coalesce(line.op("->>")("text"), "").label("name"),
                             line.op("->>")("score").label("score"))
            keep = line.op("->>")("kind") == DIMENSION_LINE
        else:
            element = select(*(line.op("->>")(key).label(key)
                               for key in ("kind", "source", "delta", "text")))
            keep = func.coalesce(line.op("->>")("kind"), "") != DIMENSION_LINE
        return (select(func.coalesce(
            func.json_agg(aggregate_order_by(node(element.selected_columns), lines.c.n)),
            sql_cast(literal("[]"), JSON)))
            .select_from(lines).where(keep).scalar_subquery())
    return build


def _result_columns(reader: Reader) -> Made:
    r = PersonResult
    return {
        "id": lambda: r.id, "period_id": lambda: r.period_id, "person_id": lambda: r.person_id,
        "unit_id": lambda: r.unit_id, "comparison_group": lambda: r.comparison_group,
        "score": lambda: decimal_text(r.score), "rank": lambda: r.rank,
        "group_rank": lambda: r.group_rank, "proposed_grade": lambda: r.proposed_grade,
        "proposed_grade_label": lambda: _label(r.proposed_grade, GRADE_LABELS),
        "grade": lambda: r.grade, "grade_label": lambda: _label(r.grade, GRADE_LABELS),
        "confirmed_at": lambda: instant_text(r.confirmed_at),
        "serious_conduct_breach": lambda: r.serious_conduct_breach,
        "tie_review": lambda: r.tie_review,
        "reasons": lambda: func.coalesce(r.reasons, sql_cast(literal("[]"), JSONB)),
        "status": lambda: r.status,
        "status_label": lambda: _label(r.status, {s.value: s.label for s in ResultStatus}),
        **_object("person", _PERSON, _readable_person(reader)),
        **_object("unit", _UNIT, lambda: OrgUnit.id.is_not(None) if reader.units else None)}


RESULT_COLUMNS = LineColumns(
    own=tuple(k for k in _result_columns(NOBODY) if "__" not in k),
    nested={"person": LineColumns(tuple(c.key for c in _PERSON)),
            "unit": LineColumns(tuple(c.key for c in _UNIT))},
    lists={"explanation": ListSource(LineColumns(("kind", "source", "delta", "text")),
                                     _lines(dimension=False)),
           "dimension_scores": ListSource(LineColumns(("code", "name", "score")),
                                          _lines(dimension=True))})


async def list_results_json(ctx: Context, period_id: uuid.UUID, first: int, offset: int,
                            shape: JsonShape) -> tuple[int, str]:
    """``list_results`` with each result built as the JSON object of ``shape``: the total
    and the page as the text of a JSON array."""
    period = await period_of_results(ctx, period_id, first, offset)
    scope, reader = result_scope(ctx, period), _reader(ctx)

    def build() -> Select[Any]:
        stmt = results_in(scope, reader.me, period.id)
        used = used_labels(shape)
        if reader.units and any(label.startswith("unit__") for label in used):
            stmt = stmt.outerjoin(OrgUnit, and_(OrgUnit.tenant_id == PersonResult.tenant_id,
                                                OrgUnit.id == PersonResult.unit_id))
        return offset_json_statement(_select(stmt, _result_columns(reader), used), RANKING,
                                     PersonResult.id, partial(json_object, shape))

    return await offset_json(ctx.session, kept_statement(
        ("results", scope, period.id, reader, shape), build), first, offset)


def _items(node: Node) -> ColumnElement[Any]:
    """A declaration's items in their order."""
    item = DeclarationItem
    element = select(item.position, item.title, item.content, item.self_assessment,
                     item.task_id, item.node_id.label("indicator_id"))
    return (select(func.coalesce(
        func.json_agg(aggregate_order_by(node(element.selected_columns), item.position)),
        sql_cast(literal("[]"), JSON)))
        .where(item.tenant_id == Declaration.tenant_id, item.declaration_id == Declaration.id)
        .scalar_subquery())


def _declaration_columns(reader: Reader) -> Made:
    d = Declaration
    return {"id": lambda: d.id, "period_id": lambda: d.period_id,
            "person_id": lambda: d.person_id, "status": lambda: d.status,
            "submitted_at": lambda: instant_text(d.submitted_at),
            "updated_at": lambda: instant_text(d.updated_at),
            **_object("person", _PERSON, _readable_person(reader))}


DECLARATION_COLUMNS = LineColumns(
    own=tuple(k for k in _declaration_columns(NOBODY) if "__" not in k),
    nested={"person": LineColumns(tuple(c.key for c in _PERSON))},
    lists={"items": ListSource(LineColumns(("position", "title", "content", "self_assessment",
                                            "task_id", "indicator_id")), _items)})


async def list_declarations_json(ctx: Context, period_id: uuid.UUID, flt: DeclarationFilter,
                                 first: int, offset: int,
                                 shape: JsonShape) -> tuple[int, str]:
    """``list_declarations`` with each declaration built as the JSON object of ``shape``: the
    total and the page as the text of a JSON array."""
    query, reader = await declarations_query(ctx, period_id, flt), _reader(ctx)
    size = page_size(first, offset)

    def build() -> Select[Any]:
        lines = _select(declarations_select(query), _declaration_columns(reader),
                        used_labels(shape))
        return offset_json_statement(lines, [Person.employee_no], Declaration.id,
                                     partial(json_object, shape))

    return await offset_json(ctx.session, kept_statement(("declarations", query, reader, shape),
                                                     build), size, offset)

"""A department's results board: a period's results with their explanations and dimension
scores, and its declarations with their items, built as JSON by PostgreSQL.

A board reads hundreds of rows with nested parts; resolving them field by field costs far more
than reading them. The board is the two lists of ``resolvers.appraisal.period_lists`` in a
fixed shape, so it answers exactly what ``periodResults`` and ``declarations`` (with
``person`` and ``unit``) answer for the same caller (``tests/test_deep_reads.py`` compares
them): the same read scopes, the person only where ``people_by_ids`` would return them, the
unit only with ``unit:read``, row-level security as for every statement of the request.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from resolvers.appraisal.declarations import DeclarationFilter
from resolvers.appraisal.period_lists import (
    DECLARATION_COLUMNS,
    RESULT_COLUMNS,
    list_declarations_json,
    list_results_json,
)
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail
from resolvers.json_shape import Column, JsonShape, ListOf, Nested

MAX_ROWS = 200


def _columns(*names: str, prefix: str = "") -> JsonShape:
    """Each field under its API name (camelCase) from the column of its Python name."""
    def camel(name: str) -> str:
        head, *rest = name.split("_")
        return head + "".join(part.title() for part in rest)
    return tuple((camel(name), Column(prefix + name)) for name in names)


_PERSON = Nested("person__id", _columns("name", "employee_no", prefix="person__"))
RESULT_SHAPE: JsonShape = (
    *_columns(*RESULT_COLUMNS.own),
    ("explanation", ListOf(RESULT_COLUMNS.lists["explanation"],
                           _columns("kind", "source", "delta", "text"))),
    ("dimensionScores", ListOf(RESULT_COLUMNS.lists["dimension_scores"],
                               _columns("code", "name", "score"))),
    ("person", _PERSON),
    ("unit", Nested("unit__id", _columns("name", prefix="unit__"))))
DECLARATION_SHAPE: JsonShape = (
    *_columns(*DECLARATION_COLUMNS.own),
    ("person", _PERSON),
    ("items", ListOf(DECLARATION_COLUMNS.lists["items"], _columns(
        "position", "title", "content", "self_assessment", "task_id", "indicator_id"))))


async def results_board(ctx: Context, period_id: uuid.UUID, first: int = MAX_ROWS
                        ) -> dict[str, Any]:
    """The board of one period: ``results`` (ranking order, as ``periodResults``) and
    ``declarations`` (by employee number, as ``declarations``), each ``{totalCount, nodes}``
    with at most ``first`` nodes; a statement per list (after the period's)."""
    if not 1 <= first <= MAX_ROWS:
        raise fail(ErrorCode.INVALID, f"每页数量须在1到{MAX_ROWS}之间", "first")
    results = await list_results_json(ctx, period_id, first, 0, RESULT_SHAPE)
    declarations = await list_declarations_json(ctx, period_id, DeclarationFilter(), first, 0,
                                                DECLARATION_SHAPE)
    return {name: {"totalCount": total, "nodes": json.loads(nodes)}
            for name, (total, nodes) in (("results", results),
                                         ("declarations", declarations))}


__all__ = ["MAX_ROWS", "results_board"]

"""Lists answered by one SQL statement each: PostgreSQL builds the selection's JSON whole.

graphql-core resolves a page of 50 people field by field, about 700 fields, and that costs
several times the reading itself; a dashboard of 200 results and 200 declarations, tens of
thousands. When every field of a query is one of ``COMPILED`` (the people list, a period's
results and declarations) and everything it selects is a plain column of the list's rows, an
object read with each row (a person's unit), a list that belongs to the row (a result's
explanation, a declaration's items) or ``__typename``, each list is built by PostgreSQL in one
statement, through the same use case as its resolver: the same read scope, filter, order,
paging and total, under the request's row-level security.

Anything else runs the ordinary way: another kind of field beside them, a fragment, a
directive, a field with a resolver of its own, a caller who must first change the password. So
does a call the use case refuses before reading (a page too large, a period the caller may not
read): the ordinary path answers it with its usual error. ``tests/test_compiled_reads.py``
checks that both paths answer the same JSON, keys in the same order. A list paged by an offset
is passed on as the text PostgreSQL wrote (``schema.raw_json``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any, cast

from graphql import (
    ExecutionResult,
    FieldNode,
    GraphQLEnumType,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLScalarType,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_operation_ast,
)
from graphql.execution.values import get_argument_values, get_variable_values
from strawberry.extensions import SchemaExtension
from strawberry.types.arguments import convert_arguments

from resolvers.appraisal import period_lists
from resolvers.errors import UserFacingError
from resolvers.json_shape import (
    MAX_KEYS,
    Column,
    Constant,
    JsonShape,
    LineColumns,
    ListOf,
    Nested,
)
from resolvers.org import people_list
from resolvers.org.people_list import PageArray
from schema.context import GraphQLContext
from schema.ids import require_id
from schema.input_checks import check_arguments
from schema.query_declarations import declaration_criteria
from schema.query_org import people_criteria
from schema.raw_json import RawJSON

# Scalars a column can hold as GraphQL writes them (``resolvers.json_shape``: a decimal or an
# instant as its text); a list of strings is held as a JSON array.
PLAIN_SCALARS = frozenset({"ID", "String", "Boolean", "Int", "Decimal", "DateTime"})


@dataclass(frozen=True)
class Answer:
    """A list's page: the total, whether more follow and the last cursor (keyset lists), and
    the text PostgreSQL wrote of each of its JSON arrays (``nodes``, ``edges``) by response
    key, passed on as they are (``schema.raw_json``)."""

    total: int
    arrays: dict[str, str]
    has_next: bool = False
    end_cursor: str | None = None


@dataclass(frozen=True)
class CompiledList:
    """A list PostgreSQL can answer whole: its rows' columns and its read (the field's
    arguments by Python name, the shape of a row, the parts of the answer)."""

    columns: LineColumns
    read: Callable[[GraphQLContext, dict[str, Any], JsonShape, tuple[Part, ...]],
                   Awaitable[Answer]]


def _array(part: Part) -> PageArray:
    """An array of a keyset page: the rows' objects (``nodes``), or edges of the keys the
    client asked for (``edges``)."""
    if part.field == "nodes":
        return None
    return tuple((p.key, Constant(p.typename) if p.field == "__typename" else Column(p.field))
                 for p in part.below)


async def _people(ctx: GraphQLContext, arguments: dict[str, Any], shape: JsonShape,
                  plan: tuple[Part, ...]) -> Answer:
    parts = [part for part in plan if part.field in ("nodes", "edges")]
    page = await people_list.list_people_json(
        ctx, people_criteria(arguments["filter"]), arguments["first"], arguments["after"],
        shape, tuple(_array(part) for part in parts))
    return Answer(page.total, {part.key: text for part, text in zip(parts, page.arrays,
                                                                    strict=True)},
                  page.has_next, page.end_cursor)


def _nodes(plan: tuple[Part, ...], total: int, nodes: str) -> Answer:
    """A list paged by an offset: its one array is its ``nodes``."""
    return Answer(total, {part.key: nodes for part in plan if part.field == "nodes"})


async def _results(ctx: GraphQLContext, arguments: dict[str, Any], shape: JsonShape,
                   plan: tuple[Part, ...]) -> Answer:
    return _nodes(plan, *await period_lists.list_results_json(
        ctx, require_id(arguments["period_id"]), arguments["first"], arguments["offset"],
        shape))


async def _declarations(ctx: GraphQLContext, arguments: dict[str, Any], shape: JsonShape,
                        plan: tuple[Part, ...]) -> Answer:
    return _nodes(plan, *await period_lists.list_declarations_json(
        ctx, require_id(arguments["period_id"]),
        await declaration_criteria(ctx, arguments["filter"]), arguments["first"],
        arguments["offset"], shape))


COMPILED: dict[str, CompiledList] = {
    "people": CompiledList(people_list.PEOPLE_LINE_COLUMNS, _people),
    "periodResults": CompiledList(period_lists.RESULT_COLUMNS, _results),
    "declarations": CompiledList(period_lists.DECLARATION_COLUMNS, _declarations),
}


class NotCoveredError(Exception):
    """The selection holds something the compiled path does not answer."""


class CompiledReads(SchemaExtension):
    """Answers a covered query before graphql-core executes it (see the module's note)."""

    async def on_execute(self) -> AsyncIterator[None]:
        context = self.execution_context
        if context.result is None and not context.pre_execution_errors:
            data = await _answer(context)
            if data is not None:
                context.result = ExecutionResult(data=data)
        yield


@dataclass(frozen=True)
class _Read:
    key: str
    compiled: CompiledList
    plan: tuple[Part, ...]
    shape: JsonShape
    arguments: dict[str, Any]


async def _answer(context: Any) -> dict[str, Any] | None:
    ctx = context.context
    actor = getattr(ctx, "actor", None)
    if (not isinstance(ctx, GraphQLContext) or actor is None or actor.must_change_password
            or actor.must_enroll_totp or context.graphql_document is None):
        return None
    operation = get_operation_ast(context.graphql_document, context.operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return None
    schema = context.schema
    try:
        nodes = _fields(operation.selection_set)
        if any(node.name.value not in COMPILED for node in nodes):
            return None
        variables = get_variable_values(schema._schema, operation.variable_definitions or (),
                                        context.variables or {})
        if isinstance(variables, list):  # the ordinary path reports them
            return None
        reads = [_compile(schema, node, variables) for node in nodes]
        # Each field reads in turn: one statement (two where the caller's units are looked up).
        return {read.key: _assemble(read.plan, await read.compiled.read(
            ctx, read.arguments, read.shape, read.plan)) for read in reads}
    except (NotCoveredError, GraphQLError, UserFacingError):
        return None


def compiled_lists(schema: Any, operation: OperationDefinitionNode) -> bool:
    """Whether every field of ``operation`` is a list of ``COMPILED`` whose selection is
    covered (its arguments aside): a portal's check that its lists are read whole."""
    try:
        nodes = _fields(operation.selection_set)
        if any(node.name.value not in COMPILED for node in nodes):
            return False
        for node in nodes:
            _plan(schema, node)
    except NotCoveredError:
        return False
    return True


Plan = tuple[tuple["Part", ...], JsonShape]
# Plans by schema and field node, None for a selection not covered. A document is parsed once
# per text (``schema.CachedParsing``), so a query asked for again is not planned again; the
# nodes are kept with their plans, so an id is not reused while it is a key.
_PLANS: dict[tuple[int, int], tuple[Any, FieldNode, Plan | None]] = {}
PLANS_KEPT = 1024


def _plan(schema: Any, node: FieldNode) -> Plan:
    """The answer's parts and the rows' shape of a compiled list's field."""
    kept = _PLANS.get((id(schema), id(node)))
    if kept is None:
        field = schema._schema.query_type.fields[node.name.value]
        try:
            plan: Plan | None = _connection_plan(
                cast(GraphQLObjectType, get_named_type(field.type)), node.selection_set,
                COMPILED[node.name.value].columns)
        except NotCoveredError:
            plan = None
        if len(_PLANS) >= PLANS_KEPT:
            _PLANS.clear()
        kept = _PLANS[id(schema), id(node)] = (schema, node, plan)
    if kept[2] is None:
        raise NotCoveredError
    return kept[2]


def _compile(schema: Any, node: FieldNode, variables: Any) -> _Read:
    plan, shape = _plan(schema, node)
    field = schema._schema.query_type.fields[node.name.value]
    arguments = convert_arguments(
        get_argument_values(field, node, variables),
        field.extensions["strawberry-definition"].arguments,
        scalar_registry=schema.schema_converter.scalar_registry, config=schema.config)
    check_arguments(arguments)
    return _Read(_key(node), COMPILED[node.name.value], plan, shape, arguments)


def _key(node: FieldNode) -> str:
    return node.alias.value if node.alias else node.name.value


def _fields(selection_set: SelectionSetNode | None) -> list[FieldNode]:
    """The fields selected, each key once; a fragment or directive is not covered."""
    if selection_set is None:
        raise NotCoveredError
    fields: list[FieldNode] = []
    keys: set[str] = set()
    for selection in selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.directives:
            raise NotCoveredError
        if _key(selection) in keys:
            raise NotCoveredError
        keys.add(_key(selection))
        fields.append(selection)
    return fields


def _plain_leaf(type_: GraphQLOutputType) -> bool:
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        element = inner.of_type
        element = element.of_type if isinstance(element, GraphQLNonNull) else element
        return isinstance(element, GraphQLScalarType) and element.name == "String"
    if isinstance(inner, GraphQLScalarType):
        return inner.name in PLAIN_SCALARS
    if isinstance(inner, GraphQLEnumType):  # stored as the value's name
        return all(value.value == name for name, value in inner.values.items())
    return False


def _object_shape(type_: GraphQLObjectType, selection_set: SelectionSetNode | None,
                  columns: LineColumns, prefix: str = "") -> JsonShape:
    parts: list[tuple[str, Column | Constant | Nested | ListOf]] = []
    for node in _fields(selection_set):
        name = node.name.value
        if name == "__typename":
            parts.append((_key(node), Constant(type_.name)))
            continue
        field = type_.fields[name]
        definition = field.extensions["strawberry-definition"]
        python = definition.python_name
        if python in columns.lists and node.selection_set is not None:
            source = columns.lists[python]
            inner = cast(GraphQLObjectType, get_named_type(field.type))
            parts.append((_key(node), ListOf(source, _object_shape(
                inner, node.selection_set, source.columns))))
        elif python in columns.nested and node.selection_set is not None:
            inner = cast(GraphQLObjectType, get_named_type(field.type))
            labels = f"{prefix}{python}__"
            parts.append((_key(node), Nested(f"{labels}id", _object_shape(
                inner, node.selection_set, columns.nested[python], labels))))
        elif (python in columns.own and node.selection_set is None
              and definition.base_resolver is None and _plain_leaf(field.type)):
            parts.append((_key(node), Column(prefix + python)))
        else:
            raise NotCoveredError
    if len(parts) > MAX_KEYS:
        raise NotCoveredError
    return tuple(parts)


@dataclass(frozen=True)
class Part:
    """A key of a connection's answer: the field it answers (a type's name for
    ``__typename``) and, for ``pageInfo`` and ``edges``, the keys below it."""

    key: str
    field: str
    typename: str = ""
    below: tuple[Part, ...] = ()


def _connection_plan(connection: GraphQLObjectType, selection_set: SelectionSetNode | None,
                     columns: LineColumns) -> tuple[tuple[Part, ...], JsonShape]:
    """The parts of a connection's answer and the shape of its rows (the ``nodes`` and
    ``edges { node }`` selections must then be the same)."""
    plan: list[Part] = []
    shapes: list[JsonShape] = []
    node_type = cast(GraphQLObjectType, get_named_type(connection.fields["nodes"].type))
    for node in _fields(selection_set):
        name = node.name.value
        below: list[Part] = []
        if name == "nodes":
            shapes.append(_object_shape(node_type, node.selection_set, columns))
        elif name in ("pageInfo", "edges"):
            part = cast(GraphQLObjectType, get_named_type(connection.fields[name].type))
            for inner in _fields(node.selection_set):
                below.append(Part(_key(inner), inner.name.value, part.name))
                if inner.name.value == "node":
                    shapes.append(_object_shape(node_type, inner.selection_set, columns))
        elif name not in ("totalCount", "__typename"):
            raise NotCoveredError
        plan.append(Part(_key(node), name, connection.name, tuple(below)))
    if any(shape != shapes[0] for shape in shapes):
        raise NotCoveredError
    return tuple(plan), shapes[0] if shapes else (("__typename", Constant(node_type.name)),)


def _assemble(plan: tuple[Part, ...], page: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in plan:
        if part.field == "__typename":
            out[part.key] = part.typename
        elif part.field == "totalCount":
            out[part.key] = page.total
        elif part.field == "pageInfo":
            info = {"hasNextPage": page.has_next, "endCursor": page.end_cursor}
            out[part.key] = {p.key: p.typename if p.field == "__typename" else info[p.field]
                             for p in part.below}
        else:  # nodes, edges
            out[part.key] = RawJSON(page.arrays[part.key])
    return out

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
    the rows as (cursor, object) pairs, or as JSON text (lists paged by an offset)."""

    total: int
    items: list[tuple[str, Any]]
    has_next: bool = False
    end_cursor: str | None = None
    # A list paged by an offset: its rows as PostgreSQL wrote them (a JSON array's text).
    nodes_json: str | None = None


@dataclass(frozen=True)
class CompiledList:
    """A list PostgreSQL can answer whole: its rows' columns and its read (the field's
    arguments by Python name, the shape of a row)."""

    columns: LineColumns
    read: Callable[[GraphQLContext, dict[str, Any], JsonShape], Awaitable[Answer]]


async def _people(ctx: GraphQLContext, arguments: dict[str, Any],
                  shape: JsonShape) -> Answer:
    page = await people_list.list_people_json(ctx, people_criteria(arguments["filter"]),
                                              arguments["first"], arguments["after"], shape)
    return Answer(page.total, list(page.items), page.has_next, page.end_cursor)


async def _results(ctx: GraphQLContext, arguments: dict[str, Any],
                   shape: JsonShape) -> Answer:
    total, nodes = await period_lists.list_results_json(
        ctx, require_id(arguments["period_id"]), arguments["first"], arguments["offset"],
        shape)
    return Answer(total, [], nodes_json=nodes)


async def _declarations(ctx: GraphQLContext, arguments: dict[str, Any],
                        shape: JsonShape) -> Answer:
    total, nodes = await period_lists.list_declarations_json(
        ctx, require_id(arguments["period_id"]),
        await declaration_criteria(ctx, arguments["filter"]), arguments["first"],
        arguments["offset"], shape)
    return Answer(total, [], nodes_json=nodes)


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
            ctx, read.arguments, read.shape)) for read in reads}
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


def _plan(schema: Any, node: FieldNode) -> tuple[tuple[Part, ...], JsonShape]:
    """The answer's parts and the rows' shape of a compiled list's field."""
    field = schema._schema.query_type.fields[node.name.value]
    return _connection_plan(cast(GraphQLObjectType, get_named_type(field.type)),
                            node.selection_set, COMPILED[node.name.value].columns)


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
        elif part.field == "nodes":
            out[part.key] = (RawJSON(page.nodes_json) if page.nodes_json is not None
                             else [node for _, node in page.items])
        elif part.field == "pageInfo":
            info = {"hasNextPage": page.has_next, "endCursor": page.end_cursor}
            out[part.key] = {p.key: p.typename if p.field == "__typename" else info[p.field]
                             for p in part.below}
        else:  # edges
            out[part.key] = [{p.key: p.typename if p.field == "__typename"
                              else cursor if p.field == "cursor" else node
                              for p in part.below} for cursor, node in page.items]
    return out

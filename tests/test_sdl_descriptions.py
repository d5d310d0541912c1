"""Every type, field, input field, enum value and argument of the SDL has a description: a
unit's developer reads them in GraphiQL (issue 14, point 5)."""

from __future__ import annotations

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
)
from strawberry.types.enum import StrawberryEnumDefinition

from schema import SDL_PATH, schema_shape
from vocab.labelled import LabelledEnum

# GraphQL's own scalars are described by the specification, not by us.
_SPECIFIED = {"String", "Int", "Float", "Boolean", "ID"}


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Everything the reader would find without a description, as ``Type.field(arg)`` paths."""
    missing: list[str] = []
    for name, type_ in sorted(schema.type_map.items()):
        if name.startswith("__") or name in _SPECIFIED:
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                if not isinstance(type_, GraphQLInputObjectType):
                    missing.extend(f"{name}.{field_name}({arg})"
                                   for arg, value in field.args.items() if not value.description)
        if isinstance(type_, GraphQLEnumType):
            missing.extend(f"{name}.{value_name}"
                           for value_name, value in type_.values.items() if not value.description)
    return missing


def test_every_part_of_the_sdl_is_described() -> None:
    missing = undescribed(build_schema(SDL_PATH.read_text(encoding="utf-8")))
    assert not missing, "without a description:\n" + "\n".join(missing)


def test_the_check_finds_each_kind_of_gap() -> None:
    sdl = '''
    """查询"""
    type Query {
      """有说明"""
      a(x: Int): T
      b: Int
    }
    type T { c(y: Int): Int }
    """输入"""
    input I { d: Int }
    """枚举"""
    enum E { one }
    '''
    assert undescribed(build_schema(sdl)) == [
        "E.one", "I.d", "Query.a(x)", "Query.b", "T", "T.c", "T.c(y)"]


def test_enum_values_are_described_by_their_vocabulary_labels() -> None:
    # labelled_enum is the one place: a label edited in vocab/ shows in the SDL unchanged.
    checked = 0
    for concrete in schema_shape().schema_converter.type_map.values():
        definition = concrete.definition
        if not isinstance(definition, StrawberryEnumDefinition):
            continue
        for value in definition.values:
            member = definition.wrapped_cls[value.name]
            if isinstance(member, LabelledEnum):
                assert value.description == member.label, (definition.name, value.name)
                checked += 1
    assert checked > 50

"""The strawberry schema: the GraphQL shape. Only the app wiring imports this package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import strawberry
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from jixiao.settings import Settings
from schema.extensions import AnonymousGate, ErrorShaping
from schema.mutations.identity import IdentityMutation
from schema.mutations.org import OrgMutation
from schema.mutations.periods import PeriodMutation
from schema.query_org import OrgQuery
from schema.query_periods import PeriodQuery

SDL_PATH = Path(__file__).parent / "schema.graphql"


# Each domain area contributes one query class and one mutation class.
@strawberry.type
class Query(OrgQuery, PeriodQuery):
    pass


@strawberry.type
class Mutation(IdentityMutation, OrgMutation, PeriodMutation):
    pass


def build_schema(settings: Settings) -> strawberry.Schema:
    # Factories, not instances: strawberry builds fresh extensions for every request.
    extensions: list[Callable[[], SchemaExtension] | type[SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        AnonymousGate,
        ErrorShaping,
    ]
    if not settings.introspection:
        extensions.append(lambda: AddValidationRules([NoSchemaIntrospectionCustomRule]))
    return strawberry.Schema(query=Query, mutation=Mutation, extensions=extensions)


def export_sdl() -> str:
    return build_schema(Settings()).as_str() + "\n"

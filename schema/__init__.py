"""The strawberry schema: the GraphQL shape. Only the app wiring imports this package."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import strawberry
from graphql import ASTValidationRule, GraphQLError, MiddlewareManager
from graphql.validation import NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext
from strawberry.utils.logging import StrawberryLogger

from resolvers.errors import UserFacingError
from schema.compiled_reads import CompiledReads
from schema.executor import FieldSavepoints
from schema.extensions import (
    AnonymousGate,
    ErrorShaping,
    PasswordChangeGate,
    ResolverMiddleware,
    SettledFields,
)
from schema.graphql_errors import is_graphql_layer
from schema.input_checks import InputChecks
from schema.limits import QueryLimits
from schema.mutations.annual_inputs import AnnualInputMutation
from schema.mutations.bonus import BonusMutation
from schema.mutations.declarations import DeclarationMutation
from schema.mutations.department_results import DepartmentResultMutation
from schema.mutations.feedback import FeedbackMutation
from schema.mutations.identity import IdentityMutation
from schema.mutations.notifications import NotificationMutation
from schema.mutations.objections import ObjectionMutation
from schema.mutations.org import OrgMutation
from schema.mutations.oversight import OversightMutation
from schema.mutations.periods import PeriodMutation
from schema.mutations.plans import PlanMutation
from schema.mutations.points import PointsMutation
from schema.mutations.push_rules import PushRuleMutation
from schema.mutations.ratings import RatingMutation
from schema.mutations.signoff import SignoffMutation
from schema.mutations.supervision import SupervisionMutation
from schema.mutations.tasks import TaskMutation
from schema.query_annual_inputs import AnnualInputQuery
from schema.query_dashboard import DashboardQuery
from schema.query_declarations import DeclarationQuery
from schema.query_department_results import DepartmentResultQuery
from schema.query_feedback import FeedbackQuery
from schema.query_jobs import JobQuery
from schema.query_notifications import NotificationQuery
from schema.query_objections import ObjectionQuery
from schema.query_org import OrgQuery
from schema.query_oversight import OversightQuery
from schema.query_periods import PeriodQuery
from schema.query_plans import PlanQuery
from schema.query_points import PointsQuery
from schema.query_push_rules import PushRuleQuery
from schema.query_ratings import RatingQuery
from schema.query_signoff import SignoffQuery
from schema.query_supervision import SupervisionQuery
from schema.scalars import SCALARS

SDL_PATH = Path(__file__).parent / "schema.graphql"
PARSED_DOCUMENTS = 512


# Each domain area contributes one query class and one mutation class.
@strawberry.type(description="查询（调用者只能看到其角色可见的数据）")
class Query(OrgQuery, PeriodQuery, DeclarationQuery, SupervisionQuery, JobQuery,
            PlanQuery, PointsQuery, FeedbackQuery, RatingQuery, OversightQuery,
            DepartmentResultQuery, DashboardQuery, PushRuleQuery,
            AnnualInputQuery, SignoffQuery,
            NotificationQuery, ObjectionQuery):
    pass


@strawberry.type(
    description="修改（每个修改都在自己的保存点中执行；调用方可处理的错误见 userErrors）")
class Mutation(IdentityMutation, OrgMutation, PeriodMutation, DeclarationMutation,
               SupervisionMutation, BonusMutation, PlanMutation, TaskMutation, PointsMutation,
               FeedbackMutation, RatingMutation, OversightMutation, DepartmentResultMutation,
               PushRuleMutation, AnnualInputMutation,
               SignoffMutation, NotificationMutation,
               ObjectionMutation):
    pass


Extension = Callable[[], SchemaExtension] | type[SchemaExtension]
Extensions = list[Extension]
client_errors = logging.getLogger("jixiao.graphql")


def client_mistake(error: GraphQLError) -> bool:
    """The caller's to fix (syntax, validation, variables, a refused field), not a fault."""
    return is_graphql_layer(error) or isinstance(error.original_error, UserFacingError)


class CachedParsing(ParserCache):
    """strawberry's parse cache for documents that parse; a syntax error is left to strawberry's
    own parse, which reports it like any request error (the cache's would escape unshaped)."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        try:
            context.graphql_document = self.cached_parse_document(context.query,
                                                                  **context.parse_options)
        except GraphQLError:
            context.graphql_document = None
        yield


ValidationKey = tuple[str, tuple[type[ASTValidationRule], ...]]


class CachedValidation(SchemaExtension):
    """Each document validated once: the errors (none, for the portal's documents) kept by the
    document's text and the rules, in a bounded cache shared by the schema's requests.

    strawberry's ``ValidationCache`` keys by the parsed document, which hashes its whole tree
    on every request, and by the rules, which its limiters (``QueryDepthLimiter``,
    ``MaxAliasesLimiter``) build as new classes for every request: it never hit. The rules here
    are built once per schema (``build_schema``), and the text's hash is computed once by
    Python. The cached errors are never changed afterwards (``in_chinese`` makes new ones)."""

    def __init__(self, cache: OrderedDict[ValidationKey, list[GraphQLError]],
                 maxsize: int) -> None:
        self.cache = cache
        self.maxsize = maxsize

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.graphql_document is not None and context.query is not None:
            key = (context.query, context.validation_rules)
            errors = self.cache.get(key)
            if errors is None:
                errors = validate_document(context.schema._schema, context.graphql_document,
                                           context.validation_rules)
                self.cache[key] = errors
                if len(self.cache) > self.maxsize:
                    self.cache.popitem(last=False)
            else:
                self.cache.move_to_end(key)
            context.pre_execution_errors = errors
        yield


class ServedSchema(strawberry.Schema):
    def _get_middleware_manager(self, extensions: list[SchemaExtension]) -> MiddlewareManager:
        """The extensions' ``resolve`` hooks, around fields with a resolver only."""
        return ResolverMiddleware(*(e for e in extensions if e._implements_resolve()))

    def process_errors(self, errors: list[GraphQLError],
                       execution_context: ExecutionContext | None = None) -> None:
        """A client's mistake is one INFO line without a traceback; a fault keeps it."""
        for error in errors:
            if client_mistake(error):
                client_errors.info("client error: %s", error.message,
                                   extra={"code": (error.extensions or {}).get("code"),
                                          "path": error.path})
            else:
                StrawberryLogger.error(error, execution_context)


def _schema(extensions: Extensions) -> strawberry.Schema:
    return ServedSchema(query=Query, mutation=Mutation, extensions=extensions,
                             config=StrawberryConfig(scalar_map=SCALARS),
                             execution_context_class=FieldSavepoints)


def build_schema(limits: QueryLimits, observers: Sequence[Extension] = (),
                 compiled_reads: bool = True) -> strawberry.Schema:
    """The schema the app serves: with the query limits, the anonymous gate, error shaping
    (and the wiring's ``observers``: what it logs and counts of each operation); with
    ``compiled_reads`` the covered lists are built as JSON by PostgreSQL
    (``schema.compiled_reads``)."""
    # The limits' validation rules, made once: the validation cache is keyed by them.
    rules = [*QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
             *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules]
    if not limits.introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    validated: OrderedDict[ValidationKey, list[GraphQLError]] = OrderedDict()
    # Factories, not instances: strawberry builds fresh extensions for every request.
    extensions: Extensions = [
        lambda: AddValidationRules(rules),
        lambda: MaxTokensLimiter(max_token_count=limits.max_tokens),
        AnonymousGate,
        PasswordChangeGate,
        InputChecks,
        SettledFields,
        ErrorShaping,
        *observers,
        *([CompiledReads] if compiled_reads else []),
        # A portal sends the same few documents over and over: parse and validate each once
        # (bounded caches, keyed by the text, the parse options and the rules). Last, so a
        # syntax error raised while parsing is shaped like any other.
        lambda: CachedParsing(maxsize=PARSED_DOCUMENTS),
        lambda: CachedValidation(validated, PARSED_DOCUMENTS),
    ]
    return _schema(extensions)


def schema_shape() -> strawberry.Schema:
    """The types alone, never served: for the SDL and for tests that walk the fields."""
    return _schema([])


def export_sdl() -> str:
    return schema_shape().as_str() + "\n"

"""Top-level fields run one after another, each in its own savepoint.

All fields of a request share one session and one transaction. A statement PostgreSQL refuses
(a check violation, a bad cast) aborts that transaction, and every later statement of a
sibling field would then fail too ("current transaction is aborted"), turning one field's
error into errors everywhere and a failed commit. So when an operation has more than one
top-level field, each runs alone (savepoints nest like a stack, so they cannot interleave) in a
savepoint that is rolled back when the field failed unexpectedly: its siblings still answer.
A single field needs no savepoint (nothing beside it to protect), which keeps the statement
count of ordinary requests as it was.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLObjectType
from graphql.execution.collect_fields import GroupedFieldSet
from graphql.pyutils import AwaitableOrValue, Path, Undefined
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from resolvers.errors import UserFacingError
from schema.context import GraphQLContext


def _unexpected(error: GraphQLError) -> bool:
    return error.original_error is not None and not isinstance(error.original_error,
                                                               UserFacingError)


class FieldSavepoints(StrawberryGraphQLCoreExecutionContext):
    def execute_root_grouped_field_set(self, root_type: GraphQLObjectType, root_value: Any,
                                       grouped_field_set: GroupedFieldSet, serially: bool,
                                       position_context: Any) -> AwaitableOrValue[dict[str, Any]]:
        if len(grouped_field_set) < 2 or not isinstance(self.context_value, GraphQLContext):
            return super().execute_root_grouped_field_set(
                root_type, root_value, grouped_field_set, serially, position_context)
        return self._each_in_savepoint(root_type, root_value, grouped_field_set,
                                       position_context)

    async def _each_in_savepoint(self, root_type: GraphQLObjectType, root_value: Any,
                                 grouped_field_set: GroupedFieldSet,
                                 position_context: Any) -> dict[str, Any]:
        ctx: GraphQLContext = self.context_value
        results: dict[str, Any] = {}
        for name, details in grouped_field_set.items():
            seen = len(self.collected_errors.errors)
            savepoint = await ctx.session.begin_nested()
            try:
                result = self.execute_field(root_type, root_value, details,
                                            Path(None, name, root_type.name), position_context)
                if self.is_awaitable(result):
                    result = await result
            except BaseException:
                # A non-null field's error ends the operation: undo this field, then re-raise.
                await ctx.settle()
                await savepoint.rollback()
                raise
            # Shielded resolver tasks (SettledFields) must end inside their savepoint.
            await ctx.settle()
            if any(_unexpected(e) for e in self.collected_errors.errors[seen:]):
                await savepoint.rollback()
            else:
                await savepoint.commit()
            if result is not Undefined:
                results[name] = result
        return results

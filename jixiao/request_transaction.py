"""One transaction per request, the same for /graphql and the file downloads.

Opens the session, begins, authenticates the caller (which sets the tenant) and builds the
context; on leaving it commits, or rolls back on an exception or when the endpoint asks (an
unexpected error was masked), and only after the commit runs the jobs the request queued.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from authz import Actor
from jixiao.auth import Rejected, authenticate, client_address
from jixiao.settings import Settings
from resolvers.context import Context, utcnow

C = TypeVar("C", bound=Context)


@dataclass
class RequestTransaction(Generic[C]):
    # None when a token was sent but is invalid, expired or revoked: answer 401.
    context: C | None
    # Set by the endpoint to roll back although nothing was raised.
    rollback: bool = False


@contextlib.asynccontextmanager
async def request_transaction(request: HTTPConnection, settings: Settings,
                              make_context: Callable[[AsyncSession, Actor | None], C]
                              ) -> AsyncIterator[RequestTransaction[C]]:
    async with request.app.state.sessionmaker() as session:
        transaction = await session.begin()
        try:
            # The app's clock (tests drive time through it): sessions and use cases read it.
            clock: Callable[[], datetime] = getattr(request.app.state, "clock", utcnow)
            who = await authenticate(session, settings, request.headers.get("authorization"),
                                     clock(), getattr(request.app.state, "grants", None))
            tx = RequestTransaction(None if isinstance(who, Rejected) else make_context(
                session, who if isinstance(who, Actor) else None))
            if tx.context is not None:
                tx.context.client_address = client_address(request, settings.trusted_networks())
                tx.context.now = clock
            yield tx
            if tx.context is None or tx.rollback:
                await transaction.rollback()
            else:
                await transaction.commit()
        except BaseException:
            if transaction.is_active:
                await transaction.rollback()
            raise
    if tx.context is not None and not tx.rollback:  # rolled back: nothing to enqueue
        for job in tx.context.after_commit:
            job()

"""The ASGI application: health endpoints and /graphql, one transaction per request."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import redis.asyncio
from cross_web import HTTPException
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.applications import Starlette
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from authz import Actor
from authz.grants_cache import GrantsCache
from jixiao.body_limit import BodyLimit
from jixiao.cors import CORS_TENANT, TenantCors
from jixiao.downloads import report_download
from jixiao.graphql_response import request_error_status, retyped, wants_graphql_response
from jixiao.observability import Observed, RequestLog, metrics, watch_pool
from jixiao.observability import current as observation
from jixiao.one_time_downloads import one_time_download
from jixiao.portal import portal_app
from jixiao.preflight import MESSAGE as CSRF_MESSAGE
from jixiao.preflight import preflight_forced
from jixiao.request_transaction import request_transaction
from jixiao.responses import error_json, plain_error_as_json
from jixiao.settings import Settings
from jixiao.shared_downloads import shared_report_download
from models import Tenant
from resolvers.spreadsheet import stop_parsers
from schema import Extension, build_schema, raw_json
from schema.context import GraphQLContext
from schema.limits import QueryLimits
from tenants.db import make_engine, make_sessionmaker
from tenants.replica import ReadReplica

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

log = logging.getLogger("jixiao")


class StrawberryApp(GraphQL[GraphQLContext, None]):
    def encode_json(self, data: object) -> str:
        return raw_json.dumps(data)

    async def get_context(self, request: Any, response: Any) -> GraphQLContext:
        state = request.scope["state"]
        state["graphql_request"] = request  # its uploaded files are closed after the request
        context: GraphQLContext = state["graphql_context"]
        return context

    async def parse_multipart(self, request: Any) -> dict[str, str]:
        # strawberry lets a part over Starlette's size limit or a malformed ``map`` escape as a
        # 500; both are the caller's to fix.
        try:
            return await super().parse_multipart(request)
        except (MultiPartException, StarletteHTTPException) as exc:
            raise HTTPException(400, "Multipart part too large") from exc
        except (AttributeError, TypeError, ValueError) as exc:
            raise HTTPException(400, "Unable to parse the multipart body") from exc

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        response = await super().process_result(request, result)
        if wants_graphql_response(request.headers.get("accept")):
            status = request_error_status(response)
            if status is not None:  # a request error carries no data entry
                response.pop("data", None)
            request.scope["state"]["graphql_response_status"] = status or 200
        return response


class GraphQLEndpoint:
    """Authenticates, opens the request's transaction, runs GraphQL, commits, then answers.

    The response is held back until the commit succeeded, so a client never reads a result
    that was rolled back; jobs queued by the request are enqueued only after that commit.
    """

    def __init__(self, settings: Settings, replica: ReadReplica | None = None,
                 tracing: Sequence[Extension] = ()) -> None:
        self.settings = settings
        self.replica = replica
        self.use_cases = settings.use_cases()
        limits = QueryLimits(max_depth=settings.max_query_depth, max_aliases=settings.max_aliases,
                             max_tokens=settings.max_tokens, introspection=settings.introspection)
        self.graphql = StrawberryApp(build_schema(limits, observers=[Observed, *tracing],
                                                  compiled_reads=settings.compiled_reads),
                                     graphql_ide=None,  # GraphiQL: local files, jixiao/portal.py
                                     allow_queries_via_get=False,
                                     multipart_uploads_enabled=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await error_json(400, "不支持的请求", "BAD_REQUEST")(scope, receive, send)
            return
        # Until the tenant is known the answer holds no tenant's data (see jixiao.cors).
        scope.setdefault("state", {})[CORS_TENANT] = None
        request = Request(scope, receive)
        if request.method == "POST" and not preflight_forced(request.headers):
            _outcome("refused")
            await error_json(400, CSRF_MESSAGE, "CSRF_PREVENTED")(scope, receive, send)
            return
        if (request.method == "GET" and not self.settings.production
                and "text/html" in request.headers.get("accept", "")):
            # A browser opening /graphql gets the offline GraphiQL (jixiao/portal.py).
            await RedirectResponse("/graphiql", status_code=302)(scope, receive, send)
            return
        held: list[Message] = []

        async def hold(message: Message) -> None:
            held.append(message)

        try:
            async with request_transaction(request, self.settings, self._context) as tx:
                if tx.context is not None:
                    scope.setdefault("state", {})["graphql_context"] = tx.context
                    if tx.context.actor is not None:
                        await _name_tenant(tx.context.session, tx.context.actor.tenant_id)
                    try:
                        await self.graphql(scope, receive, hold)
                    finally:
                        await tx.context.settle()
                        await _close_uploads(scope)
                    tx.rollback = tx.context.failed  # a masked error: roll the request back
            # CORS answers by the caller's tenant, or the tenant a login named.
            if tx.context is not None:
                scope["state"][CORS_TENANT] = (tx.context.actor.tenant_id if tx.context.actor
                                               else tx.context.named_tenant_id)
        except Exception:  # the transaction could not end cleanly: still answer JSON
            log.exception("request transaction failed")
            await error_json(500, "服务器内部错误，请稍后再试", "INTERNAL_SERVER_ERROR")(
                scope, receive, send)
            return
        if tx.context is None:
            _outcome("unauthenticated")
            await error_json(401, "登录已过期或令牌无效，请重新登录", "UNAUTHENTICATED")(
                scope, receive, send)
            return
        if _plain_text_error(held):
            body = b"".join(m.get("body", b"") for m in held[1:]).decode(errors="replace")
            await plain_error_as_json(held[0]["status"], body)(scope, receive, send)
            return
        status = scope.get("state", {}).pop("graphql_response_status", None)
        for message in held:
            if status is not None and message["type"] == "http.response.start":
                message = retyped(message, status)
            await send(message)

    def _context(self, session: AsyncSession, actor: Actor | None) -> GraphQLContext:
        return GraphQLContext(session=session, settings=self.use_cases, actor=actor,
                              replica=self.replica)


# Tenant codes by id, for the log (a code never changes once provisioned).
_tenant_codes: dict[uuid.UUID, str] = {}


async def _name_tenant(session: AsyncSession, tenant_id: uuid.UUID) -> None:
    seen = observation()
    if seen is None:
        return
    if tenant_id not in _tenant_codes:
        code = await session.scalar(select(Tenant.code).where(Tenant.id == tenant_id))
        if code is None:
            return
        _tenant_codes[tenant_id] = code
    seen.tenant = _tenant_codes[tenant_id]


def _outcome(outcome: str) -> None:
    seen = observation()
    if seen is not None:
        seen.outcome = outcome


def _plain_text_error(held: list[Message]) -> bool:
    """strawberry refused the HTTP request itself (bad JSON, content type) in plain text."""
    if not held or held[0]["type"] != "http.response.start" or held[0]["status"] < 400:
        return False
    headers = dict(held[0].get("headers", []))
    content_type: bytes = headers.get(b"content-type", b"")
    return content_type.startswith(b"text/plain")


async def _close_uploads(scope: Scope) -> None:
    """Closes the spooled files of a multipart request (strawberry leaves them open)."""
    request = scope.get("state", {}).pop("graphql_request", None)
    if isinstance(request, Request):
        await request.close()


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def _postgres_up(request: Request) -> bool:
    try:
        async with request.app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception:  # any failure means "not ready"
        log.exception("readiness check: PostgreSQL failed")
        return False
    return True


async def _redis_up(request: Request) -> bool:
    try:
        await request.app.state.redis.ping()
    except Exception:  # without Redis no job can be queued
        log.exception("readiness check: Redis failed")
        return False
    return True


async def ready(request: Request) -> Response:
    """200 when PostgreSQL and Redis both answer; else 503 naming what is down, in Chinese."""
    down = [name for name, up in (("数据库（PostgreSQL）", await _postgres_up(request)),
                                  ("任务队列（Redis）", await _redis_up(request))) if not up]
    if down:
        return JSONResponse({"status": "unavailable", "message": f"服务暂不可用：{'、'.join(down)}"
                             "无法连接", "unavailable": down}, status_code=503)
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings | None = None,
               clock: Callable[[], datetime] | None = None) -> Starlette:
    """``clock``: the time requests see (sessions, throttles, use cases); tests inject one."""
    settings = settings or Settings.from_env()
    # Heavy reads (the city comparison) go to the read replica when one is configured.
    replica = (ReadReplica.connect(settings.read_database_url, settings.read_max_wait_seconds)
               if settings.read_database_url else None)
    # Traces only when an endpoint is configured: otherwise no tracing code runs at all.
    provider: TracerProvider | None = None
    traced: list[Middleware] = []
    tracing: list[Extension] = []
    if settings.otel_endpoint:
        from jixiao.tracing import API_SERVICE, Traced, make_provider, operation_spans

        provider = make_provider(settings.otel_endpoint, API_SERVICE)
        traced = [Middleware(Traced, provider=provider)]
        tracing = [operation_spans(provider)]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        app.state.engine = engine
        watch_pool(engine)
        app.state.sessionmaker = make_sessionmaker(engine)
        # The callers' roles, relations and org tree, per grants version (authz.grants_cache).
        app.state.grants = GrantsCache()
        if clock is not None:
            app.state.clock = clock
        app.state.redis = redis.asyncio.Redis.from_url(
            settings.redis_url, socket_connect_timeout=2, socket_timeout=2)
        try:
            yield
        finally:
            await app.state.redis.aclose()
            await engine.dispose()
            if replica is not None:
                await replica.dispose()
            stop_parsers()
            if provider is not None:  # flushes the spans still in the batch
                await asyncio.to_thread(provider.shutdown)

    return Starlette(
        routes=[
            Route("/healthz", health),
            Route("/readyz", ready),
            Route("/metrics", metrics),
            Route("/graphql", GraphQLEndpoint(settings, replica, tracing), methods=["GET", "POST"]),
            Route("/reports/{job_id}", report_download(settings), methods=["GET"]),
            Route("/shared-reports/{tenant_id}/{share_id}", shared_report_download(settings),
                  methods=["GET"]),
            Route("/one-time-files/{file_id}/{key}", one_time_download(settings),
                  methods=["GET"]),
            # Last: everything else is the portal (history fallback to its index.html).
            Route("/{path:path}", portal_app(Path(settings.portal_dir),
                                             graphiql=not settings.production)),
        ],
        # The request id and access line outermost; then CORS, so even a refused body gets
        # the headers its caller may read. The request's span (if traced) inside the request id.
        middleware=[Middleware(RequestLog), *traced, Middleware(TenantCors),
                    Middleware(BodyLimit, max_bytes=settings.max_body_bytes)],
        lifespan=lifespan,
    )

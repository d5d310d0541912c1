"""What an operator sees: request ids, one JSON log line per request, Prometheus metrics.

- ``RequestLog`` middleware (outermost): takes the caller's ``X-Request-ID`` (when it is a sane
  token) or makes one, returns it in the response, and at the end of every request writes one
  JSON line (``jixiao.access``) with the request id, method, path, status, duration, the GraphQL
  operation name and outcome and the tenant's code; it also counts the request in
  ``jixiao_graphql_requests_total`` / ``jixiao_graphql_request_duration_seconds``.
- The GraphQL endpoint and the ``Observed`` schema extension fill the request's ``Observation``
  (tenant, operation, outcome); every log record written during the request carries its ids.
- ``/metrics``: the process's Prometheus registry, with the database pool's connections. Jobs
  are counted by Dramatiq's own Prometheus middleware in the worker (``jixiao.worker``).

Client mistakes (a syntax error, a refused field) are logged as one INFO line without a
traceback; only the server's own faults carry one (``schema.ServedSchema.process_errors``).
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
import weakref
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import QueuePool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

REQUEST_ID_HEADER = "x-request-id"
# A caller's id is kept only when it is a plain token (no log injection, bounded size).
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,127}")
SANE_OPERATION = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
# Operation names come from clients: past this many distinct names, the rest count as "other".
MAX_OPERATIONS = 500

access_log = logging.getLogger("jixiao.access")


@dataclass
class Observation:
    """What is known about the request in flight; filled as the request proceeds."""

    request_id: str
    tenant: str = "-"
    operation: str = "-"
    outcome: str = ""


CURRENT: ContextVar[Observation | None] = ContextVar("jixiao_request", default=None)


def current() -> Observation | None:
    return CURRENT.get()


REGISTRY = CollectorRegistry(auto_describe=True)
GRAPHQL_REQUESTS = Counter(
    "jixiao_graphql_requests", "GraphQL requests by operation name and outcome "
    "(ok, error: a field failed, request_error: refused before execution, unauthenticated)",
    ["operation", "outcome"], registry=REGISTRY)
GRAPHQL_SECONDS = Histogram(
    "jixiao_graphql_request_duration_seconds", "Time to answer a GraphQL request, by operation",
    ["operation"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
HTTP_REQUESTS = Counter("jixiao_http_requests", "HTTP requests by route kind and status class",
                        ["route", "status"], registry=REGISTRY)
_operations: set[str] = set()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if not SANE_OPERATION.fullmatch(name):
        return "invalid"
    if name not in _operations:
        if len(_operations) >= MAX_OPERATIONS:
            return "other"
        _operations.add(name)
    return name


class PoolCollector(Collector):
    """Connections of each live engine's pool: in use, idle, and the pool's size."""

    def __init__(self) -> None:
        self.engines: weakref.WeakSet[AsyncEngine] = weakref.WeakSet()

    def collect(self) -> Iterable[Metric]:
        in_use = GaugeMetricFamily("jixiao_db_pool_connections_in_use",
                                   "Database connections checked out of the pool")
        idle = GaugeMetricFamily("jixiao_db_pool_connections_idle",
                                 "Database connections idle in the pool")
        size = GaugeMetricFamily("jixiao_db_pool_size", "Configured size of the pool")
        used = free = configured = 0
        for engine in list(self.engines):
            pool = engine.sync_engine.pool
            if isinstance(pool, QueuePool):
                used += pool.checkedout()
                free += pool.checkedin()
                configured += pool.size()
        in_use.add_metric([], used)
        idle.add_metric([], free)
        size.add_metric([], configured)
        return [in_use, idle, size]


POOLS = PoolCollector()
REGISTRY.register(POOLS)


def watch_pool(engine: AsyncEngine) -> None:
    POOLS.engines.add(engine)


async def metrics(request: Request) -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)


def route_kind(path: str) -> str:
    if path == "/graphql":
        return "graphql"
    if path in ("/healthz", "/readyz", "/metrics"):
        return path.strip("/")
    if path.startswith(("/reports/", "/shared-reports/", "/one-time-files/")):
        return "download"
    return "portal"


class RequestLog:
    """Outermost ASGI middleware: the request id, the access line, the request metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers", [])).get(REQUEST_ID_HEADER.encode(), b"").decode(
            "latin-1").strip()
        seen = Observation(given if SANE_ID.fullmatch(given) else uuid.uuid4().hex)
        token = CURRENT.set(seen)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != REQUEST_ID_HEADER.encode()]
                headers.append((REQUEST_ID_HEADER.encode(), seen.request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = route_kind(scope.get("path", ""))
            HTTP_REQUESTS.labels(route, f"{status // 100}xx").inc()
            if route == "graphql":
                outcome = seen.outcome or ("ok" if status < 400 else
                                           "unauthenticated" if status == 401 else "refused")
                seen.outcome = outcome
                GRAPHQL_REQUESTS.labels(seen.operation, outcome).inc()
                GRAPHQL_SECONDS.labels(seen.operation).observe(elapsed)
            if route not in ("healthz", "readyz", "metrics"):  # probes would drown the log
                access_log.info("%s %s %s", scope.get("method"), scope.get("path"), status,
                                extra={"method": scope.get("method"), "path": scope.get("path"),
                                       "status": status, "duration_ms": round(elapsed * 1000, 1),
                                       "outcome": seen.outcome or None})
            CURRENT.reset(token)


class RequestFields(logging.Filter):
    """Every record written while a request is in flight names it."""

    def filter(self, record: logging.LogRecord) -> bool:
        seen = CURRENT.get()
        record.request_id = seen.request_id if seen else None
        record.tenant = seen.tenant if seen and seen.tenant != "-" else None
        record.operation = seen.operation if seen and seen.operation != "-" else None
        return True


def json_formatter() -> logging.Formatter:
    return JsonFormatter("{asctime}{levelname}{name}{message}", style="{",
                         rename_fields={"asctime": "time", "levelname": "level",
                                        "name": "logger"},
                         json_ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the app's loggers, uvicorn's and strawberry's (idempotent)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestFields())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "jixiao", False)]:
        root.removeHandler(old)
    handler.jixiao = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
    # uvicorn's own access line is plain text and lacks the request id: jixiao.access replaces it
    logging.getLogger("uvicorn.access").disabled = True



class Observed(SchemaExtension):
    """Names the request's operation and its outcome for the access line and the metrics."""

    def on_operation(self) -> Iterator[None]:
        yield
        seen = CURRENT.get()
        if seen is None:
            return
        context = self.execution_context
        seen.operation = operation_label(context.operation_name)
        errors = context.pre_execution_errors or (context.result.errors if context.result
                                                  else None)
        if not errors:
            seen.outcome = "ok"
        elif context.pre_execution_errors or context.result is None or (
                context.result.data is None):
            codes = {(e.extensions or {}).get("code") for e in errors}
            seen.outcome = "unauthenticated" if "UNAUTHENTICATED" in codes else "request_error"
        else:
            seen.outcome = "error"

"""Optional OpenTelemetry tracing, on only when ``JIXIAO_OTEL_ENDPOINT`` is set.

The variable names an OTLP/HTTP traces endpoint (e.g. ``http://collector:4318/v1/traces``).
Only it turns tracing on: the standard ``OTEL_EXPORTER_OTLP_ENDPOINT`` does not, so a
cluster-wide default cannot start exporting by surprise; the exporter's other standard
variables (``OTEL_EXPORTER_OTLP_HEADERS``, ``..._TIMEOUT``, ``..._COMPRESSION``, the sampler's
``OTEL_TRACES_SAMPLER``/``..._ARG``) apply as usual.

Unset, nothing is installed: no tracer provider, no middleware, no schema extension, no job
middleware (this module is not imported). Set, each process has its own provider (never the
global one; service ``jixiao-api`` or ``jixiao-worker``, ``service.version`` from the package)
exporting through a ``BatchSpanProcessor`` that is flushed and shut down when the process stops:

- ``Traced`` (ASGI middleware, inside ``RequestLog``): one server span per HTTP request, child
  of the caller's W3C ``traceparent`` if any, with the request id, the tenant's code, the
  GraphQL operation name and outcome and the status.
- ``OperationSpans``: strawberry's own extension for the operation, parsing and validation
  spans, without its span per resolved field (a list of 300 people would make thousands).
- ``JobSpans`` (Dramatiq middleware): one consumer span per job, named by its actor.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import threading
from collections.abc import Callable, Generator
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

import dramatiq
from dramatiq.broker import MessageProxy
from dramatiq.middleware import Middleware
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import LifecycleStep, SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension

from jixiao.observability import current, route_kind

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

API_SERVICE = "jixiao-api"
WORKER_SERVICE = "jixiao-worker"
INSTRUMENTATION = "jixiao"
# Span attributes of our own (OpenTelemetry's semantic names where there is one).
REQUEST_ID = "jixiao.request_id"
TENANT = "jixiao.tenant"
OUTCOME = "jixiao.graphql.outcome"
OPERATION = "graphql.operation.name"

log = logging.getLogger("jixiao.tracing")


def _package_version() -> str:
    try:
        return version("jixiao")
    except PackageNotFoundError:  # pragma: no cover - a checkout that is not installed
        return "0"


def make_provider(endpoint: str, service: str) -> TracerProvider:
    """A provider exporting in batches to the OTLP/HTTP ``endpoint`` as ``service``."""
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create(
        {SERVICE_NAME: service, SERVICE_VERSION: _package_version()}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    log.info("traces are exported to %s as %s", endpoint, service)
    return provider


class Traced:
    """A server span per HTTP request; the request's facts are set on it when it ends."""

    def __init__(self, app: ASGIApp, provider: trace.TracerProvider) -> None:
        self.app = app
        self.tracer = provider.get_tracer(INSTRUMENTATION, _package_version())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = {k.decode("latin-1"): v.decode("latin-1")
                   for k, v in scope.get("headers", [])}
        method = scope.get("method", "GET")
        path = scope.get("path", "")
        status = 500
        # Named by the kind of route, not the path: paths carry ids (low cardinality).
        with self.tracer.start_as_current_span(
                f"{method} {route_kind(path)}", context=propagate.extract(carrier),
                kind=SpanKind.SERVER, record_exception=True,
                attributes={"http.request.method": method, "url.path": path}) as span:

            async def send_status(message: Message) -> None:
                nonlocal status
                if message["type"] == "http.response.start":
                    status = message["status"]
                await send(message)

            try:
                await self.app(scope, receive, send_status)
            finally:
                span.set_attribute("http.response.status_code", status)
                if status >= 500:
                    span.set_status(Status(StatusCode.ERROR))
                seen = current()
                if seen is not None:
                    span.set_attribute(REQUEST_ID, seen.request_id)
                    if seen.tenant != "-":
                        span.set_attribute(TENANT, seen.tenant)
                    if seen.operation != "-":
                        span.set_attribute(OPERATION, seen.operation)
                        span.update_name(f"{method} graphql {seen.operation}")
                    if seen.outcome:
                        span.set_attribute(OUTCOME, seen.outcome)


class OperationSpans(OpenTelemetryExtension):
    """Strawberry's spans of the operation, its parsing and validation; none per field. The
    document's text is replaced by its digest: a client may write secrets into it inline."""

    resolve = SchemaExtension.resolve  # type: ignore[assignment]

    def on_operation(self) -> Generator[None, None, None]:
        steps = super().on_operation()
        next(steps)
        query = self.execution_context.query
        if query:
            self._span_holder[LifecycleStep.OPERATION].set_attribute(
                "query", "sha256:" + hashlib.sha256(query.encode()).hexdigest())
        yield
        with contextlib.suppress(StopIteration):
            next(steps)


def operation_spans(provider: trace.TracerProvider) -> Callable[[], SchemaExtension]:
    """The schema extension's factory (strawberry builds one per request)."""
    return functools.partial(OperationSpans, tracer_provider=provider)


class JobSpans(Middleware):
    """A consumer span per job (its actor's name, message id, retries and outcome); the
    provider is flushed and shut down when the worker stops."""

    def __init__(self, provider: TracerProvider) -> None:
        self.provider = provider
        self.tracer = provider.get_tracer(INSTRUMENTATION, _package_version())
        self.spans: dict[str, trace.Span] = {}
        self.lock = threading.Lock()

    def before_process_message(self, broker: dramatiq.Broker, message: MessageProxy,
                               ) -> None:
        span = self.tracer.start_span(
            f"job {message.actor_name}", kind=SpanKind.CONSUMER,
            attributes={"messaging.system": "dramatiq", "messaging.message.id": message.message_id,
                        "messaging.destination.name": message.queue_name,
                        "jixiao.job.retries": message.options.get("retries", 0)})
        with self.lock:
            self.spans[message.message_id] = span

    def _end(self, message: MessageProxy, exception: BaseException | None,
             outcome: str) -> None:
        with self.lock:
            span = self.spans.pop(message.message_id, None)
        if span is None:
            return
        span.set_attribute("jixiao.job.outcome", outcome)
        if exception is not None:
            span.record_exception(exception)
            span.set_status(Status(StatusCode.ERROR, type(exception).__name__))
        span.end()

    def after_process_message(self, broker: dramatiq.Broker, message: MessageProxy, *,
                              result: Any = None, exception: BaseException | None = None,
                              ) -> None:
        self._end(message, exception, "failed" if exception is not None else "done")

    def after_skip_message(self, broker: dramatiq.Broker, message: MessageProxy,
                           ) -> None:
        self._end(message, None, "skipped")

    def after_worker_shutdown(self, broker: dramatiq.Broker, worker: dramatiq.Worker) -> None:
        self.provider.shutdown()

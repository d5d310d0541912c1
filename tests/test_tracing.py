"""Optional OpenTelemetry tracing (issue 18, point 3): with ``JIXIAO_OTEL_ENDPOINT`` the API
exports a span per request (request id, tenant, operation) to a real OTLP/HTTP receiver; without
it nothing is installed; the worker's jobs get a span each."""

from __future__ import annotations

import gzip
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import ProxyTracerProvider, StatusCode
from starlette.testclient import TestClient

from jixiao.app import create_app
from jixiao.settings import Settings, SettingsError
from tests.conftest import Api

WHO = "query Who { me { account { username } } }"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


class Receiver(ThreadingHTTPServer):
    """An OTLP/HTTP traces receiver on a free loopback port: keeps the requests it is sent."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.bodies: list[tuple[str, bytes]] = []

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1/traces"

    def spans(self) -> list[tuple[str, str, dict[str, Any]]]:
        """(service, span name, attributes) of every span received."""
        found = []
        for _, body in self.bodies:
            request = ExportTraceServiceRequest()
            request.ParseFromString(body)
            for resource_spans in request.resource_spans:
                resource = _attributes(resource_spans.resource.attributes)
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        found.append((resource["service.name"], span.name,
                                      {**_attributes(span.attributes),
                                       "service.version": resource.get("service.version"),
                                       "trace_id": span.trace_id.hex()}))
        return found


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if self.headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.bodies.append((self.path, body))
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _value(value: AnyValue) -> Any:
    return getattr(value, value.WhichOneof("value") or "string_value")


def _attributes(pairs: Any) -> dict[str, Any]:
    return {pair.key: _value(pair.value) for pair in pairs}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_a_request_is_exported_with_its_id_tenant_and_operation(
        settings: Settings, make_tenant: Any, receiver: Receiver) -> None:
    code = make_tenant()
    traced = settings.replace(otel_endpoint=receiver.endpoint)
    with TestClient(create_app(traced)) as client:
        api = Api(client)
        token = api.login(code, "admin")
        response = client.post("/graphql", json={"query": WHO, "operationName": "Who"},
                               headers={"authorization": f"Bearer {token}",
                                        "x-request-id": "trace-20261202-0001",
                                        "traceparent": f"00-{TRACE_ID}-00f067aa0ba902b7-01"})
        assert response.json()["data"]["me"]["account"]["username"] == "admin"
        assert receiver.bodies == []  # batched: sent at the latest when the app stops
    # leaving the client stops the app: the provider is shut down and its batch flushed
    assert {path for path, _ in receiver.bodies} == {"/v1/traces"}
    spans = receiver.spans()
    (request,) = [attrs for service, name, attrs in spans
                  if attrs.get("jixiao.request_id") == "trace-20261202-0001"]
    assert request["jixiao.tenant"] == code
    assert request["graphql.operation.name"] == "Who"
    assert request["jixiao.graphql.outcome"] == "ok"
    assert request["http.response.status_code"] == 200
    assert request["service.version"]
    assert request["trace_id"] == TRACE_ID  # the caller's trace is continued
    names = {(service, name) for service, name, _ in spans}
    assert ("jixiao-api", "POST graphql Who") in names
    # strawberry's operation-level spans, not one per resolved field
    assert ("jixiao-api", "GraphQL Query: Who") in names
    assert ("jixiao-api", "GraphQL Parsing") in names
    assert not [name for _, name, _ in spans if name.startswith("GraphQL Resolving")]
    (operation,) = [attrs for _, name, attrs in spans if name == "GraphQL Query: Who"]
    assert operation["query"].startswith("sha256:")  # the document's text is not exported
    # the global provider is left alone: tracing is the app's own
    assert isinstance(trace.get_tracer_provider(), ProxyTracerProvider)


def test_without_an_endpoint_nothing_is_traced(settings: Settings, receiver: Receiver,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from jixiao.tracing import OperationSpans, Traced

    # the standard variables alone do not turn tracing on (only JIXIAO_OTEL_ENDPOINT does)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint.removesuffix("/v1/traces"))
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", receiver.endpoint)
    assert settings.otel_endpoint is None
    app = create_app(settings)
    assert Traced not in [m.cls for m in app.user_middleware]  # type: ignore[comparison-overlap]
    with TestClient(app) as client:
        response = client.post("/graphql", json={"query": WHO},
                               headers={"x-request-id": "untraced-1"})
        assert response.status_code == 200
    graphql = next(r for r in app.routes if getattr(r, "path", "") == "/graphql")
    extensions = graphql.endpoint.graphql.schema.extensions  # type: ignore[attr-defined]
    assert not [e for e in extensions if getattr(e, "func", e) is OperationSpans]
    assert receiver.bodies == []
    assert isinstance(trace.get_tracer_provider(), ProxyTracerProvider)


def test_a_malformed_endpoint_is_refused_at_start() -> None:
    with pytest.raises(SettingsError, match="JIXIAO_OTEL_ENDPOINT"):
        Settings.from_env({"JIXIAO_OTEL_ENDPOINT": "collector:4318"})
    assert Settings.from_env({"JIXIAO_OTEL_ENDPOINT": "http://collector:4318/v1/traces"}
                             ).otel_endpoint == "http://collector:4318/v1/traces"


def test_the_worker_traces_each_job() -> None:
    from jixiao.tracing import JobSpans

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    broker = StubBroker()
    broker.emit_after("process_boot")
    broker.add_middleware(JobSpans(provider))

    @dramatiq.actor(broker=broker, max_retries=0)
    def add_up(a: int, b: int) -> int:
        return a + b

    @dramatiq.actor(broker=broker, max_retries=0)
    def fail() -> None:
        raise ValueError("任务失败")

    add_up.send(1, 2)
    fail.send()
    worker = dramatiq.Worker(broker, worker_timeout=100)
    worker.start()
    broker.join(add_up.queue_name, fail_fast=False)
    worker.join()
    worker.stop()
    spans = {span.name: span for span in exporter.get_finished_spans()}
    assert spans["job add_up"].attributes["jixiao.job.outcome"] == "done"  # type: ignore[index]
    assert spans["job fail"].attributes["jixiao.job.outcome"] == "failed"  # type: ignore[index]
    assert spans["job fail"].status.status_code is StatusCode.ERROR
    # the worker's stop shut the provider down: its exporter takes no more spans
    assert exporter.export([]) is SpanExportResult.FAILURE

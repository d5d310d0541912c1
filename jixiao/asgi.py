"""ASGI entry point for uvicorn: ``uvicorn jixiao.asgi:app``. Logs are JSON lines (one per
request, with its request id, tenant and operation: jixiao/observability.py)."""

from jixiao.app import create_app
from jixiao.collector import tune_garbage_collector
from jixiao.observability import configure_logging

configure_logging()
app = create_app()
tune_garbage_collector()

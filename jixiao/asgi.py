"""ASGI entry point for uvicorn: ``uvicorn jixiao.asgi:app``."""

from jixiao.app import create_app

app = create_app()

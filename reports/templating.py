"""Mako templates under reports/templates, HTML-escaping every ``${...}`` by default."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from mako.lookup import TemplateLookup

TEMPLATES = Path(__file__).parent / "templates"


@functools.cache
def _lookup() -> TemplateLookup:
    return TemplateLookup(directories=[str(TEMPLATES)], default_filters=["h"],
                          input_encoding="utf-8", strict_undefined=True)


def render(name: str, **values: Any) -> str:
    return str(_lookup().get_template(name).render(**values))


def css_string(text: str) -> str:
    """A value for CSS ``content: "..."``."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")

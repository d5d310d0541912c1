"""``application/graphql-response+json`` (GraphQL over HTTP) for clients that ask for it.

With that media type the status code tells a request error from a result: a request that fails
before execution (syntax, validation, variables, limits) answers 4xx with no ``data`` entry;
a request that executed answers 200, even when a field failed. Clients that accept only
``application/json`` keep the old behaviour (always 200 with ``data``). strawberry 0.341 knows
only ``application/json``, so the endpoint adjusts its answer here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.types import Message

MEDIA_TYPE = "application/graphql-response+json"


def _quality(accept: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        found[media.lower()] = max(quality, found.get(media.lower(), 0.0))
    return found


def wants_graphql_response(accept: str | None) -> bool:
    """The client asks for the new media type at least as much as for plain JSON."""
    quality = _quality(accept or "")
    wanted = quality.get(MEDIA_TYPE, 0.0)
    return wanted > 0 and wanted >= quality.get("application/json", 0.0)


def request_error_status(response: Mapping[str, Any]) -> int | None:
    """4xx when execution never started (no data, and no error belongs to a field), else None."""
    errors = response.get("errors") or []
    if response.get("data") is not None or not errors:
        return None
    if any(isinstance(e, Mapping) and e.get("path") for e in errors):
        return None
    codes = {(e.get("extensions") or {}).get("code") for e in errors if isinstance(e, Mapping)}
    return 401 if "UNAUTHENTICATED" in codes else 400


def retyped(start: Message, status: int) -> Message:
    """The response start with the new media type and status."""
    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-type"]
    headers.append((b"content-type", f"{MEDIA_TYPE}; charset=utf-8".encode()))
    return {**start, "status": status, "headers": headers}

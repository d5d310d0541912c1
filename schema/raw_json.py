"""JSON that PostgreSQL wrote, passed to the client as it is.

A dashboard's lists come out of PostgreSQL as JSON text (``schema.compiled_reads``). Parsing
that text into Python objects only to write them out again costs more than the rest of the
request, so such a list stays text: a ``RawJSON`` in the result, written into the response
where it stands by ``dumps``, the app's one JSON encoder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RawJSON:
    """A JSON value, as text, to be written as it is."""

    text: str


def dumps(data: object) -> str:
    """``data`` as compact UTF-8 JSON (a curl or a log shows 无权执行此操作, not \\u65e0...),
    each ``RawJSON`` written as its text."""
    raw: list[str] = []

    def mark(value: object) -> str:
        if not isinstance(value, RawJSON):
            raise TypeError(f"{type(value).__name__} is not JSON serializable")
        raw.append(value.text)
        # A NUL can be in no text of ours (PostgreSQL's text refuses it; inputs too), so the
        # marker, which JSON writes as \u0000N\u0000, stands for this value alone.
        return f"\x00{len(raw) - 1}\x00"

    out = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=mark)
    for n, text in enumerate(raw):
        out = out.replace(f'"\\u0000{n}\\u0000"', text, 1)
    return out

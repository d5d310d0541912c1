"""Custom scalars, registered on the schema through ``StrawberryConfig.scalar_map``."""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

# GraphQL's Int is 32-bit (21 million yuan in cents): money needs more.
Cents = NewType("Cents", int)


def _parse_cents(value: object) -> Cents:
    if isinstance(value, bool):
        raise ValueError("Cents must be an integer")
    if isinstance(value, int):
        return Cents(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return Cents(int(value.strip()))
    raise ValueError("金额须为整数（单位：分）")


SCALARS: dict[object, ScalarDefinition] = {
    Cents: strawberry.scalar(
        name="Cents",
        description="金额，单位：分（整数，可超过 32 位；JSON 数字）",
        serialize=int,
        parse_value=_parse_cents,
    ),
}

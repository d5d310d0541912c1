"""Custom scalars, registered on the schema through ``StrawberryConfig.scalar_map``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import NewType

import strawberry
from strawberry.file_uploads import Upload
from strawberry.scalars import JSON
from strawberry.schema.types.scalar import DEFAULT_SCALAR_REGISTRY
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


def _in_chinese(python_type: object, description: str) -> ScalarDefinition:
    """strawberry's own scalar, unchanged but for a description a unit's developer reads."""
    return replace(DEFAULT_SCALAR_REGISTRY[python_type], description=description)


SCALARS: dict[object, ScalarDefinition] = {
    date: _in_chinese(date, "日期（ISO 8601，如 2025-03-31）"),
    datetime: _in_chinese(datetime, "日期时间（ISO 8601，带时区，如 2025-03-31T17:00:00+08:00）"),
    Decimal: _in_chinese(Decimal, "精确小数，以字符串传递（如 \"92.35\"），避免浮点误差"),
    JSON: _in_chinese(JSON, "任意 JSON 值（对象、数组、字符串、数字、布尔或 null）"),
    Upload: _in_chinese(Upload, "上传的文件（GraphQL multipart 请求中的一个文件）"),
    Cents: strawberry.scalar(
        name="Cents",
        description="金额，单位：分（整数，可超过 32 位；JSON 数字）",
        serialize=int,
        parse_value=_parse_cents,
    ),
}

"""Descriptions of the shapes that repeat across the schema, written once (the SDL's reader is
a unit's developer in GraphiQL, so they are in Chinese)."""

from __future__ import annotations

from typing import Annotated

import strawberry

ID_DOC = "唯一标识（UUID 字符串）；查询、修改时原样传回"
USER_ERRORS_DOC = "调用方可处理的错误（稳定代码 + 中文说明）；为空表示成功，此时才有结果"
CREATED_AT_DOC = "创建时间（ISO 8601，带时区）"
UPDATED_AT_DOC = "最后修改时间（ISO 8601，带时区）"
INPUT_DOC = "输入（各字段说明见其类型）"

# The argument every period-scoped query and mutation takes, described once.
PeriodId = Annotated[strawberry.ID, strawberry.argument(description="考核周期 id")]

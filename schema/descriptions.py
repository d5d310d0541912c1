"""Descriptions of the shapes that repeat across the schema, written once (the SDL's reader is
a unit's developer in GraphiQL, so they are in Chinese)."""

from __future__ import annotations

ID_DOC = "唯一标识（UUID 字符串）；查询、修改时原样传回"
USER_ERRORS_DOC = "调用方可处理的错误（稳定代码 + 中文说明）；为空表示成功，此时才有结果"
CREATED_AT_DOC = "创建时间（ISO 8601，带时区）"
UPDATED_AT_DOC = "最后修改时间（ISO 8601，带时区）"
INPUT_DOC = "输入（各字段说明见其类型）"
FIRST_DOC = "每页条数（分页：first）"
AFTER_DOC = "上一页的 pageInfo.endCursor；不传为第一页"

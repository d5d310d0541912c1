"""GraphQL-layer errors (syntax, validation, variables, limits) in Chinese with a stable code.

graphql-core and strawberry word them in English and may suggest field names ("Did you
mean"); the caller reads a Chinese sentence instead, with no suggestions, and a code in
``extensions.code`` that does not change with the wording.
"""

from __future__ import annotations

import re

from graphql import GraphQLError

PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
INTROSPECTION_DISABLED = "INTROSPECTION_DISABLED"

# (pattern on the English message, Chinese message with the pattern's groups, code)
_RULES: list[tuple[re.Pattern[str], str, str]] = [(re.compile(p), m, c) for p, m, c in [
    (r"^Syntax Error", "查询语句有语法错误", PARSE_FAILED),
    (r"exceeds maximum operation depth", "查询嵌套层数超过上限", QUERY_TOO_COMPLEX),
    (r"aliases", "查询中的别名数量超过上限", QUERY_TOO_COMPLEX),
    (r"maximum number of tokens", "查询语句过长", QUERY_TOO_COMPLEX),
    (r"introspection", "已关闭架构查询（introspection）", INTROSPECTION_DISABLED),
    (r"^Variable '\$(\w+)' of required type '([^']+)' was not provided",
     "缺少必填变量「${0}」（类型 {1}）", BAD_USER_INPUT),
    (r"^Variable '\$(\w+)'", "变量「${0}」的值类型不正确", BAD_USER_INPUT),
    (r"^Cannot query field '(\w+)' on type '(\w+)'", "类型「{1}」没有字段「{0}」",
     VALIDATION_FAILED),
    (r"^Unknown argument '(\w+)' on field '([\w.]+)'", "字段「{1}」没有参数「{0}」",
     VALIDATION_FAILED),
    (r"argument '(\w+)' of type '([^']+)' is required", "缺少必填参数「{0}」（类型 {1}）",
     VALIDATION_FAILED),
    (r"^Unknown type '(\w+)'", "未知的类型「{0}」", VALIDATION_FAILED),
    (r"cannot represent|Expected value of type|Expected type", "参数的值类型不正确",
     BAD_USER_INPUT),
]]
_FALLBACK = ("查询无效，请检查查询语句", VALIDATION_FAILED)
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def is_graphql_layer(error: GraphQLError) -> bool:
    """Raised by parsing, validation or variable coercion, not by a resolver."""
    if error.path is not None:
        return False
    return error.original_error is None or error.message.startswith("Variable '$")


def in_chinese(error: GraphQLError) -> GraphQLError:
    """The same error, worded in Chinese, with its code; Chinese messages are kept."""
    if _CHINESE.search(error.message) and (error.extensions or {}).get("code"):
        return error
    message, code = _FALLBACK
    for pattern, words, rule_code in _RULES:
        found = pattern.search(error.message)
        if found:
            message, code = words.format(*found.groups()), rule_code
            break
    return GraphQLError(message, nodes=error.nodes, source=error.source,
                        positions=error.positions, path=error.path,
                        extensions={**(error.extensions or {}), "code": code})

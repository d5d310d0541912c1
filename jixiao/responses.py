"""The one shape of an error answered outside GraphQL execution: a GraphQL response with no data
and one error carrying its Chinese message and stable code."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.responses import JSONResponse


def error_json(status: int, message: str, code: str,
               headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"data": None, "errors": [{"message": message,
                                                   "extensions": {"code": code}}]},
                        status_code=status, headers=headers)


# strawberry answers a malformed HTTP request in English plain text; the caller gets JSON.
_REASONS = {
    "Unsupported content type": "不支持的内容类型（Content-Type），请使用 application/json",
    "Unable to parse request body as JSON": "请求体不是有效的 JSON",
    "No GraphQL query found in the request": "请求中没有 GraphQL 查询语句",
    "Unable to parse the multipart body": "无法解析 multipart 请求体",
    "File(s) missing in form data": "multipart 请求中缺少 map 所指的文件",
    "Multipart part too large": ("multipart 请求中的非文件部分（如 operations）过大，"
                                 "文件请作为文件部分上传"),
    "Batching is not enabled": "不支持批量请求",
    "Too many operations": "批量请求中的操作过多",
}


def plain_error_as_json(status: int, reason: str) -> JSONResponse:
    message = _REASONS.get(reason.strip(), "请求格式无效")
    return error_json(status, message, "BAD_REQUEST")

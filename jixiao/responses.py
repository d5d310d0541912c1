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

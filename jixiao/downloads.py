"""GET /reports/{job_id}?format=pdf|xlsx: an exported report, for whoever may read its data.

Authenticated like /graphql (bearer token), in a transaction with the caller's tenant set, so
another unit's file is not even visible to the query. Refusals and unknown ids both answer 404
("not yours looks like not found"); 401 without a valid token; 409 while the job is still
running.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from jixiao.request_transaction import request_transaction
from jixiao.settings import Settings
from resolvers.context import Context
from resolvers.errors import ErrorCode, UserFacingError, password_change_required
from resolvers.reports.exports import Download, download
from schema.ids import require_id

STATUS = {ErrorCode.UNAUTHENTICATED: 401, ErrorCode.CONFLICT: 409}


def _error(status: int, message: str, code: str) -> Response:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def content_disposition(filename: str) -> str:
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"


Fetch = Callable[[Context, Request], Awaitable[Download]]


def file_endpoint(settings: Settings, fetch: Fetch,
                  statuses: Mapping[ErrorCode, int] = STATUS
                  ) -> Callable[[Request], Awaitable[Response]]:
    """An authenticated file download: the caller's tenant transaction, ``fetch`` decides.

    A user-facing refusal answers with its status in ``statuses``; every other one is 404.
    """

    use_cases = settings.use_cases()

    async def endpoint(request: Request) -> Response:
        async with request_transaction(request, settings, lambda session, actor: Context(
                session=session, settings=use_cases, actor=actor)) as tx:
            ctx = tx.context
            if ctx is None or ctx.actor is None:
                return _error(401, "未登录或登录已过期，请重新登录", "UNAUTHENTICATED")
            if ctx.actor.must_change_password:  # as in /graphql (schema.extensions)
                problem = password_change_required().problems[0]
                return _error(403, problem.message, problem.code.value)
            try:
                found = await fetch(ctx, request)
            except UserFacingError as exc:
                problem = exc.problems[0]
                code = problem.code if problem.code in statuses else ErrorCode.NOT_FOUND
                return _error(statuses.get(code, 404), problem.message, code.value)
        return Response(found.content, media_type=found.content_type,
                        headers={"content-disposition": content_disposition(found.filename),
                                 "cache-control": "private, no-store"})

    return endpoint


def report_download(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint of the download route."""

    async def fetch(ctx: Context, request: Request) -> Download:
        return await download(ctx, require_id(request.path_params["job_id"]),
                              request.query_params.get("format", "pdf"))

    return file_endpoint(settings, fetch)

"""GET /one-time-files/{file_id}/{key}: a file handed out once (e.g. initial passwords).

Authenticated like /graphql; only who made the file gets it, once (``take_once``). Anyone else,
a wrong key or another unit's id: 404; a second download or an expired link: 410 with a
Chinese message; 401 without a valid token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from jixiao.downloads import file_endpoint
from jixiao.settings import Settings
from resolvers.context import Context
from resolvers.errors import ErrorCode
from resolvers.one_time_files import take_once
from resolvers.reports.exports import Download
from schema.ids import require_id


def one_time_download(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def fetch(ctx: Context, request: Request) -> Download:
        return await take_once(ctx, require_id(request.path_params["file_id"]),
                               request.path_params["key"])

    return file_endpoint(settings, fetch, statuses={ErrorCode.UNAUTHENTICATED: 401,
                                                    ErrorCode.CONFLICT: 410})

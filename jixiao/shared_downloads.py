"""GET /shared-reports/{tenant_id}/{share_id}?format=pdf|xlsx: a report a unit shared with the
city, for the city organization department only.

Authenticated like /graphql; the file is read through ``platform_shared_report_file`` (one
tenant, under its row-level security, only through a share row). Anyone else, another id or a
withdrawn share: 404; 401 without a valid token.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from jixiao.downloads import file_endpoint
from jixiao.settings import Settings
from resolvers.context import Context
from resolvers.oversight.report_shares import city_download
from resolvers.reports.exports import Download
from schema.ids import require_id


def shared_report_download(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def fetch(ctx: Context, request: Request) -> Download:
        return await city_download(ctx, require_id(request.path_params["tenant_id"]),
                                   require_id(request.path_params["share_id"]),
                                   request.query_params.get("format", "pdf"))

    # Every refusal of a shared file reads as "not found".
    return file_endpoint(settings, fetch, statuses={})

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

from authz import Actor
from jixiao.auth import authenticate
from jixiao.downloads import _error, content_disposition
from jixiao.settings import Settings
from resolvers.context import Context
from resolvers.errors import UserFacingError
from resolvers.report_shares import city_download
from schema.ids import require_id


def shared_report_download(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        sessionmaker = request.app.state.sessionmaker
        async with sessionmaker() as session, session.begin():
            who = await authenticate(session, settings, request.headers.get("authorization"))
            if not isinstance(who, Actor):
                return _error(401, "未登录或登录已过期，请重新登录", "UNAUTHENTICATED")
            ctx = Context(session=session, settings=settings, actor=who)
            try:
                found = await city_download(ctx, require_id(request.path_params["tenant_id"]),
                                            require_id(request.path_params["share_id"]),
                                            request.query_params.get("format", "pdf"))
            except UserFacingError as exc:
                return _error(404, exc.problems[0].message, "NOT_FOUND")
        return Response(found.content, media_type=found.content_type,
                        headers={"content-disposition": content_disposition(found.filename),
                                 "cache-control": "private, no-store"})

    return endpoint

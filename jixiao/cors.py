"""CORS for the portals of units served from other addresses, by each tenant's allowlist.

A preflight (OPTIONS with Access-Control-Request-Method) carries no token: it is answered
with the CORS headers when some tenant allows the origin, and refused (400, no CORS headers)
otherwise. An actual request is answered with Access-Control-Allow-Origin only when the
caller's tenant allows the origin: the tenant of the token, or for login the tenant it
names. The endpoint says which tenant that is through ``CORS_TENANT`` in the request's state;
``None`` there means the answer holds no tenant's data (an expired token, a refused login of
an unknown unit), which any allowed origin may read so the portal can show the message. An
endpoint that sets nothing gets no CORS headers. Tokens travel in the Authorization header,
never cookies: no Access-Control-Allow-Credentials.
"""

from __future__ import annotations

import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tenants.origins import ALLOWLISTS, OriginAllowlists

# The request-state key an endpoint sets to the tenant whose allowlist decides (or None).
CORS_TENANT = "cors_tenant_id"
ALLOW_METHODS = "GET, POST, OPTIONS"
ALLOW_HEADERS = "authorization, content-type"
MAX_AGE = "600"


class TenantCors:
    def __init__(self, app: ASGIApp, allowlists: OriginAllowlists = ALLOWLISTS) -> None:
        self.app = app
        self.allowlists = allowlists

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        if origin is None:
            await self.app(scope, receive, send)
            return
        sessionmaker = scope["app"].state.sessionmaker
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            if await self.allowlists.any_allows(sessionmaker, origin):
                response = PlainTextResponse(status_code=204, headers={
                    "Access-Control-Allow-Origin": origin,
                    "Access-Control-Allow-Methods": ALLOW_METHODS,
                    "Access-Control-Allow-Headers": ALLOW_HEADERS,
                    "Access-Control-Max-Age": MAX_AGE, "Vary": "Origin"})
            else:
                response = PlainTextResponse("不允许的跨域来源", status_code=400,
                                             headers={"Vary": "Origin"})
            await response(scope, receive, send)
            return

        async def send_with_cors(message: Message) -> None:
            if message["type"] == "http.response.start":
                out = MutableHeaders(scope=message)
                out.add_vary_header("Origin")
                if await self._allows(scope, origin):
                    out["Access-Control-Allow-Origin"] = origin
            await send(message)

        await self.app(scope, receive, send_with_cors)

    async def _allows(self, scope: Scope, origin: str) -> bool:
        state = scope.get("state") or {}
        if CORS_TENANT not in state:
            return False
        sessionmaker = scope["app"].state.sessionmaker
        tenant = state[CORS_TENANT]
        if isinstance(tenant, uuid.UUID):
            return await self.allowlists.tenant_allows(sessionmaker, tenant, origin)
        return await self.allowlists.any_allows(sessionmaker, origin)

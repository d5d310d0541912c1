"""Who is calling: reads the bearer token and loads the actor inside the request transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from authz import Actor
from authz.credentials import parse_api_token, read_session_token
from authz.loading import load_account_actor, load_token_actor
from jixiao.settings import Settings
from tenants.db import Scope, set_tenant


@dataclass(frozen=True)
class Anonymous:
    """No token was sent: only login and the health endpoints are open."""


@dataclass(frozen=True)
class Rejected:
    """A token was sent but is invalid, expired, revoked or its account disabled."""


async def authenticate(session: AsyncSession, settings: Settings,
                       authorization: str | None) -> Actor | Anonymous | Rejected:
    if not authorization:
        return Anonymous()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Rejected()
    token = token.strip()
    api = parse_api_token(token)
    if api is not None:
        await set_tenant(session, api.tenant_id)
        actor = await load_token_actor(session, api)
    else:
        claims = read_session_token(settings.secret_key, token)
        if claims is None:
            return Rejected()
        await set_tenant(session, claims.tenant_id)
        actor = await load_account_actor(session, claims.tenant_id, claims.account_id)
    if actor is None:
        return Rejected()
    if actor.is_platform:
        await set_tenant(session, actor.tenant_id, Scope.platform)
    return actor

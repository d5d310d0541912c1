"""Who is calling: reads the bearer token and loads the actor inside the request transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Network, IPv6Network, ip_address

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import HTTPConnection

from authz import Actor
from authz.credentials import SessionClaims, parse_api_token, read_session_token
from authz.grants_cache import GrantsCache
from authz.loading import account_actor_of, load_grants, load_session, load_token_actor
from jixiao.settings import Settings
from models import AccountSession
from rules.duties import holds_admin_role
from rules.sessions import password_expired, session_live, touch_due
from tenants.config import load_config
from tenants.db import Scope, set_tenant


@dataclass(frozen=True)
class Anonymous:
    """No token was sent: only login and the health endpoints are open."""


@dataclass(frozen=True)
class Rejected:
    """A token was sent but is invalid, expired, revoked or its account disabled."""


async def authenticate(session: AsyncSession, settings: Settings, authorization: str | None,
                       now: datetime | None = None, grants: GrantsCache | None = None
                       ) -> Actor | Anonymous | Rejected:
    """The caller: the tenant is set, then one statement reads the session token's login
    session, account and tenant (or the API token); ``grants`` spares reading the roles,
    relations and org tree again while the tenant's grants version is unchanged."""
    if not authorization:
        return Anonymous()
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return Rejected()
    token = token.strip()
    api = parse_api_token(token)
    actor: Actor | None
    if api is not None:
        await set_tenant(session, api.tenant_id)
        actor = await load_token_actor(session, api)
    else:
        now = now or datetime.now(UTC)
        claims = read_session_token(settings.secret_key, token, now)
        if claims is None:
            return Rejected()
        await set_tenant(session, claims.tenant_id)
        actor = await _session_actor(session, claims, now, grants)
    if actor is None:
        return Rejected()
    if actor.is_platform:
        await set_tenant(session, actor.tenant_id, Scope.platform)
    return actor


async def _session_actor(session: AsyncSession, claims: SessionClaims, now: datetime,
                         cache: GrantsCache | None) -> Actor | None:
    """The account behind a live session: not revoked, expired or idle too long, the account
    enabled. Its use is noted at most once a minute (rules.sessions.touch_due)."""
    found = await load_session(session, claims.tenant_id, claims.account_id, claims.session_id)
    if found is None or found.account.disabled:
        return None
    config = load_config(found.tenant_settings)
    security = config.account_security
    login = found.login
    if not session_live(now, login.last_seen_at, login.expires_at, login.revoked_at,
                        timedelta(minutes=security.idle_timeout_minutes)):
        return None
    if touch_due(now, login.last_seen_at):
        await session.execute(update(AccountSession).where(
            AccountSession.id == login.id).values(last_seen_at=now))
    account = found.account
    must_change = account.must_change_password or password_expired(
        account.password_changed_at, now, security.password_max_age_days)
    version = found.grants_version
    grants = (cache.get(account.tenant_id, account.id, account.person_id, version)
              if cache is not None else None)
    if grants is None:
        tree = cache.org_tree(account.tenant_id, version) if cache is not None else None
        grants = await load_grants(session, account.id, account.person_id, tree)
        if cache is not None:
            cache.put(account.tenant_id, account.id, account.person_id, version, grants)
    actor = account_actor_of(account, found.tenant_kind, grants, session_id=login.id,
                             must_change_password=must_change)
    if (config.admin_security.totp_for_admins and account.totp_enabled_at is None
            and holds_admin_role(actor.roles)):
        actor = replace(actor, must_enroll_totp=True)
    return actor


def _ip(value: str) -> str | None:
    try:
        return ip_address(value.strip()).compressed
    except ValueError:
        return None


def client_address(request: HTTPConnection,
                   trusted_proxies: Sequence[IPv4Network | IPv6Network]) -> str:
    """The caller's address: the TCP peer, or behind trusted proxies the X-Forwarded-For hop
    the nearest untrusted proxy saw. Read from the right: hops left of an untrusted one may be
    forged by the client."""
    peer = request.client.host if request.client else ""
    address = _ip(peer) or peer[:64]

    def trusted(value: str) -> bool:
        ip = ip_address(value)
        return any(ip in network for network in trusted_proxies)

    if not trusted_proxies or _ip(peer) is None or not trusted(address):
        return address
    hops = [h for header in request.headers.getlist("x-forwarded-for") for h in header.split(",")]
    for hop in reversed(hops):
        ip = _ip(hop)
        if ip is None:  # garbage from the client: keep the last hop a proxy vouched for
            break
        address = ip
        if not trusted(ip):
            break
    return address

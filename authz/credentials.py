"""Credentials: argon2 password hashes, signed session tokens, and API tokens.

A session token is a JWT (HS256) carrying the account and the tenant. An API token reads
``jxt.<tenant id>.<token id>.<secret>``: the tenant comes first so the lookup can run under
that tenant's row-level security; only a SHA-256 of the secret is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
API_TOKEN_PREFIX = "jxt"
# Verified against when the username is unknown, so both cases cost the same time.
_DUMMY_HASH = _hasher.hash("no such account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class SessionClaims:
    account_id: uuid.UUID
    tenant_id: uuid.UUID
    session_id: uuid.UUID
    expires_at: datetime


def issue_session_token(secret: str, account_id: uuid.UUID, tenant_id: uuid.UUID,
                        session_id: uuid.UUID, expires: datetime,
                        now: datetime | None = None) -> str:
    """A token for one login session (``sid``): revoking the session ends the token."""
    issued = now or datetime.now(UTC)
    return jwt.encode(
        {"sub": str(account_id), "tid": str(tenant_id), "sid": str(session_id), "iat": issued,
         "exp": expires, "typ": "session"},
        secret, algorithm="HS256",
    )


def read_session_token(secret: str, token: str, now: datetime | None = None
                       ) -> SessionClaims | None:
    """The claims of a well-signed, unexpired session token (expiry against ``now``, so the
    request's clock decides); a token without a session id (issued before sessions) is refused."""
    try:
        data = jwt.decode(token, secret, algorithms=["HS256"],
                          options={"require": ["sub", "tid", "sid", "exp"], "verify_exp": False,
                                   "verify_iat": False})
        if data.get("typ") != "session":
            return None
        claims = SessionClaims(uuid.UUID(data["sub"]), uuid.UUID(data["tid"]),
                               uuid.UUID(data["sid"]),
                               datetime.fromtimestamp(int(data["exp"]), UTC))
    except (jwt.PyJWTError, ValueError, KeyError, TypeError, OverflowError):
        return None
    return claims if claims.expires_at > (now or datetime.now(UTC)) else None


def secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_api_token(tenant_id: uuid.UUID, token_id: uuid.UUID) -> tuple[str, str]:
    """Returns (the token to hand out once, the digest to store)."""
    secret = secrets.token_urlsafe(32)
    return f"{API_TOKEN_PREFIX}.{tenant_id}.{token_id}.{secret}", secret_digest(secret)


@dataclass(frozen=True)
class ApiTokenParts:
    tenant_id: uuid.UUID
    token_id: uuid.UUID
    secret: str

    def matches(self, stored_digest: str) -> bool:
        return hmac.compare_digest(secret_digest(self.secret), stored_digest)


def parse_api_token(token: str) -> ApiTokenParts | None:
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != API_TOKEN_PREFIX:
        return None
    try:
        return ApiTokenParts(uuid.UUID(parts[1]), uuid.UUID(parts[2]), parts[3])
    except ValueError:
        return None

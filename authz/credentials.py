"""Credentials: argon2 password hashes, signed session tokens, and API tokens.

A session token is a JWT (HS256) carrying the account and the tenant. An API token reads
``jxt.<tenant id>.<token id>.<secret>``: the tenant comes first so the lookup can run under
that tenant's row-level security; only a SHA-256 of the secret is stored.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

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
    claims = _signed_claims(secret, token)
    if claims is None:
        return None
    return claims if claims.expires_at > (now or datetime.now(UTC)) else None


@lru_cache(maxsize=4096)
def _signed_claims(secret: str, token: str) -> SessionClaims | None:
    """The claims of a well-signed session token, whatever its expiry. They depend on nothing
    else, and every request of a session sends the same token: decoded and checked once (a
    tenth of a small request's CPU), not per request."""
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
    return claims


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


# --- initial passwords and files handed out once -------------------------------------------

# Characters that are easy to tell apart on paper (no 0/O, 1/l/I); no symbol a spreadsheet
# reads as the start of a formula (= + - @).
_PASSWORD_CLASSES = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789",
                     "!#$%&*?")
INITIAL_PASSWORD_LENGTH = 12


def new_initial_password(length: int = INITIAL_PASSWORD_LENGTH) -> str:
    """A random one-time password with a character of every class (upper, lower, digit,
    symbol), so it meets any "three of four classes" rule."""
    rng = secrets.SystemRandom()
    chars = [rng.choice(group) for group in _PASSWORD_CLASSES]
    alphabet = "".join(_PASSWORD_CLASSES)
    chars += [rng.choice(alphabet) for _ in range(max(length, 8) - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)


@dataclass(frozen=True)
class Sealed:
    key: str  # goes into the download link only
    key_digest: str  # stored, to find and check the key
    blob: bytes  # stored: nonce (12 bytes) + AES-256-GCM ciphertext and tag


def _aead(key: str) -> AESGCM:
    return AESGCM(base64.urlsafe_b64decode(key + "=" * (-len(key) % 4)))


def seal(content: bytes) -> Sealed:
    """Encrypts content with AES-256-GCM under a fresh random key used for this content only."""
    raw = AESGCM.generate_key(bit_length=256)
    key = base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
    nonce = secrets.token_bytes(12)
    return Sealed(key, secret_digest(key), nonce + _aead(key).encrypt(nonce, content, None))


def unseal(key: str, blob: bytes) -> bytes | None:
    """The content, or None when the key or the blob is wrong."""
    try:
        return _aead(key).decrypt(blob[:12], blob[12:], None)
    except (InvalidTag, ValueError, binascii.Error):
        return None


SEALED_TEXT_PREFIX = "v1:"


def _server_aead(server_key: str, purpose: str) -> AESGCM:
    # One key per purpose, derived from the deployment's secret: a leaked database alone
    # does not reveal what is sealed. Changing the secret makes sealed values unreadable.
    key = HKDF(algorithm=SHA256(), length=32, salt=None,
               info=f"jixiao.{purpose}".encode()).derive(server_key.encode())
    return AESGCM(key)


def seal_text(server_key: str, purpose: str, text: str) -> str:
    """A short secret (e.g. a TOTP seed) sealed with AES-256-GCM under the server's key."""
    nonce = secrets.token_bytes(12)
    blob = nonce + _server_aead(server_key, purpose).encrypt(nonce, text.encode(), None)
    return SEALED_TEXT_PREFIX + base64.urlsafe_b64encode(blob).decode()


def open_text(server_key: str, purpose: str, sealed: str) -> str | None:
    """The text ``seal_text`` sealed, or None when it was sealed under another key."""
    if not sealed.startswith(SEALED_TEXT_PREFIX):
        return None
    try:
        blob = base64.urlsafe_b64decode(sealed[len(SEALED_TEXT_PREFIX):])
        return _server_aead(server_key, purpose).decrypt(blob[:12], blob[12:], None).decode()
    except (InvalidTag, ValueError, binascii.Error):
        return None

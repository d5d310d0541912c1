"""Files handed out once: stored sealed under a key only the link carries, wiped when taken.

Used for secrets a person must receive exactly once (the initial passwords of a roster
import). Only who made the file may take it; anyone else, a wrong key, another tenant's id or a
missing id read as "not found". A second download, or one after expiry, is refused in Chinese.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from authz.credentials import seal, secret_digest, unseal
from models import OneTimeFile
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, fail, not_found
from resolvers.reports.exports import Download

# Long enough to hand the file on the same working day, short enough not to linger.
ONE_TIME_FILE_TTL = timedelta(hours=24)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class OneTimeLink:
    file_id: uuid.UUID
    key: str
    filename: str
    expires_at: datetime

    @property
    def path(self) -> str:
        """The download path (GET, with the caller's bearer token)."""
        return f"/one-time-files/{self.file_id}/{self.key}"


async def store_once(ctx: Context, filename: str, content_type: str,
                     content: bytes) -> OneTimeLink:
    sealed = seal(content)
    row = OneTimeFile(tenant_id=ctx.me.tenant_id, filename=filename, content_type=content_type,
                      owner=ctx.me.subject, key_digest=sealed.key_digest, sealed=sealed.blob,
                      expires_at=ctx.now() + ONE_TIME_FILE_TTL)
    ctx.session.add(row)
    await ctx.session.flush()
    return OneTimeLink(row.id, sealed.key, filename, row.expires_at)


async def take_once(ctx: Context, file_id: uuid.UUID, key: str) -> Download:
    # FOR UPDATE: of two simultaneous downloads, the second waits and then finds it taken.
    row = await ctx.session.scalar(
        select(OneTimeFile).where(OneTimeFile.id == file_id).with_for_update())
    if (row is None or row.owner != ctx.me.subject
            or not hmac.compare_digest(row.key_digest, secret_digest(key))):
        raise not_found("文件")
    if row.taken_at is not None:
        raise fail(ErrorCode.CONFLICT, "该文件只能下载一次，已被下载过，不能再次下载；"
                   "如初始密码遗失，请为相关账号重新设置密码")
    if row.expires_at <= ctx.now():
        row.sealed = b""
        raise fail(ErrorCode.CONFLICT, "下载链接已过期，文件已销毁；请为相关账号重新设置密码")
    content = unseal(key, row.sealed)
    if content is None:
        raise not_found("文件")
    row.sealed, row.taken_at = b"", ctx.now()
    audit.record(ctx, "one_time_file.take", "one_time_file", row.id,
                 after={"filename": row.filename})
    return Download(row.filename, row.content_type, content)

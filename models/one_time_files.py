"""Files handed out once (e.g. the initial passwords of a roster import), sealed at rest.

The content is stored encrypted with a key that only the download link carries (the table
keeps a SHA-256 of it), and is wiped on the first download: the database never holds the
secrets in clear, and a second download is refused.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TenantOwned, Timestamped


class OneTimeFile(TenantOwned, Timestamped, Base):
    __tablename__ = "one_time_files"

    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(100))
    # Only who made the file may take it: their subject ("account:<id>" or "token:<id>").
    owner: Mapped[str] = mapped_column(String(100))
    key_digest: Mapped[str] = mapped_column(String(128))
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

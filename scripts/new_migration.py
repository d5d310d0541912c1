"""Writes an Alembic revision that creates the named tables (and puts them under RLS).

Alembic's own autogenerate refuses to run while other heads are unapplied; this renders the
DDL of just the given tables from the models against a database migrated to ``--down``.

    .venv/bin/python scripts/new_migration.py --rev 0007 --down 0006 -m "ratings" \\
        --url postgresql+psycopg://jixiao_owner:jixiao_owner@127.0.0.1:PORT/jixiao \\
        --tables raters,ratings
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from alembic.autogenerate import produce_migrations, render_python_code
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

import models

TEMPLATE = '''"""{message}

Revision ID: {rev}
Revises: {down}
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from models.migrations.rls import tenant_table

revision: str = "{rev}"
down_revision: str | None = "{down}"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = {tables!r}


def upgrade() -> None:
{up}
    for table in TABLES:
        tenant_table(table)


def downgrade() -> None:
{down_ops}
'''


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rev", required=True)
    parser.add_argument("--down", required=True)
    parser.add_argument("-m", "--message", required=True)
    parser.add_argument("--url", required=True, help="owner URL of a database at --down")
    parser.add_argument("--tables", required=True)
    args = parser.parse_args()
    mine = set(args.tables.split(","))

    def include(obj: object, name: str | None, type_: str, reflected: bool,
                compare_to: object) -> bool:
        if type_ == "table":
            return name in mine
        table = getattr(obj, "table", None)
        return table is not None and table.name in mine

    engine = create_engine(args.url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "include_object": include, "target_metadata": models.Base.metadata})
        script = produce_migrations(context, models.Base.metadata)
    engine.dispose()

    def clean(code: str) -> str:
        code = "\n".join(line for line in code.strip("\n").splitlines() if "### " not in line)
        code = code.replace("astext_type=Text()", "astext_type=sa.Text()")
        return re.sub(r"current_setting\('app.tenant_id', 1\)",
                      "current_setting('app.tenant_id', true)", code)

    slug = re.sub(r"\W+", "_", args.message.lower()).strip("_")
    path = Path("models/migrations/versions") / f"{args.rev}_{slug}.py"
    path.write_text(TEMPLATE.format(
        message=args.message, rev=args.rev, down=args.down, tables=tuple(sorted(mine)),
        up=clean(render_python_code(script.upgrade_ops)),
        down_ops=clean(render_python_code(script.downgrade_ops))), encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()

"""Login accounts for the people of a roster import, with one-time initial passwords.

Every person of the file who has no account yet gets one: the username from the file's
"账号" column, else the employee number (unique in the unit, and what people know); the role
staff; a random initial password that must be changed at the first login. The passwords leave
the server once, as an XLSX the importing admin downloads a single time
(``resolvers.one_time_files``); the database keeps only their hashes and the sealed file, the
audit log only the count and the usernames.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from authz.credentials import hash_password
from models import Account, Person, RoleGrant
from reports.document import Column, Document, Table
from reports.xlsx import render_xlsx
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem
from resolvers.one_time_files import XLSX, OneTimeLink, store_once
from resolvers.org.roster_file import LABELS, RosterRow
from resolvers.org.sessions import initial_password
from resolvers.spreadsheet import in_thread, row_problem
from resolvers.tenant_config import tenant_config
from vocab.org import Role

MAX_USERNAME = 64  # accounts.username
# Each password hash costs ~0.1-0.2 s of CPU (argon2, on purpose): a bound keeps one import
# within a request's time; larger rosters are imported in parts.
MAX_ACCOUNTS = 500
NOTE = ("本表含初始密码，只能下载一次。请逐人私下交付本人，不得群发、转发或公开；"
        "首次登录后须立即修改密码。交付完毕后请删除本文件。")


@dataclass(frozen=True)
class PlannedAccount:
    employee_no: str
    username: str


@dataclass(frozen=True)
class IssuedAccounts:
    count: int
    link: OneTimeLink | None  # None when nobody needed an account


def _problem(row: RosterRow, field: str, message: str) -> Problem:
    return row_problem(row.row, field, LABELS[field], message)


async def plan_accounts(ctx: Context, rows: Sequence[RosterRow],
                        existing: Mapping[str, Person]
                        ) -> tuple[list[PlannedAccount], list[Problem]]:
    """Who gets an account, and the rows whose username cannot be used (nothing is written)."""
    accounts = (await ctx.session.execute(select(Account.username, Account.person_id))).all()
    taken = {username for username, _ in accounts}
    with_account = {person_id for _, person_id in accounts if person_id is not None}
    planned: list[PlannedAccount] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row in rows:
        number = row.values.get("employee_no", "")
        person = existing.get(number)
        if not number or (person is not None and person.id in with_account):
            continue  # a person who has an account keeps it as it is
        field = "username" if row.values.get("username") else "employee_no"
        username = row.values.get("username") or number
        if len(username) > MAX_USERNAME:
            problems.append(_problem(row, field, f"账号不能超过{MAX_USERNAME}个字符"))
        elif any(c.isspace() for c in username):
            problems.append(_problem(row, field, "账号不能包含空格"))
        elif username in taken:
            problems.append(_problem(row, field, f"账号“{username}”已被其他账号使用，"
                                     f"请在“{LABELS['username']}”列另填一个"))
        elif username in seen:
            problems.append(_problem(row, field, f"账号“{username}”与第{seen[username]}行重复"))
        else:
            seen[username] = row.row
            planned.append(PlannedAccount(number, username))
    if len(planned) > MAX_ACCOUNTS:
        problems.append(Problem(ErrorCode.LIMIT_EXCEEDED,
                                f"一次最多为{MAX_ACCOUNTS}人创建账号，本次需创建{len(planned)}个，"
                                "请分批导入", "createAccounts"))
    return planned, problems


@dataclass(frozen=True)
class _Issued:
    username: str
    name: str
    unit: str
    password: str


def _sheet(issued: Sequence[_Issued]) -> bytes:
    columns = (Column("账号", lambda r: r.username, width=16),
               Column("姓名", lambda r: r.name, width=12),
               Column("部门", lambda r: r.unit, width=20),
               Column("初始密码", lambda r: r.password, width=16))
    return render_xlsx(Document(
        title="初始密码", template="", context={},
        tables=(Table("初始密码（请私下交付本人）", columns, issued),),
        summary=(("说明", NOTE), ("账号数", str(len(issued)))), subtitle=NOTE))


async def create_accounts(ctx: Context, planned: Sequence[PlannedAccount],
                          people: Mapping[str, Person], unit_names: Mapping[uuid.UUID, str],
                          source: str) -> IssuedAccounts:
    if not planned:
        return IssuedAccounts(0, None)
    security = (await tenant_config(ctx)).account_security
    passwords = [initial_password(security, plan.username) for plan in planned]
    # Hashing is slow on purpose (argon2): off the event loop, so other requests go on.
    hashes = await in_thread(lambda: [hash_password(p) for p in passwords])
    issued: list[_Issued] = []
    accounts: list[Account] = []
    for plan, password, digest in zip(planned, passwords, hashes, strict=True):
        person = people[plan.employee_no]
        accounts.append(Account(
            tenant_id=ctx.me.tenant_id, username=plan.username, display_name=person.name,
            password_hash=digest, person_id=person.id, must_change_password=True))
        issued.append(_Issued(plan.username, person.name, unit_names.get(person.unit_id, ""),
                              password))
    ctx.session.add_all(accounts)
    await ctx.session.flush()  # the accounts first: the grants reference them
    ctx.session.add_all([RoleGrant(tenant_id=ctx.me.tenant_id, account_id=a.id, role=Role.staff)
                         for a in accounts])
    await ctx.session.flush()
    content = await in_thread(lambda: _sheet(issued))
    link = await store_once(ctx, f"初始密码-{ctx.now():%Y%m%d%H%M}.xlsx", XLSX, content)
    # The count and the usernames, never a password.
    audit.record(ctx, "account.create_from_roster", "roster", source,
                 after={"count": len(issued), "usernames": [i.username for i in issued],
                        "role": Role.staff, "file": link.file_id})
    return IssuedAccounts(len(issued), link)

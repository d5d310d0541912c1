"""Roster import: all or nothing; every bad row is named with its row and column."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from authz import Permission
from models import OrgUnit, Person, Post
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail
from resolvers.org.roster_accounts import (
    IssuedAccounts,
    PlannedAccount,
    create_accounts,
    plan_accounts,
)
from resolvers.org.roster_file import (
    LABELS,
    TEMPLATE_FILENAME,
    RosterFileError,
    RosterRow,
    read_roster,
    template_xlsx,
)
from resolvers.plans.scheme_file import FileOut
from resolvers.spreadsheet import UploadedFile, encode, in_process
from vocab.org import ComparisonGroup, UnitKind

GROUPS = {"领导": ComparisonGroup.leader, "领导干部": ComparisonGroup.leader,
          "leader": ComparisonGroup.leader, "干部": ComparisonGroup.staff,
          "一般干部": ComparisonGroup.staff, "staff": ComparisonGroup.staff,
          "": ComparisonGroup.staff}
YES_NO = {"是": True, "否": False, "true": True, "false": False, "1": True, "0": False, "": True}


@dataclass(frozen=True)
class RosterResult:
    created: int
    updated: int
    created_posts: int
    accounts: IssuedAccounts


def _problem(row: RosterRow, field: str, message: str) -> Problem:
    return Problem(ErrorCode.IMPORT_ROW_INVALID,
                   f"第{row.row}行“{LABELS[field]}”列：{message}", field, row.row, LABELS[field])


def _lookup(units: list[OrgUnit]) -> dict[str, list[OrgUnit]]:
    index: dict[str, list[OrgUnit]] = {}
    for unit in units:
        index.setdefault(unit.code, []).append(unit)
        if unit.name != unit.code:
            index.setdefault(unit.name, []).append(unit)
    return index


def _read(upload: UploadedFile) -> list[RosterRow]:
    """The roster rows of the file (blocking; run in the parsing process)."""
    return read_roster(upload.filename, upload.content())


async def import_roster(ctx: Context, upload: UploadedFile,
                        create_accounts_for_new: bool = False) -> RosterResult:
    """``create_accounts_for_new``: every person of the file without an account gets one
    (resolvers.org.roster_accounts); people who have one are left alone."""
    ctx.require(Permission.roster_import)
    if create_accounts_for_new:
        ctx.require(Permission.account_write)
    try:
        rows = await in_process(_read, upload)
    except RosterFileError as exc:
        raise fail(ErrorCode.INVALID, str(exc), upload.field) from exc

    units = _lookup(list((await ctx.session.scalars(select(OrgUnit))).all()))
    posts = {p.name: p for p in (await ctx.session.scalars(select(Post))).all()}
    posts.update({p.code: p for p in posts.values()})
    existing = {p.employee_no: p for p in (await ctx.session.scalars(select(Person))).all()}

    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for row in rows:
        v = row.values
        for field in ("employee_no", "name", "unit"):
            if not v.get(field):
                problems.append(_problem(row, field, "不能为空"))
        number = v.get("employee_no", "")
        if number and number in seen:
            problems.append(_problem(row, "employee_no",
                                     f"工号“{number}”与第{seen[number]}行重复"))
        seen.setdefault(number, row.row)
        unit_key = v.get("unit", "")
        if unit_key:
            found = units.get(unit_key, [])
            if not found:
                problems.append(_problem(row, "unit", f"部门“{unit_key}”不存在"))
            elif len(found) > 1:
                problems.append(
                    _problem(row, "unit", f"部门名称“{unit_key}”不唯一，请填写部门代码"))
        if v.get("gender", "") not in ("", "男", "女"):
            problems.append(_problem(row, "gender", "只能填写“男”或“女”"))
        if v.get("comparison_group", "") not in GROUPS:
            problems.append(_problem(row, "comparison_group", "只能填写“领导”或“干部”"))
        if v.get("appraised", "") not in YES_NO:
            problems.append(_problem(row, "appraised", "只能填写“是”或“否”"))
    planned: list[PlannedAccount] = []
    if create_accounts_for_new:
        planned, account_problems = await plan_accounts(ctx, rows, existing)
        problems += account_problems
    if problems:
        raise UserFacingError(*problems)

    created = updated = created_posts = 0
    for row in rows:
        v = row.values
        post = None
        if v.get("post"):
            post = posts.get(v["post"])
            if post is None:
                post = Post(tenant_id=ctx.me.tenant_id, code=f"p{len(posts) + 1:04d}",
                            name=v["post"])
                ctx.session.add(post)
                posts[post.name] = post
                created_posts += 1
        await ctx.session.flush()
        person = existing.get(v["employee_no"])
        if person is None:
            person = Person(tenant_id=ctx.me.tenant_id, employee_no=v["employee_no"])
            ctx.session.add(person)
            existing[person.employee_no] = person
            created += 1
        else:
            updated += 1
        person.name, person.unit_id = v["name"], units[v["unit"]][0].id
        person.gender, person.rank_title = v.get("gender", ""), v.get("rank_title", "")
        person.post_id = post.id if post else person.post_id
        person.comparison_group = GROUPS[v.get("comparison_group", "")]
        person.appraised = YES_NO[v.get("appraised", "")]
    await ctx.session.flush()
    audit.record(ctx, "roster.import", "roster", upload.filename,
                 after={"created": created, "updated": updated, "rows": len(rows)})
    unit_names = {u.id: u.name for found in units.values() for u in found}
    issued = await create_accounts(ctx, planned, existing, unit_names, upload.filename)
    return RosterResult(created, updated, created_posts, issued)


async def roster_template(ctx: Context) -> FileOut:
    """An XLSX with the roster's Chinese header row and one example row in the caller's first
    department (by sort order), so the example imports unchanged."""
    ctx.require(Permission.roster_import)
    unit = await ctx.session.scalar(
        select(OrgUnit).order_by(OrgUnit.kind != UnitKind.department, OrgUnit.sort_order,
                                 OrgUnit.code).limit(1))
    post = await ctx.session.scalar(select(Post).order_by(Post.code).limit(1))
    content = template_xlsx(unit.code if unit else "", post.name if post else "")
    return FileOut(TEMPLATE_FILENAME, encode(content))

"""Task lists to and from XLSX (任务清单), in the layout offices use.

Columns: 任务编号, 任务名称, 任务来源, 来源依据, 上级任务编号, 责任部门, 责任人工号, 责任人,
完成时限, 关联指标, 状态, 时间节点, 任务说明. 时间节点 holds one milestone a line (or
separated by “；”): “2026-03-15 制定工作方案”, a done one followed by “（已完成2026-03-10）”.

An import creates the tasks whose numbers are new in the year and updates the others, all
or nothing: any bad cell is named with its row and column and nothing changes. The level of
a row follows from its assignee: no department and no person, the unit itself; a
department, that department; a person, that person (in their department).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select

from authz import Permission
from models import OrgUnit, Person, Task, TaskMilestone
from resolvers import audit
from resolvers.context import Context
from resolvers.errors import ErrorCode, Problem, UserFacingError, fail
from resolvers.org.tree import org_tree
from resolvers.plans.scheme_file import FileOut
from resolvers.plans.tasks import (
    MAX_TITLE,
    MilestoneInput,
    TaskFilter,
    check_indicator_codes,
    list_tasks,
    milestones_by_task,
)
from resolvers.spreadsheet import (
    Check,
    Sheet,
    SheetRow,
    SpreadsheetError,
    UploadedFile,
    encode,
    in_process,
    map_rows,
    read_table,
    row_problem,
    write_xlsx,
)
from vocab.plans import TASK_SOURCE_LABELS, TASK_STATUS_LABELS, TaskLevel, TaskSource, TaskStatus

SHEET = "任务清单"
HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("任务编号", "编号", "code"),
    "title": ("任务名称", "任务", "title"),
    "source_kind": ("任务来源", "来源", "source_kind"),
    "source_text": ("来源依据", "来源文件", "source_text"),
    "parent": ("上级任务编号", "上级任务", "parent"),
    "unit": ("责任部门", "责任科室", "unit"),
    "employee_no": ("责任人工号", "工号", "employee_no"),
    "person_name": ("责任人", "person_name"),
    "due_on": ("完成时限", "截止日期", "due_on"),
    "indicators": ("关联指标", "指标编码", "indicators"),
    "status": ("状态", "完成状态", "status"),
    "milestones": ("时间节点", "节点", "milestones"),
    "description": ("任务说明", "说明", "description"),
}
LABELS = {f: names[0] for f, names in HEADERS.items()}
SOURCES = {**{label: kind.value for kind, label in TASK_SOURCE_LABELS.items()},
           **{kind.value: kind.value for kind in TaskSource},
           "中央决策部署": "central", "中央": "central", "省委": "provincial",
           "市委": "municipal", "全会": "plenary", "临时交办": "ad_hoc"}
STATUSES = {**{label: s.value for s, label in TASK_STATUS_LABELS.items()},
            **{s.value: s.value for s in TaskStatus}, "": TaskStatus.not_started.value}
CHECKS = {
    LABELS["source_kind"]: Check(choices=tuple(TASK_SOURCE_LABELS.values())),
    LABELS["unit"]: Check(hint="填写部门代码或部门名称；单位任务不填"),
    LABELS["employee_no"]: Check(hint="个人任务填写责任人工号"),
    LABELS["due_on"]: Check(date=True, hint="日期，如 2026-06-30"),
    LABELS["indicators"]: Check(hint="指标编码，多个用“、”分隔"),
    LABELS["status"]: Check(choices=tuple(TASK_STATUS_LABELS.values())),
    LABELS["milestones"]: Check(hint="每行一个节点：2026-03-31 节点内容"),
}
WIDTHS = (12, 40, 14, 30, 12, 12, 12, 10, 12, 14, 8, 40, 30)
MILESTONE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*(.*?)\s*(?:（已完成(\d{4}-\d{2}-\d{2})?）)?$")


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def parse_milestones(text: str) -> list[MilestoneInput] | None:
    """``None`` if any line does not read as a milestone."""
    out = []
    for line in re.split(r"[\n；;]+", text):
        line = line.strip()
        if not line:
            continue
        match = MILESTONE_RE.match(line)
        due = _date(match.group(1)) if match else None
        if match is None or due is None or not match.group(2):
            return None
        done = None
        if line.endswith("）") and "（已完成" in line:
            done = _date(match.group(3)) if match.group(3) else due
        out.append(MilestoneInput(match.group(2), due, done))
    return out


def format_milestones(rows: Sequence[TaskMilestone]) -> str:
    return "\n".join(
        f"{m.due_on.isoformat()} {m.title}"
        + (f"（已完成{m.done_on.isoformat()}）" if m.done_on else "") for m in rows)


@dataclass
class _Row:
    row: int
    code: str
    title: str
    source_kind: str
    source_text: str
    parent: str
    unit_id: uuid.UUID | None
    person: Person | None
    due_on: date | None
    indicators: list[str]
    status: str
    milestones: list[MilestoneInput]
    description: str

    @property
    def level(self) -> str:
        if self.person is not None:
            return TaskLevel.person
        return TaskLevel.unit if self.unit_id is not None else TaskLevel.tenant

    @property
    def where(self) -> uuid.UUID | None:
        return self.person.unit_id if self.person is not None else self.unit_id


@dataclass(frozen=True)
class TaskImportResult:
    created: int
    updated: int


def _split(text: str) -> list[str]:
    return [p for p in re.split(r"[、，,；;\s]+", text) if p]


def _read_tasks(upload: UploadedFile) -> list[SheetRow]:
    """The task rows of the file (blocking; run in the parsing process)."""
    return map_rows(read_table(upload.filename, upload.content()), HEADERS,
                    ("code", "title", "source_kind"), SHEET)


async def import_tasks(ctx: Context, year: int, upload: UploadedFile) -> TaskImportResult:
    ctx.require(Permission.task_import)
    try:
        rows = await in_process(_read_tasks, upload)
    except SpreadsheetError as exc:
        raise fail(ErrorCode.INVALID, str(exc), upload.field) from exc
    units = list((await ctx.session.scalars(select(OrgUnit))).all())
    unit_index: dict[str, list[OrgUnit]] = {}
    for unit in units:
        unit_index.setdefault(unit.code, []).append(unit)
        if unit.name != unit.code:
            unit_index.setdefault(unit.name, []).append(unit)
    people = {p.employee_no: p for p in (await ctx.session.scalars(select(Person))).all()}
    existing = {t.code: t for t in (await ctx.session.scalars(
        select(Task).where(Task.year == year))).all()}
    parsed, problems = await _parse(ctx, year, rows, unit_index, people)
    if not problems:
        problems = await _check_tree(ctx, parsed, existing)
    if problems:
        raise UserFacingError(*problems)
    return await _write(ctx, year, parsed, existing, upload.filename)


async def _parse(ctx: Context, year: int, rows: Sequence[SheetRow],
                 units: dict[str, list[OrgUnit]], people: dict[str, Person]
                 ) -> tuple[list[_Row], list[Problem]]:
    problems: list[Problem] = []
    out: list[_Row] = []
    seen: dict[str, int] = {}

    def bad(row: SheetRow, field: str, message: str) -> None:
        problems.append(row_problem(row.row, field, LABELS[field], message, SHEET))

    for row in rows:
        v = row.values
        for field in ("code", "title", "source_kind"):
            if not v.get(field):
                bad(row, field, "不能为空")
        code = v.get("code", "")
        if code and code in seen:
            bad(row, "code", f"任务编号“{code}”与第{seen[code]}行重复")
        seen.setdefault(code, row.row)
        if len(v.get("title", "")) > MAX_TITLE:
            bad(row, "title", f"不能超过{MAX_TITLE}个字")
        source = SOURCES.get(v.get("source_kind", ""))
        if v.get("source_kind") and source is None:
            bad(row, "source_kind", "只能填写" + "、".join(TASK_SOURCE_LABELS.values()))
        unit_id = None
        if v.get("unit"):
            found = units.get(v["unit"], [])
            if not found:
                bad(row, "unit", f"部门“{v['unit']}”不存在")
            elif len(found) > 1:
                bad(row, "unit", f"部门名称“{v['unit']}”不唯一，请填写部门代码")
            else:
                unit_id = found[0].id
        person = None
        if v.get("employee_no"):
            person = people.get(v["employee_no"])
            if person is None:
                bad(row, "employee_no", f"工号“{v['employee_no']}”不存在")
            elif unit_id is not None and unit_id != person.unit_id:
                bad(row, "unit", "责任人不在所填责任部门")
        due = _date(v["due_on"]) if v.get("due_on") else None
        if v.get("due_on") and due is None:
            bad(row, "due_on", "日期格式应为 2026-06-30")
        status = STATUSES.get(v.get("status", ""))
        if status is None:
            bad(row, "status", "只能填写" + "、".join(TASK_STATUS_LABELS.values()))
        milestones = parse_milestones(v.get("milestones", ""))
        if milestones is None:
            bad(row, "milestones", "每个节点写作“2026-03-31 节点内容”，多个节点换行或用“；”分隔")
        elif due is not None and any(m.due_on > due for m in milestones):
            bad(row, "milestones", "时间节点不能晚于完成时限")
        indicators = _split(v.get("indicators", ""))
        unknown = await check_indicator_codes(ctx, year, indicators)
        if unknown:
            bad(row, "indicators", f"指标编码“{'、'.join(unknown)}”不在{year}年度指标体系中")
        out.append(_Row(row.row, code, v.get("title", ""), source or "", v.get("source_text", ""),
                        v.get("parent", ""), unit_id, person, due, indicators,
                        status or "", milestones or [], v.get("description", "")))
    return out, problems


async def _check_tree(ctx: Context, rows: list[_Row], existing: dict[str, Task]
                      ) -> list[Problem]:
    """Parents exist, levels go tenant -> unit -> person, children stay inside the unit."""
    problems: list[Problem] = []
    tree = await org_tree(ctx)
    in_file = {r.code: r for r in rows}

    def bad(row: _Row, field: str, message: str) -> None:
        problems.append(row_problem(row.row, field, LABELS[field], message, SHEET))

    for row in rows:
        if not row.parent:
            continue
        if row.parent == row.code:
            bad(row, "parent", "上级任务不能是本任务")
            continue
        parent_row = in_file.get(row.parent)
        parent_task = existing.get(row.parent)
        if parent_row is not None:
            level, where = parent_row.level, parent_row.where
        elif parent_task is not None:
            level, where = parent_task.level, parent_task.unit_id
        else:
            bad(row, "parent", f"上级任务编号“{row.parent}”不存在")
            continue
        if level == TaskLevel.person:
            bad(row, "parent", "个人任务不能再分解")
        elif level == TaskLevel.tenant and row.level != TaskLevel.unit:
            bad(row, "unit", "单位任务先分解到部门，再由部门分解到个人")
        elif level == TaskLevel.unit:
            assert where is not None
            inside = tree.subtree(where)
            if row.where not in inside or (row.level == TaskLevel.unit
                                           and row.unit_id == where):
                bad(row, "unit", "部门任务只能分解给本部门（含下级部门）的人员或下级部门")
    # A chain of parents inside the file must not loop.
    for row in rows:
        seen = {row.code}
        current = in_file.get(row.parent)
        while current is not None:
            if current.code in seen:
                bad(row, "parent", "上级任务关系形成循环")
                break
            seen.add(current.code)
            current = in_file.get(current.parent)
    return problems


async def _write(ctx: Context, year: int, rows: list[_Row], existing: dict[str, Task],
                 filename: str) -> TaskImportResult:
    created = updated = 0
    tasks: dict[str, Task] = dict(existing)
    pending = list(rows)
    while pending:  # parents first
        rest = []
        for row in pending:
            if row.parent and row.parent not in tasks:
                rest.append(row)
                continue
            task = tasks.get(row.code)
            if task is None:
                task = Task(tenant_id=ctx.me.tenant_id, year=year, code=row.code)
                ctx.session.add(task)
                created += 1
            else:
                updated += 1
                await ctx.session.execute(delete(TaskMilestone).where(
                    TaskMilestone.task_id == task.id))
            task.title, task.source_kind = row.title, row.source_kind
            task.source_text, task.description = row.source_text, row.description
            task.level, task.unit_id = row.level, row.where
            task.person_id = row.person.id if row.person is not None else None
            task.parent_id = tasks[row.parent].id if row.parent else None
            task.due_on, task.status, task.indicator_codes = row.due_on, row.status, row.indicators
            task.completed_on = ((task.completed_on or row.due_on)
                                 if row.status == TaskStatus.done else None)
            await ctx.session.flush()
            ctx.session.add_all([TaskMilestone(tenant_id=ctx.me.tenant_id, task_id=task.id,
                                               title=m.title, due_on=m.due_on,
                                               done_on=m.done_on, sort_order=i)
                                 for i, m in enumerate(row.milestones)])
            tasks[row.code] = task
        if len(rest) == len(pending):  # pragma: no cover - excluded by _check_tree
            raise fail(ErrorCode.INVALID, "上级任务关系无效")
        pending = rest
    await ctx.session.flush()
    audit.record(ctx, "task.import", "task_list", f"{year}:{filename}",
                 after={"created": created, "updated": updated, "rows": len(rows)})
    return TaskImportResult(created, updated)


async def export_tasks(ctx: Context, year: int) -> FileOut:
    """The year's tasks the caller may read, parents before their children."""
    tasks = list(await list_tasks(ctx, TaskFilter(year=year)))
    milestones = await milestones_by_task(ctx, [t.id for t in tasks])
    codes = {t.id: t.code for t in tasks}
    units = {u.id: u.code for u in (await ctx.session.scalars(select(OrgUnit))).all()}
    ids = [t.person_id for t in tasks if t.person_id is not None]
    people = {p.id: p for p in (await ctx.session.scalars(
        select(Person).where(Person.id.in_(ids)))).all()} if ids else {}
    rows = []
    for task, stones in zip(tasks, milestones, strict=True):
        person = people.get(task.person_id) if task.person_id else None
        unit = units.get(task.unit_id, "") if task.unit_id else ""
        rows.append((
            task.code, task.title, TASK_SOURCE_LABELS[TaskSource(task.source_kind)],
            task.source_text, codes.get(task.parent_id, "") if task.parent_id else "",
            unit,
            person.employee_no if person else "", person.name if person else "",
            task.due_on, "、".join(task.indicator_codes),
            TASK_STATUS_LABELS[TaskStatus(task.status)], format_milestones(stones),
            task.description))
    content = write_xlsx([Sheet(SHEET, tuple(LABELS.values()), rows, WIDTHS, CHECKS)])
    return FileOut(f"{year}年度任务清单.xlsx", encode(content))


async def task_template(ctx: Context, year: int) -> FileOut:
    """The task list's header with dropdowns and one example row (a task of the unit itself,
    no department or person), which imports as it is."""
    ctx.require(Permission.task_import)
    example = {"code": "示例-01", "title": "（示例）落实年度重点工作任务",
               "source_kind": TASK_SOURCE_LABELS[TaskSource.municipal], "source_text": "",
               "parent": "", "unit": "", "employee_no": "", "person_name": "",
               "due_on": date(year, 12, 31), "indicators": "",
               "status": TASK_STATUS_LABELS[TaskStatus.not_started],
               "milestones": f"{year}-06-30 完成阶段目标", "description": ""}
    content = write_xlsx([Sheet(SHEET, tuple(LABELS.values()),
                                [tuple(example[f] for f in LABELS)], WIDTHS, CHECKS)])
    return FileOut(f"{year}年度任务清单导入模板.xlsx", encode(content))

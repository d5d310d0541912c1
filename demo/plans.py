"""Demo plans of the pilot units: each unit's own scheme template (published) and tasks.

Dates are relative to the year the demo is loaded in (``Y``). The demo's reference date is
``demo_as_of(Y)`` = 1 July Y: relative to it, some milestones and tasks are overdue (due in
spring, not done), some are done, some are not due yet, so a supervision summary (issue 4) as
of that date has overdue items to show. Each unit has tenant-level tasks (sources: 中央/省委/
市委决策部署, 全会工作安排, 临时交办), decomposed to departments (考事) and from each
department to its first staff member (考人), with milestones.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from demo.catalog import DemoTenant, pilot_tenants
from models import OrgUnit, Person, Task, TaskMilestone, Tenant
from tenants.plan_setup import apply_template
from tenants.templates import template_for_demo
from vocab.plans import TaskLevel, TaskStatus


def demo_as_of(year: int) -> date:
    """The fixed reference date of the demo plans (see the module docstring)."""
    return date(year, 7, 1)


@dataclass(frozen=True)
class DemoMilestone:
    title: str
    month: int
    day: int
    done: bool


@dataclass(frozen=True)
class DemoTask:
    code: str
    title: str
    source_kind: str
    source_text: str
    units: tuple[str, ...]
    due: tuple[int, int]
    status: str
    milestones: tuple[DemoMilestone, ...]
    indicator_codes: tuple[str, ...] = ()


M = DemoMilestone

# Shared shapes: one task per source kind, with an overdue, a done and an open one.
def _tasks(prefix: str, units: tuple[str, str, str, str], titles: tuple[str, str, str, str],
           sources: tuple[str, str, str, str], codes: tuple[str, str, str, str]
           ) -> tuple[DemoTask, ...]:
    kinds = ("central", "municipal", "plenary", "ad_hoc")
    shapes = (
        # due by half-year, first milestone done, second overdue on 1 July
        ((6, 30), TaskStatus.in_progress, (M("制定工作方案", 3, 15, True),
                                            M("完成阶段任务并报送进展", 5, 31, False))),
        # all done
        ((5, 31), TaskStatus.done, (M("动员部署", 2, 28, True), M("完成并总结", 5, 20, True))),
        # spring milestone overdue, year-end due
        ((12, 20), TaskStatus.in_progress, (M("分解细化任务清单", 4, 15, False),
                                             M("中期评估", 9, 30, False))),
        # ad hoc, not started, not yet due
        ((9, 30), TaskStatus.not_started, (M("形成专题报告", 9, 15, False),)),
    )
    return tuple(
        DemoTask(code=f"{prefix}-{i + 1:02d}", title=titles[i], source_kind=kinds[i],
                 source_text=sources[i], units=(units[i], units[(i + 1) % 4]),
                 due=shapes[i][0], status=shapes[i][1], milestones=shapes[i][2],
                 indicator_codes=(codes[i],))
        for i in range(4))


DEMO_TASKS: dict[str, tuple[DemoTask, ...]] = {
    "cdjw": _tasks(
        "JW", ("dfzfjds", "jjjcs1", "bgs", "yjs"),
        ("深入整治群众身边不正之风和腐败问题", "贯彻市委关于优化营商环境的部署开展专项监督",
         "落实市纪委全会部署，推进清廉成都建设", "完成领导交办的专题调研"),
        ("党中央关于全面从严治党的决策部署", "市委关于优化营商环境的决策部署",
         "市纪委十五届全会工作安排", "委主要领导临时交办"),
        ("SJ02", "SJ02", "SJ03", "SJ01")),
    "wjgx": _tasks(
        "WJ", ("tzcjj", "jjfzj", "qyfwj", "dzb"),
        ("落实制造业高质量发展部署，推进重点产业链建圈强链", "市委“优化提质、特色立园”项目攻坚",
         "落实党工委全会部署，推进企业满园行动", "迎接上级营商环境专项督查"),
        ("党中央关于推动制造业高质量发展的决策部署", "市委关于产业建圈强链的决策部署",
         "党工委全会工作安排", "管委会主要领导临时交办"),
        ("SJ02", "SJ02", "SJ03", "SJ01")),
    "gtlg": _tasks(
        "TL", ("kawlj", "tzcjj", "yshjj", "dzbgs"),
        ("落实国际物流通道建设部署，提升班列开行质效", "市委关于国际铁路港建设的项目攻坚",
         "落实党工委全会部署，优化口岸营商环境", "完成临时性安全生产检查"),
        ("党中央关于共建“一带一路”的决策部署", "市委关于国际铁路港建设的决策部署",
         "党工委全会工作安排", "管委会主要领导临时交办"),
        ("SJ02", "SJ02", "SJ03", "SJ01")),
    "qlsfj": _tasks(
        "QS", ("fljyzx", "sqjzk", "pfk", "rmtjk"),
        ("落实公共法律服务体系建设部署，扩大法律援助覆盖面",
         "市委关于平安邛崃建设的社区矫正专项行动",
         "落实全市政法工作会议部署，推进“八五”普法", "完成重大矛盾纠纷专项排查"),
        ("党中央关于全面依法治国的决策部署", "市委关于平安建设的决策部署",
         "全市政法工作会议工作安排", "局主要领导临时交办"),
        ("FLYZ", "SQJZ", "PFXC", "RMTJ")),
    "djyzzb": _tasks(
        "DZ", ("gbk", "zzk", "gwyk", "bgs"),
        ("落实新时代好干部标准，完善干部考核评价", "市委关于基层党组织建设的决策部署",
         "落实市委全会部署，推进公务员平时考核", "汇总印发部署任务完成情况通报"),
        ("党中央关于干部队伍建设的决策部署", "市委关于抓党建促基层治理的决策部署",
         "市委全会工作安排", "部务会临时交办"),
        ("SJ02", "SJ02", "SJ02", "SJ01")),
    "hsz": _tasks(
        "HS", ("jjfzb", "shswb", "pajsb", "dzb"),
        ("落实乡村振兴部署，推进高标准农田建设", "市委关于城乡社区发展治理的决策部署",
         "落实镇党委全会部署，推进平安黄水建设", "完成防汛减灾临时任务"),
        ("党中央关于全面推进乡村振兴的决策部署", "市委关于城乡社区发展治理的决策部署",
         "镇党委全会工作安排", "镇党委主要领导临时交办"),
        ("SJ02", "SJ03", "SJ02", "SJ01")),
    "xhjd": _tasks(
        "XH", ("sqfzzlbgs", "msfwbgs", "pajsbgs", "dzbgs"),
        ("落实基层治理现代化部署，推进社区微更新", "市委关于民生实事的决策部署",
         "落实街道党工委全会部署，推进平安西华建设", "完成临时交办的专项整治"),
        ("党中央关于加强基层治理体系和治理能力现代化的决策部署", "市委关于民生实事的决策部署",
         "街道党工委全会工作安排", "街道党工委主要领导临时交办"),
        ("SJ02", "SJ03", "SJ03", "SJ01")),
}

PILOT_CODES = frozenset(t.code for t in pilot_tenants())


def _on(year: int, month_day: tuple[int, int]) -> date:
    return date(year, *month_day)


async def load_demo_plans(session: AsyncSession, tenant: Tenant, demo: DemoTenant) -> None:
    """The EXTRA_LOADERS hook: only the pilot units get demo plans (tests' tenants do not)."""
    if demo.code not in PILOT_CODES:
        return
    template = template_for_demo(demo.code, demo.kind)
    if template is None:
        return
    year = date.today().year
    await apply_template(session, tenant.id, year, template, publish=True, actor="system:demo",
                         now=datetime(year, 1, 5, 9, 0, tzinfo=UTC))
    await _tasks_of(session, tenant.id, year, DEMO_TASKS.get(demo.code, ()))


async def _tasks_of(session: AsyncSession, tenant_id: uuid.UUID, year: int,
                    tasks: tuple[DemoTask, ...]) -> None:
    units = {u.code: u.id for u in (await session.scalars(select(OrgUnit))).all()}
    people = (await session.scalars(
        select(Person).where(Person.comparison_group == "staff").order_by(Person.employee_no)
    )).all()
    first_staff: dict[uuid.UUID, Person] = {}
    for person in people:
        first_staff.setdefault(person.unit_id, person)
    rows: list[Task] = []
    milestones: list[TaskMilestone] = []

    def add(spec: DemoTask, code: str, title: str, level: TaskLevel, parent: Task | None,
            unit_id: uuid.UUID | None, person_id: uuid.UUID | None) -> Task:
        done = spec.status == TaskStatus.done
        row = Task(tenant_id=tenant_id, id=uuid.uuid4(), year=year, code=code, title=title,
                   source_kind=spec.source_kind, source_text=spec.source_text, level=level,
                   parent_id=parent.id if parent else None, unit_id=unit_id,
                   person_id=person_id, due_on=_on(year, spec.due), status=spec.status,
                   completed_on=_on(year, (spec.milestones[-1].month, spec.milestones[-1].day))
                   if done else None,
                   indicator_codes=list(spec.indicator_codes), sort_order=len(rows))
        rows.append(row)
        milestones.extend(TaskMilestone(
            tenant_id=tenant_id, task_id=row.id, title=m.title, due_on=date(year, m.month, m.day),
            done_on=date(year, m.month, m.day) if m.done else None, sort_order=i)
            for i, m in enumerate(spec.milestones))
        return row

    for spec in tasks:
        top = add(spec, spec.code, spec.title, TaskLevel.tenant, None, None, None)
        for n, unit_code in enumerate(spec.units, start=1):
            unit_id = units[unit_code]
            unit_task = add(spec, f"{spec.code}-{n}", spec.title, TaskLevel.unit, top, unit_id,
                            None)
            staff = first_staff.get(unit_id)
            if staff is not None:
                add(spec, f"{spec.code}-{n}-1", f"{spec.title}（个人承担部分）",
                    TaskLevel.person, unit_task, unit_id, staff.id)
    for row in rows:  # parents first (self-referencing rows)
        session.add(row)
        await session.flush()
    session.add_all(milestones)
    await session.flush()

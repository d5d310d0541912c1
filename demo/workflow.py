"""Issue 17's workflow in the demo's year: which unit shows what, and the small steps that are
not a stage of their own (each through the use cases, as the demo accounts, on the run's clock).

* Notices: every unit's named demo accounts set a notice e-mail (reserved ``.invalid`` domain:
  no channel is turned on, nothing leaves the machine); the stages' notices come from the period
  transitions themselves (``resolvers.notifications.events``): the past year's are read, the
  current quarter's unread (demo.load).
* 成都国际铁路港经开区管委会 (gtlg): the sign-off chain 科室负责人 -> 分管领导 -> 考核委员会 ->
  主要领导 confirms every past period's grades (demo.signoff); one department head rates
  noticeably leniently, so 校准分析 flags him.
* 都江堰市委组织部 (djyzzb): two objections in the third quarter's publicity, the annual 述职
  and 民主测评 counted in the explanation (demo.annual_inputs), and a rule on the data its office
  system pushes, with proposals waiting to be confirmed (demo.pushes).

None of these units' results is pinned by a test that another flow relies on: xhjd (the staff
flows) and hsz (the department head's flows, its fourth quarter's care list) only get e-mails.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from models import Person, PersonResult
from resolvers.appraisal import objections
from resolvers.notifications.channels import set_my_email
from resolvers.org import tenant_settings
from vocab.grades import QuarterlyGrade

if TYPE_CHECKING:
    from demo.year import DemoYear

# The named accounts that keep a notice e-mail (the office, leaders, staff and the admin).
EMAIL_ACCOUNTS = ("admin", "leader", "fenguan", "kezhang", "bangong", "ganbu", "ganbu2")
EMAIL_DOMAIN = "demo.invalid"  # RFC 2606: never resolves

SIGNOFF_UNIT = "gtlg"
SIGNOFF_CHAIN = [{"name": "科室负责人", "role": "department_head"},
                 {"name": "分管领导", "role": "supervising_leader"},
                 {"name": "考核委员会", "role": "committee"},
                 {"name": "主要领导", "role": "principal_leader"}]
# The lenient rater (校准分析): gtlg's 口岸物流局 head (the demo account kezhang) gives every
# rating this many points above what the seeded draw says (the draws stay the same).
LENIENT_RATERS = {("gtlg", "TL0043"): 12.0}

WORKFLOW_UNIT = "djyzzb"  # objections, 述职 and 民主测评, rules on pushed data
OBJECTION_QUARTER = 3


def notice_email(username: str, code: str) -> str:
    return f"{username}@{code}.{EMAIL_DOMAIN}"


def leniency(code: str, employee_no: str) -> float:
    """Points a rater adds to every value the seeded draw gives (0 for most)."""
    return LENIENT_RATERS.get((code, employee_no), 0.0)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def before_year(run: DemoYear, year: int) -> None:
    """The start of the past year: notice e-mails, and the units' settings of the workflow."""
    run.clock = _at(date(year, 1, 4), 9)
    for username in EMAIL_ACCOUNTS:
        if username in run.by_username:
            await set_my_email(run.as_(username), notice_email(username, run.demo.code))
    if run.demo.code == SIGNOFF_UNIT:
        await tenant_settings.update(run.as_("admin"), {"review": {
            "signoff_chain": SIGNOFF_CHAIN}}, "按单位考核办法实行逐级审核")
    if run.demo.code == WORKFLOW_UNIT:
        await tenant_settings.update(run.as_("admin"), {"annual": {
            "include_democratic_vote": True}}, "年度考核参考民主测评结果")


@dataclass(frozen=True)
class DemoObjection:
    raiser: str  # username
    reasons: str
    named_to_committee: bool
    answer: str
    new_grade: str | None  # None: the grade stays
    grade_reason: str = ""


OBJECTIONS = (
    DemoObjection(
        "ganbu", "公示实绩中所列“牵头推进重点事项”系科室集体完成，本人仅参与部分工作，"
        "评为“好”的依据不够充分，请予核实。", True,
        "经核实，该项实绩由科室集体完成，本人承担部分工作，申报时表述不够准确。"
        "经考核委员会复核，等次由“好”调整为“较好”。",
        QuarterlyGrade.fairly_good.value,
        "异议复核：公示实绩系集体成果，本人贡献申报不准确，调整为较好"),
    DemoObjection(
        "ganbu2", "该同志本季度曾有一次工作例会缺席，是否影响评为“好”，请核实。", False,
        "经核实，该同志当日按规定请假并经分管领导批准，申报实绩属实，维持原等次。", None),
)


async def publicity_objections(run: DemoYear, period_id: uuid.UUID, quarter: int,
                               day: date) -> None:
    """In the workflow unit's objection quarter: two objections to results rated 好, raised on
    the day after publication (inside the 公示期) and answered two days later, before the
    feedback interviews (which then tell the grade in force)."""
    if run.demo.code != WORKFLOW_UNIT or quarter != OBJECTION_QUARTER:
        return
    raisers = [run.by_username[o.raiser].person_id for o in OBJECTIONS]
    good = await _good_results(run, period_id, [p for p in raisers if p is not None])
    run.clock = _at(day + timedelta(days=1), 15)
    raised = []
    for objection, result_id in zip(OBJECTIONS, good, strict=False):
        raised.append(await objections.raise_objection(
            run.as_(objection.raiser), result_id, objection.reasons,
            objection.named_to_committee))
    run.clock = _at(day + timedelta(days=2), 16)
    for objection, row in zip(OBJECTIONS, raised, strict=False):
        await objections.answer_objection(run.as_("admin"), row.id, objection.answer,
                                          objection.new_grade, objection.grade_reason)


async def _good_results(run: DemoYear, period_id: uuid.UUID,
                        not_of: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """The results rated 好 (lowest ranks first: the closest calls), none of the raisers'."""
    return list((await run.session.scalars(select(PersonResult.id).join(
        Person, Person.id == PersonResult.person_id).where(
        PersonResult.period_id == period_id, PersonResult.grade == QuarterlyGrade.good.value,
        PersonResult.person_id.not_in(not_of)).order_by(
        PersonResult.rank.desc(), Person.employee_no).limit(len(OBJECTIONS)))).all())

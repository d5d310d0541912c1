"""The sign-off chain (逐级审核, issue 17 part 4): a three-level chain (科室负责人 -> 分管领导 ->
考核委员会) on a hand-built tenant: a return at level two goes back to level one with its
reason, grades are confirmed (and publicity allowed) only after the last level, out-of-turn and
wrong-role steps are refused in Chinese, every step is audited; the default one-level chain
behaves as the review always did."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import select, text

from jixiao.settings import Settings
from models import OrgUnit, Period, Person, PersonResult
from tenants.db import make_engine, make_sessionmaker, tenant_transaction
from tests.conftest import Api
from tests.test_ratings_support import ADVANCE

CHAIN = [{"name": "科室负责人", "role": "department_head"},
         {"name": "分管领导", "role": "supervising_leader"},
         {"name": "考核委员会", "role": "committee"}]
STATE = """query($p:ID!){ signoffChain(periodId:$p) { done isDefault levels { index name role }
  scopes { departmentId name level levelName waiting done people canSignOff canReturn
           returnedReason history { level levelName toLevel action actorName note at } } } }"""
SIGN = """mutation($p:ID!,$s:ID,$n:String!){ signOff(periodId:$p, scope:$s, note:$n) {
  chain { done scopes { name level levelName waiting } } userErrors { code message field } } }"""
RETURN = """mutation($p:ID!,$s:ID,$r:String!){ returnSignOff(periodId:$p, scope:$s, reason:$r) {
  chain { scopes { name level levelName returnedReason } } userErrors { code message field } } }"""
REVIEW = ("mutation($i:ReviewGradeInput!){ reviewGrade(input:$i) { result { grade confirmedAt "
          "reasons } userErrors { code message field } } }")
RESULTS = "query($p:ID!){ periodResults(periodId:$p) { nodes { personId grade confirmedAt } } }"
SETTINGS = ("mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:\"逐级审核\") "
            "{ userErrors { code message field } } }")


async def _seed(settings: Settings, code: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """A quarter in 综合研判 with a proposal per person: P001..P004 好, the rest 较好."""
    engine = make_engine(settings.database_url, pooled=False)
    try:
        async with make_sessionmaker(engine)() as probe:
            tid = (await probe.execute(text("SELECT tenant_id_for_code(:c)"),
                                       {"c": code})).scalar_one()
        async with tenant_transaction(make_sessionmaker(engine), tid) as s:
            period = Period(tenant_id=tid, id=uuid.uuid4(), kind="quarter", year=2026,
                            quarter=2, name="2026年第二季度", state="reviewing")
            s.add(period)
            await s.flush()
            units = {u.code: str(u.id) for u in (await s.scalars(select(OrgUnit))).all()}
            people = sorted((await s.scalars(select(Person))).all(), key=lambda p: p.employee_no)
            for rank, person in enumerate(people, start=1):
                s.add(PersonResult(tenant_id=tid, id=uuid.uuid4(), period_id=period.id,
                                   person_id=person.id, unit_id=person.unit_id,
                                   comparison_group=person.comparison_group,
                                   score=Decimal(100 - rank), rank=rank,
                                   proposed_grade="good" if rank <= 4 else "fairly_good",
                                   reasons=[]))
            return str(period.id), units, {p.employee_no: str(p.id) for p in people}
    finally:
        await engine.dispose()


def seeded(api: Api, settings: Settings, code: str, chain: list[dict[str, str]] | None
           ) -> tuple[str, dict[str, str], dict[str, str]]:
    grading: dict[str, Any] = {"score_bands": []}  # these tests pin the quota, not the bands
    doc: dict[str, Any] = {"grading": grading}
    if chain is not None:
        doc["review"] = {"signoff_chain": chain}
    body = api.as_(code, "admin", SETTINGS, {"s": doc})
    assert body["data"]["updateTenantSettings"]["userErrors"] == []
    return asyncio.run(_seed(settings, code))


def test_three_level_chain(api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    period, units, ids = seeded(api, settings, code, CHAIN)
    d1, d2 = units["d1"], units["d2"]

    def sign(user: str, scope: str | None, note: str = "") -> dict[str, Any]:
        return dict(api.as_(code, user, SIGN, {"p": period, "s": scope, "n": note})
                    ["data"]["signOff"])

    def back(user: str, scope: str | None, reason: str) -> dict[str, Any]:
        return dict(api.as_(code, user, RETURN, {"p": period, "s": scope, "r": reason})
                    ["data"]["returnSignOff"])

    def review(user: str, person: str, grade: str, reason: str = "",
               override: bool = False) -> dict[str, Any]:
        return dict(api.as_(code, user, REVIEW, {"i": {
            "periodId": period, "personId": ids[person], "grade": grade, "reason": reason,
            "override": override}})["data"]["reviewGrade"])

    def state(user: str = "admin") -> dict[str, Any]:
        body = api.as_(code, user, STATE, {"p": period})
        assert "errors" not in body, body
        return dict(body["data"]["signoffChain"])

    def scopes(user: str = "admin") -> dict[str, dict[str, Any]]:
        return {s["name"]: s for s in state(user)["scopes"]}

    def refused(payload: dict[str, Any]) -> tuple[str, str]:
        errors = payload["userErrors"]
        assert errors, payload
        return errors[0]["code"], errors[0]["message"]

    start = state()
    assert not start["isDefault"]
    assert not start["done"]
    assert [lv["name"] for lv in start["levels"]] == ["科室负责人", "分管领导", "考核委员会"]
    first = {s["name"]: s for s in start["scopes"]}
    assert list(first) == ["第一科", "第二科", "全单位"]
    assert (first["第一科"]["level"], first["第一科"]["levelName"]) == (0, "科室负责人")
    assert first["第一科"]["people"] == 6
    assert first["第二科"]["people"] == 3
    assert first["全单位"]["waiting"]
    assert first["全单位"]["people"] == 12
    assert scopes("kezhang")["第一科"]["canSignOff"]
    assert not scopes("kezhang")["第二科"]["canSignOff"]
    assert not scopes("fenguan")["第一科"]["canSignOff"]

    # out of turn, wrong department, wrong role: refused in Chinese
    assert refused(sign("fenguan", d1)) == ("NOT_YOUR_TURN", "当前应由科室负责人审核")
    assert refused(sign("kezhang2", d1)) == ("NOT_YOUR_TURN", "当前应由科室负责人审核")
    code_, message = refused(sign("admin", None))
    assert code_ == "NOT_YOUR_TURN"
    assert message == "第一科、第二科尚未完成部门审核，当前应由科室负责人审核"
    assert refused(sign("ganbu", d1))[0] == "FORBIDDEN"
    assert refused(back("kezhang", d1, "无"))[1] == "科室负责人是第一级，没有可退回的上一级"
    # only the last level confirms: confirmGrades is refused while the chain runs
    confirm = api.as_(code, "admin", "mutation($p:ID!){ confirmGrades(periodId:$p) "
                      "{ userErrors { code message } } }", {"p": period})
    assert confirm["data"]["confirmGrades"]["userErrors"][0]["message"] == (
        "本单位实行逐级审核（科室负责人→分管领导→考核委员会），等次在“考核委员会”审核通过后确认")

    # level one changes a grade of its own department, with the review's reasons and rules
    assert refused(review("kezhang", "P008", "average", "失误"))[1] == "当前应由科室负责人审核"
    assert refused(review("kezhang", "P007", "average"))[0] == "INVALID"  # a reason is required
    quota = review("kezhang", "P006", "good", "表现突出")["userErrors"]
    assert quota[0]["message"] == "好等次名额已满：调整后为5名，上限为4名"
    no_override = review("kezhang", "P006", "good", "表现突出", override=True)["userErrors"]
    assert no_override[0]["message"].startswith("科室负责人不能突破规则调整等次")
    changed = review("kezhang", "P007", "average", "季度内两次工作失误")
    assert changed["userErrors"] == []
    assert changed["result"]["grade"] == "average"
    assert changed["result"]["confirmedAt"] is None  # a change is not a confirmation
    assert changed["result"]["reasons"][-1] == (
        "科室负责人：由较好调整为一般，理由：季度内两次工作失误")

    assert sign("kezhang", d1, "已逐一核对")["userErrors"] == []
    assert sign("kezhang2", d2)["userErrors"] == []
    assert refused(sign("kezhang", d1)) == ("NOT_YOUR_TURN", "当前应由分管领导审核")
    assert refused(sign("fenguan2", d1)) == ("NOT_YOUR_TURN", "当前应由分管领导审核")
    level_two = scopes("fenguan")["第一科"]
    assert (level_two["level"], level_two["canSignOff"], level_two["canReturn"]) == (1, True, True)
    assert level_two["history"][0]["note"] == "已逐一核对"  # level two sees what level one did

    # level two returns: back to level one, with its reason, which level one sees
    assert refused(back("fenguan", d1, "  "))[0:1] == ("INVALID",)
    returned = back("fenguan", d1, "一般等次的依据不足，请补充失误记录")
    assert returned["userErrors"] == []
    seen = scopes("kezhang")["第一科"]
    assert (seen["level"], seen["levelName"], seen["canSignOff"]) == (0, "科室负责人", True)
    assert seen["returnedReason"] == "一般等次的依据不足，请补充失误记录"
    assert [(h["action"], h["levelName"], h["toLevel"]) for h in seen["history"]] == [
        ("passed", "科室负责人", 1), ("returned", "分管领导", 0)]
    assert seen["history"][1]["actorName"]
    assert seen["history"][1]["at"]
    assert refused(sign("fenguan", d1))[1] == "当前应由科室负责人审核"

    assert sign("kezhang", d1, "已补充失误记录")["userErrors"] == []
    assert sign("fenguan", d1)["userErrors"] == []
    assert scopes()["全单位"]["waiting"]  # 第二科 is still at its supervising leader
    assert sign("fenguan2", d2, "同意")["userErrors"] == []
    unit = scopes()["全单位"]
    assert (unit["waiting"], unit["levelName"], unit["canSignOff"]) == (False, "考核委员会", True)
    assert refused(sign("fenguan", None))[1] == "当前应由考核委员会审核"

    # nothing confirmed yet: no publicity
    results = api.as_(code, "admin", RESULTS, {"p": period})["data"]["periodResults"]["nodes"]
    assert all(r["confirmedAt"] is None for r in results)
    blocked = api.as_(code, "admin", ADVANCE, {"id": period, "s": "publicizing"})
    assert "还有12人的等次未经综合研判确认" in (
        blocked["data"]["advancePeriod"]["userErrors"][0]["message"])

    # the committee returns 第二科 to its supervising leader, who passes it again
    assert refused(back("admin", None, "理由"))[1] == (
        "考核委员会退回时须选择退回的部门（退回其分管领导）")
    assert back("admin", d2, "请分管领导复核第二科的较好等次")["userErrors"] == []
    again = scopes("fenguan2")
    assert again["第二科"]["levelName"] == "分管领导"
    assert again["第二科"]["returnedReason"] == "请分管领导复核第二科的较好等次"
    assert again["全单位"]["waiting"]
    assert sign("fenguan2", d2, "已复核")["userErrors"] == []

    done = sign("admin", None, "经考核委员会审定")
    assert done["userErrors"] == []
    assert done["chain"]["done"]
    results = api.as_(code, "admin", RESULTS, {"p": period})["data"]["periodResults"]["nodes"]
    assert all(r["confirmedAt"] is not None for r in results)
    grades = {r["personId"]: r["grade"] for r in results}
    assert grades[ids["P007"]] == "average"
    assert grades[ids["P001"]] == "good"
    assert refused(sign("admin", None))[1] == "全单位已完成逐级审核"
    assert refused(review("admin", "P008", "average", "迟到"))[1] == "全单位已完成逐级审核"
    moved = api.as_(code, "admin", ADVANCE, {"id": period, "s": "publicizing"})
    assert moved["data"]["advancePeriod"]["userErrors"] == []

    log = api.as_(code, "admin", "{ auditLog(entity:\"signoff_step\") { action reason after } }")
    actions = sorted(e["action"] for e in log["data"]["auditLog"])
    assert actions == ["signoff.pass"] * 7 + ["signoff.return"] * 2
    assert {e["reason"] for e in log["data"]["auditLog"] if e["action"] == "signoff.return"} == {
        "一般等次的依据不足，请补充失误记录", "请分管领导复核第二科的较好等次"}
    changes = api.as_(code, "admin", "{ auditLog(entity:\"person_result\") { action } }")
    assert sorted(e["action"] for e in changes["data"]["auditLog"]) == (
        ["grade.change"] + ["grade.confirm"] * 12)


def test_default_chain_is_the_review(api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=10)
    period, _units, ids = seeded(api, settings, code, None)
    body = api.as_(code, "admin", STATE, {"p": period})["data"]["signoffChain"]
    assert body["isDefault"]
    assert [lv["name"] for lv in body["levels"]] == ["综合研判"]
    assert [s["name"] for s in body["scopes"]] == ["全单位"]
    # the review confirms at once, as before; department heads do not review
    one = api.as_(code, "admin", REVIEW, {"i": {"periodId": period, "personId": ids["P005"],
                                                "grade": "fairly_good", "reason": ""}})
    assert one["data"]["reviewGrade"]["result"]["confirmedAt"] is not None
    kz = api.as_(code, "kezhang", REVIEW, {"i": {"periodId": period, "personId": ids["P006"],
                                                 "grade": "fairly_good", "reason": ""}})
    assert kz["data"]["reviewGrade"]["userErrors"][0]["code"] == "FORBIDDEN"
    refused = api.as_(code, "kezhang", SIGN, {"p": period, "s": None, "n": ""})
    assert refused["data"]["signOff"]["userErrors"][0]["message"] == "当前应由综合研判审核"
    # the one level's pass is the confirmation of everyone
    passed = api.as_(code, "leader", SIGN, {"p": period, "s": None, "n": "同意"})
    assert passed["data"]["signOff"]["userErrors"] == []
    assert passed["data"]["signOff"]["chain"]["done"]
    results = api.as_(code, "admin", RESULTS, {"p": period})["data"]["periodResults"]["nodes"]
    assert all(r["confirmedAt"] is not None for r in results)
    moved = api.as_(code, "admin", ADVANCE, {"id": period, "s": "publicizing"})
    assert moved["data"]["advancePeriod"]["userErrors"] == []


def test_chain_settings_are_checked(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    for chain, message in (
            ([{"name": "委员会", "role": "committee"},
              {"name": "科室", "role": "department_head"}], "须排在全单位级别之前"),
            ([{"name": "科室", "role": "department_head"}], "最后一级须为全单位级别"),
            ([{"name": "科室", "role": "boss"}], "审核角色只能是"),
            ([], "1到6级"),
            ([{"name": "甲", "role": "committee"}, {"name": "甲", "role": "principal_leader"}],
             "不得重复")):
        body = api.as_(code, "admin", SETTINGS, {"s": {"review": {"signoff_chain": chain}}})
        errors = body["data"]["updateTenantSettings"]["userErrors"]
        assert errors, chain
        assert message in errors[0]["message"], (chain, errors)


def test_access(api: Api, settings: Settings, make_tenant: Any) -> None:
    code, other = make_tenant(people=9), make_tenant(people=9)
    period, _, _ = seeded(api, settings, code, CHAIN)
    anonymous = api.call(STATE, {"p": period})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    elsewhere = api.as_(other, "admin", SIGN, {"p": period, "s": None, "n": ""})
    assert elsewhere["data"]["signOff"]["userErrors"][0]["code"] == "NOT_FOUND"
    staff = api.as_(code, "ganbu", STATE, {"p": period})
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"


INBOX = "{ notifications(first:20) { nodes { event title body link } } }"


def test_recomputing_in_the_middle_of_the_chain_restarts_it(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    """Issue 17: the chain at level two (both departments passed by their heads, one by its
    supervising leader) and the proposals recomputed: the levels decided on numbers that no
    longer hold, so every scope goes back to level one, audited, and the levels that acted are
    told; level two can no longer act, level one acts again."""
    from tests.test_ratings_support import COMPUTE, advance, rate_all, rating_period

    code = make_tenant(people=12)
    body = api.as_(code, "admin", SETTINGS, {"s": {
        "review": {"signoff_chain": CHAIN}, "grading": {"score_bands": []},
        "rating": {"appraise_unmanaged_in_unit": True}}})
    assert body["data"]["updateTenantSettings"]["userErrors"] == []
    period = rating_period(api, settings, code)
    rate_all(settings, code, period, lambda n: Decimal(100 - 3 * int(n[1:])))
    advance(api, code, period, "reviewing")

    def compute() -> None:
        answer = api.as_(code, "admin", COMPUTE, {"p": period, "go": True})
        assert answer["data"]["computeResults"]["userErrors"] == [], answer

    def sign(user: str, scope: str | None) -> dict[str, Any]:
        return dict(api.as_(code, user, SIGN, {"p": period, "s": scope, "n": "同意"})
                    ["data"]["signOff"])

    def scopes(user: str = "admin") -> dict[str, dict[str, Any]]:
        body = api.as_(code, user, STATE, {"p": period})
        return {s["name"]: s for s in body["data"]["signoffChain"]["scopes"]}

    def told(user: str) -> list[dict[str, Any]]:
        nodes = api.as_(code, user, INBOX)["data"]["notifications"]["nodes"]
        return [n for n in nodes if n["event"] == "signoff_restarted"]

    compute()  # before anyone acted: nothing to restart
    units = {s["name"]: s["departmentId"] for s in scopes().values()}
    assert sign("kezhang", units["第一科"])["userErrors"] == []
    assert sign("kezhang2", units["第二科"])["userErrors"] == []
    assert sign("fenguan", units["第一科"])["userErrors"] == []
    at = scopes()
    assert (at["第一科"]["level"], at["第二科"]["level"]) == (2, 1)  # 第二科 at level two
    assert scopes("fenguan2")["第二科"]["canSignOff"]

    compute()
    after = scopes("kezhang")
    assert (after["第一科"]["level"], after["第一科"]["levelName"]) == (0, "科室负责人")
    assert (after["第二科"]["level"], after["第二科"]["levelName"]) == (0, "科室负责人")
    assert after["全单位"]["waiting"]
    assert after["第一科"]["canSignOff"]
    assert after["第一科"]["returnedReason"] is None
    last = after["第一科"]["history"][-1]
    assert (last["action"], last["toLevel"]) == ("restarted", 0)
    assert "逐级审核回到第一级（科室负责人）重新开始" in last["note"]
    assert not scopes("fenguan2")["第二科"]["canSignOff"]
    refused = sign("fenguan2", units["第二科"])["userErrors"]
    assert (refused[0]["code"], refused[0]["message"]) == ("NOT_YOUR_TURN",
                                                           "当前应由科室负责人审核")
    # audited once, with the reason
    log = api.as_(code, "admin", "{ auditLog(entity:\"signoff_step\") { action reason } }")
    restarts = [e for e in log["data"]["auditLog"] if e["action"] == "signoff.restart"]
    assert len(restarts) == 1
    assert "得分和拟定等次已重新计算" in restarts[0]["reason"]
    # the levels that acted are told, once each; nobody else
    for user in ("kezhang", "kezhang2", "fenguan"):
        [notice] = told(user)
        assert notice["title"] == "2026年第一季度逐级审核重新开始"
        assert notice["link"] == "/signoff"
    for user in ("fenguan2", "ganbu", "leader"):
        assert told(user) == []

    # level one acts again; a recompute before anyone acted again restarts nothing more
    compute()
    log = api.as_(code, "admin", "{ auditLog(entity:\"signoff_step\") { action } }")
    assert [e["action"] for e in log["data"]["auditLog"]].count("signoff.restart") == 1
    assert sign("kezhang", units["第一科"])["userErrors"] == []
    assert scopes()["第一科"]["level"] == 1

"""Achievement declarations: limits, sources, deadline, visibility, filters and search."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from jixiao.settings import Settings
from tests.conftest import Api
from tests.factories import seed_plan
from tests.test_periods import advance_to

YEAR = date.today().year
QUARTER = (date.today().month - 1) // 3 + 1
SAVE = ("mutation($p:ID!,$items:[DeclarationItemInput!]!){ saveDeclaration(periodId:$p,"
        "items:$items) { declaration { id status items { position title sourceLabel } } "
        "userErrors { code message field } } }")
SUBMIT = ("mutation($p:ID!){ submitDeclaration(periodId:$p) { declaration { status submittedAt }"
          " userErrors { code message } } }")


class World:
    def __init__(self, api: Api, settings: Settings, make_tenant: Any,
                 deadline: datetime | None = None) -> None:
        self.code = make_tenant(people=12)
        self.ids = asyncio.run(seed_plan(settings, self.code, YEAR))
        extra = {"deadlines": [{"state": "declaring", "at": deadline.isoformat()}]} if (
            deadline) else {}
        body = api.as_(self.code, "admin", "mutation($i:PeriodInput!){ createPeriod(input:$i) "
                       "{ period { id } } }", {"i": {"kind": "quarter", "year": YEAR,
                                                     "quarter": QUARTER, **extra}})
        self.period = body["data"]["createPeriod"]["period"]["id"]
        advance_to(api, self.code, self.period, "declaring")


def item(n: int, task: str | None = None, indicator: str | None = None,
         content: str = "按期办结法律援助案件，群众满意度明显提升。") -> dict[str, Any]:
    return {"title": f"实绩{n}", "content": content, "selfAssessment": "较好完成",
            "taskId": task, "indicatorId": indicator}


@pytest.fixture
def world(api: Api, settings: Settings, make_tenant: Any) -> World:
    return World(api, settings, make_tenant)


def test_declare_from_offered_sources_and_submit(api: Api, world: World) -> None:
    offered = api.as_(world.code, "ganbu", "query($p:ID!){ declarationSources(periodId:$p) { "
                      "tasks { id code sourceLabel } indicators { id code } } }",
                      {"p": world.period})["data"]["declarationSources"]
    assert {t["code"] for t in offered["tasks"]} == {"T1", "T1-1"}
    assert {"GZ01", "GZ02"} <= {i["code"] for i in offered["indicators"]}
    items = [item(1, task=world.ids["mine"]), item(2, indicator=world.ids["work"]),
             item(3, task=world.ids["parent"])]
    saved = api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": items})
    declaration = saved["data"]["saveDeclaration"]["declaration"]
    assert declaration["status"] == "draft"
    assert declaration["items"][0]["sourceLabel"] == "市委决策部署：办理法律援助案件"
    assert declaration["items"][1]["sourceLabel"] == "考核指标：GZ01 重点工作完成"
    submitted = api.as_(world.code, "ganbu", SUBMIT, {"p": world.period})
    assert submitted["data"]["submitDeclaration"]["declaration"]["status"] == "submitted"
    # Still editable before the deadline.
    again = api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": items[:2]})
    assert again["data"]["saveDeclaration"]["declaration"]["status"] == "submitted"


def test_sixth_item_missing_source_and_long_text_are_refused(api: Api, world: World) -> None:
    six = [item(n, task=world.ids["mine"]) for n in range(1, 7)]
    body = api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": six})
    errors = body["data"]["saveDeclaration"]["userErrors"]
    assert errors == [{"code": "LIMIT_EXCEEDED", "message": "每季度最多申报5项实绩，当前6项",
                       "field": "items"}]
    no_source = api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": [item(1)]})
    assert no_source["data"]["saveDeclaration"]["userErrors"] == [{
        "code": "INVALID", "message": "第1项：请注明任务来源（目标任务或考核指标）",
        "field": "items.0.source"}]
    long = api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": [
        item(1, task=world.ids["mine"], content="办" * 301)]})
    assert long["data"]["saveDeclaration"]["userErrors"][0] == {
        "code": "LIMIT_EXCEEDED", "message": "第1项：内容须简明扼要，不超过300字（当前301字）",
        "field": "items.0.content"}
    foreign = api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": [
        item(1, task=world.ids["other"])]})
    assert foreign["data"]["saveDeclaration"]["userErrors"][0]["message"] == (
        "第1项：所选任务不是本人的目标任务")
    mine = api.as_(world.code, "ganbu", "query($p:ID!){ myDeclaration(periodId:$p) { id } }",
                   {"p": world.period})
    assert mine["data"]["myDeclaration"] is None  # nothing was saved


def test_limit_is_tenant_configuration(api: Api, world: World) -> None:
    api.as_(world.code, "admin", "mutation{ updateTenantSettings(settings:{declarations:"
            "{max_items:6}}) { userErrors { code } } }")
    six = [item(n, task=world.ids["mine"]) for n in range(1, 7)]
    body = api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": six})
    assert body["data"]["saveDeclaration"]["userErrors"] == []


def test_after_the_deadline_nothing_is_saved_or_submitted(api: Api, settings: Settings,
                                                          make_tenant: Any) -> None:
    past = datetime.now(UTC) - timedelta(hours=1)
    world = World(api, settings, make_tenant, deadline=past)
    body = api.as_(world.code, "ganbu", SAVE, {"p": world.period,
                                              "items": [item(1, task=world.ids["mine"])]})
    error = body["data"]["saveDeclaration"]["userErrors"][0]
    assert error["code"] == "DEADLINE_PASSED"
    assert error["message"].startswith("实绩申报已于")
    submit = api.as_(world.code, "ganbu", SUBMIT, {"p": world.period})
    assert submit["data"]["submitDeclaration"]["userErrors"][0]["code"] == "DEADLINE_PASSED"


def test_who_sees_declarations_before_publicity(api: Api, world: World) -> None:
    for user, task in (("ganbu", world.ids["mine"]), ("ganbu3", None)):
        items = [item(1, task=task) if task else item(1, indicator=world.ids["work"])]
        api.as_(world.code, user, SAVE, {"p": world.period, "items": items})
        api.as_(world.code, user, SUBMIT, {"p": world.period})
    listing = ("query($p:ID!){ declarations(periodId:$p) { totalCount nodes { id "
               "person { employeeNo } } } }")

    def seen(user: str) -> set[str]:
        nodes = api.as_(world.code, user, listing, {"p": world.period})["data"][
            "declarations"]["nodes"]
        return {n["person"]["employeeNo"] for n in nodes}

    assert seen("admin") == {"P006", "P008"}
    assert seen("kezhang") == {"P006"}  # head of d1
    assert seen("kezhang2") == {"P008"}  # head of d2
    assert seen("fenguan") == {"P006"}  # supervises d1
    assert seen("leader") == {"P006", "P008"}
    assert seen("ganbu") == {"P006"}  # only their own
    assert seen("ganbu2") == set()  # a colleague sees nothing
    assert seen("bangong") == {"P008"}  # the office account is P008's own
    theirs = api.as_(world.code, "admin", listing, {"p": world.period})["data"]["declarations"]
    p006 = next(n["id"] for n in theirs["nodes"] if n["person"]["employeeNo"] == "P006")
    colleague = api.as_(world.code, "ganbu2", "query($id:ID!){ declaration(id:$id) { id } }",
                        {"id": p006})
    assert colleague["data"]["declaration"] is None


def test_filters_search_and_who_has_not_declared(api: Api, world: World) -> None:
    api.as_(world.code, "ganbu", SAVE, {"p": world.period, "items": [
        item(1, task=world.ids["mine"], content="牵头完成社区矫正对象集中教育"),
        item(2, indicator=world.ids["duty"])]})
    api.as_(world.code, "ganbu", SUBMIT, {"p": world.period})
    api.as_(world.code, "ganbu2", SAVE, {"p": world.period, "items": [
        item(1, indicator=world.ids["work"], content="完成普法宣传进社区活动")]})
    query = ("query($p:ID!,$f:DeclarationFilter){ declarations(periodId:$p, filter:$f) "
             "{ totalCount nodes { person { employeeNo } } } }")

    def found(flt: dict[str, Any]) -> set[str]:
        nodes = api.as_(world.code, "admin", query, {"p": world.period, "f": flt})["data"][
            "declarations"]["nodes"]
        return {n["person"]["employeeNo"] for n in nodes}

    assert found({"search": "社区矫正"}) == {"P006"}
    assert found({"search": "普法"}) == {"P007"}
    assert found({"status": "draft"}) == {"P007"}
    assert found({"indicatorCode": "GZ02"}) == {"P006"}
    units = {u["code"]: u["id"] for u in api.as_(world.code, "admin", "{ orgUnits { id code } }")[
        "data"]["orgUnits"]}
    assert found({"unitId": units["d2"]}) == set()
    missing = api.as_(world.code, "kezhang", "query($p:ID!){ undeclaredPeople(periodId:$p) "
                      "{ employeeNo } }", {"p": world.period})["data"]["undeclaredPeople"]
    numbers = {p["employeeNo"] for p in missing}
    assert "P006" not in numbers
    assert "P007" in numbers  # a draft is not a declaration
    assert "P008" not in numbers  # not managed by the head of d1


def test_closed_period_refuses_declarations(api: Api, world: World) -> None:
    for step in ("rating", "reviewing", "publicizing", "feedback", "closed"):
        api.as_(world.code, "admin", "mutation($id:ID!,$s:PeriodState!){ advancePeriod(id:$id,"
                "toState:$s) { userErrors { code } } }", {"id": world.period, "s": step})
    body = api.as_(world.code, "ganbu", SAVE, {"p": world.period,
                                              "items": [item(1, task=world.ids["mine"])]})
    assert body["data"]["saveDeclaration"]["userErrors"][0]["code"] == "FROZEN"


LIMITS = ("query($p:ID!){ declarationSources(periodId:$p) { maxItems titleMaxLength "
          "contentMaxLength selfAssessmentMaxLength } }")


def test_sources_carry_the_tenants_limits_for_the_form(api: Api, world: World,
                                                       make_tenant: Any) -> None:
    mine = api.as_(world.code, "ganbu", LIMITS, {"p": world.period})["data"]["declarationSources"]
    assert mine == {"maxItems": 5, "titleMaxLength": 40, "contentMaxLength": 300,
                    "selfAssessmentMaxLength": 200}
    changed = api.as_(world.code, "admin", "mutation($s:JSON!){ updateTenantSettings(settings:$s)"
                      " { userErrors { message } } }", {"s": {"declarations": {"max_items": 3}}})
    assert changed["data"]["updateTenantSettings"]["userErrors"] == []
    after = api.as_(world.code, "ganbu", LIMITS, {"p": world.period})["data"]
    assert after["declarationSources"]["maxItems"] == 3
    anonymous = api.call(LIMITS, {"p": world.period})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    other = make_tenant(people=12)
    foreign = api.as_(other, "ganbu", LIMITS, {"p": world.period})
    assert foreign.get("data") is None, foreign
    assert foreign["errors"], foreign

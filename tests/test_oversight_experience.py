"""Experience reports and problem suggestions: units submit, the city reads them all, answers and
marks good practices; a unit sees the answers to its own submissions and nothing of another
unit's."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from tests.conftest import Api

CITY = ("cdzzb", "shiwei")
SUBMIT = """mutation($i:ExperienceReportInput!){ submitExperienceReport(input:$i) {
  report { id kind kindLabel stage stageLabel title goodPractice } userErrors { code field } } }"""
OWN = """{ experienceReports { id title stage goodPractice comments { body authorName } } }"""
CITY_LIST = """query($t:[ID!], $k:ExperienceKind, $s:CycleStage, $g:Boolean!){
  cityExperienceReports(tenantIds:$t, kind:$k, stage:$s, goodPracticeOnly:$g) {
    id tenantId tenantCode tenantName kind stage title body goodPractice
    comments { body authorName } } }"""
REVIEW = """mutation($t:ID!,$r:ID!,$c:String!,$g:Boolean){ reviewExperienceReport(tenantId:$t,
  reportId:$r, comment:$c, goodPractice:$g) { report { id goodPractice comments { body } }
  userErrors { code field } } }"""


def submit(api: Api, code: str, user: str, kind: str, stage: str, title: str) -> dict[str, Any]:
    body = api.as_(code, user, SUBMIT, {"i": {"kind": kind, "stage": stage, "title": title,
                                              "body": f"{title}的具体做法和成效"}})
    return body["data"]["submitExperienceReport"]  # type: ignore[no-any-return]


def tenant_id(api: Api, code: str) -> str:
    return str(api.as_(code, "admin", "{ tenant { id } }")["data"]["tenant"]["id"])


@pytest.fixture(scope="module")
def units(api: Api, make_tenant: Any) -> tuple[str, str]:
    return make_tenant(9), make_tenant(9, "industrial_park")


def test_units_submit_the_city_answers_and_each_unit_sees_its_own(
        api: Api, units: tuple[str, str]) -> None:
    a, b = units
    plan = submit(api, a, "admin", "experience", "plan", "岗位责任书逐岗细化")
    assert plan["userErrors"] == []
    assert (plan["report"]["kindLabel"], plan["report"]["stageLabel"]) == ("经验做法", "计划")
    problem = submit(api, a, "leader", "problem", "results_use", "结果运用缺少制度衔接")
    assert problem["userErrors"] == []
    other = submit(api, b, "admin", "experience", "feedback", "反馈谈话正负正")
    assert other["userErrors"] == []
    ids = {tenant_id(api, a): a, tenant_id(api, b): b}

    listed = api.as_(*CITY, CITY_LIST, {"t": list(ids), "g": False})["data"][
        "cityExperienceReports"]
    assert {(r["tenantCode"], r["title"]) for r in listed} == {
        (a, "岗位责任书逐岗细化"), (a, "结果运用缺少制度衔接"), (b, "反馈谈话正负正")}
    only_problems = api.as_(*CITY, CITY_LIST, {"t": list(ids), "k": "problem", "g": False})
    assert [r["title"] for r in only_problems["data"]["cityExperienceReports"]] == [
        "结果运用缺少制度衔接"]

    a_id = next(t for t, code in ids.items() if code == a)
    answered = api.as_(*CITY, REVIEW, {"t": a_id, "r": problem["report"]["id"],
                                       "c": "已纳入全市制度修订", "g": True})
    review = answered["data"]["reviewExperienceReport"]
    assert review["userErrors"] == []
    assert review["report"]["goodPractice"] is True
    assert [c["body"] for c in review["report"]["comments"]] == ["已纳入全市制度修订"]
    good = api.as_(*CITY, CITY_LIST, {"t": list(ids), "g": True})["data"][
        "cityExperienceReports"]
    assert [r["id"] for r in good] == [problem["report"]["id"]]

    own_a = api.as_(a, "admin", OWN)["data"]["experienceReports"]
    assert {r["title"] for r in own_a} == {"岗位责任书逐岗细化", "结果运用缺少制度衔接"}
    answered_a = next(r for r in own_a if r["id"] == problem["report"]["id"])
    assert answered_a["goodPractice"] is True
    assert answered_a["comments"] == [{"body": "已纳入全市制度修订", "authorName": "市委组织部"}]
    own_b = api.as_(b, "admin", OWN)["data"]["experienceReports"]
    assert [r["title"] for r in own_b] == ["反馈谈话正负正"]
    assert own_b[0]["comments"] == []


def test_a_unit_cannot_read_or_answer_another_units_submissions(
        api: Api, units: tuple[str, str], raw_app_connection: psycopg.Connection[Any]) -> None:
    a, b = units
    mine = submit(api, b, "admin", "problem", "evaluate", "多元评价权重难定")["report"]
    b_id = tenant_id(api, b)
    for user in ("admin", "leader"):
        own = api.as_(a, user, OWN)["data"]["experienceReports"]
        assert mine["id"] not in {r["id"] for r in own}
        body = api.as_(a, user, CITY_LIST, {"t": [b_id], "g": False})
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    review = api.as_(a, "admin", REVIEW, {"t": b_id, "r": mine["id"], "c": "冒充答复"})
    assert review["data"]["reviewExperienceReport"]["userErrors"][0]["code"] == "FORBIDDEN"
    # staff neither submit nor read the unit's submissions
    assert submit(api, a, "ganbu", "experience", "plan", "x")["userErrors"][0]["code"] == (
        "FORBIDDEN")
    assert api.as_(a, "ganbu", OWN)["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # the city: another unit's id with this report is not found; nothing was answered
    a_id = tenant_id(api, a)
    wrong = api.as_(*CITY, REVIEW, {"t": a_id, "r": mine["id"], "c": "答复"})
    assert wrong["data"]["reviewExperienceReport"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert api.as_(b, "admin", OWN)["data"]["experienceReports"][0]["comments"] == []
    # below the application: a unit cannot write an answer, nor call the city's functions
    conn = raw_app_connection
    conn.rollback()
    with conn.transaction():
        conn.execute("SELECT set_config('app.tenant_id', %s, true)", (b_id,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("INSERT INTO experience_comments (tenant_id, id, report_id, body, "
                         "author, author_name) VALUES (%s, gen_random_uuid(), %s, 'x', 'x', "
                         "'市委组织部')", (b_id, mine["id"]))
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("UPDATE experience_reports SET good_practice = true")
        for call in ("SELECT * FROM platform_experience_reports(NULL)",
                     "SELECT platform_review_experience(%s, %s, 'x', true, 'x', 'x')"):
            args = (b_id, mine["id"]) if "%s" in call else ()
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute(call, args)


def test_submissions_are_checked(api: Api, units: tuple[str, str]) -> None:
    a, _ = units
    empty = api.as_(a, "admin", SUBMIT, {"i": {"kind": "experience", "stage": "plan",
                                               "title": " ", "body": ""}})
    fields = {e["field"] for e in empty["data"]["submitExperienceReport"]["userErrors"]}
    assert fields == {"title", "body"}
    nothing = api.as_(*CITY, REVIEW, {"t": tenant_id(api, a), "r": "x", "c": " "})
    assert nothing["data"]["reviewExperienceReport"]["userErrors"][0]["code"] == "INVALID"

"""The profile (干部画像): one query, a person's whole history, for whoever may see it, in a
constant number of SQL statements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from jixiao.settings import Settings
from models import Person
from resolvers.context import Context
from resolvers.feedback.profile_sections import PROFILE_SECTIONS
from resolvers.feedback.profile_types import ProfileRecord, ProfileSection
from tests.conftest import Api
from tests.factories import History, PastPeriod, history
from tests.test_feedback import RECORD, interview

PROFILE = """query($p:ID!){ cadreProfile(personId:$p) {
  person { employeeNo name unit { name } managers { kind name } }
  results { id period { name kind year quarter } score rank rankedCount grade gradeLabel }
  interviews { id heldOn resultTold fitRating acknowledged interviewerName
    person { employeeNo } period { name } topics { label covered } improvementPlan { action } }
  resultsUse { kind kindLabel title basis { id periodName gradeLabel } }
  careFlags { kind label year quarter reason basisResultIds }
  careActions { kind personName mentorName startsOn }
  achievements { kind title } commendations { kind title points }
} }"""
OTHERS = ("P001", "P002", "P003", "P004", "P005", "P008", "P009", "P010", "P011", "P012")
USE = """mutation($i:ResultsUseInput!){ recordResultsUse(input:$i) { userErrors { code } } }"""
CARE_ACTION = """mutation($i:CareActionInput!){ recordCareAction(input:$i) {
  userErrors { code } } }"""


def ranked(person: str, grade: str | None, rank: int = 2
           ) -> dict[str, tuple[str | None, int | None]]:
    """P001 first, ``person`` at ``rank``, the other nine 较好 from 3rd on."""
    results: dict[str, tuple[str | None, int | None]] = {
        no: ("fairly_good", i) for i, no in enumerate(OTHERS[1:], start=3)}
    results["P001"] = ("good", 1)
    results[person] = (grade, rank)
    return results


def build(api: Api, settings: Settings, code: str) -> History:
    """P007: 2025 Q1-Q4, the year 2025 and 2026 Q1; P006: 2026 Q1 only."""
    grades = {1: "good", 2: "good", 3: "poor", 4: "average"}
    fits = {1: 4, 2: 4, 3: 4, 4: 2}
    periods = [PastPeriod(2025, q, ranked("P007", g), fits={"P007": fits[q]})
               for q, g in grades.items()]
    periods.append(PastPeriod(2025, None, ranked("P007", "competent")))
    q1 = ranked("P006", "good") | {"P007": ("poor", 12)}  # P007 last of twelve
    periods.append(PastPeriod(2026, 1, q1, state="feedback"))
    past = history(settings, code, periods)
    period = past.periods[(2026, 1)]
    for no in ("P006", "P007"):
        body = api.as_(code, "kezhang", RECORD, {"i": interview(period, past.people[no],
                                                                heldOn="2026-04-08",
                                                                improvementPlan=[{
                                                                    "action": "改进",
                                                                    "followUpOn": "2026-05-01"}])})
        assert body["data"]["recordInterview"]["userErrors"] == [], body
    uses = [("P006", "award", [(2026, 1)]),
            ("P007", "promotion_deferral", [(2025, 3), (2025, None)]),
            ("P007", "post_adjustment", [(2026, 1)]),
            ("P007", "award", [(2025, 1), (2025, 2)])]
    for no, kind, keys in uses:
        body = api.as_(code, "admin", USE, {"i": {
            "kind": kind, "personId": past.people[no], "decidedOn": "2026-04-20", "title": "记录",
            "basis": [past.results[(y, q, no)] for y, q in keys]}})
        assert body["data"]["recordResultsUse"]["userErrors"] == [], body
    for no, mentor in (("P006", "P004"), ("P007", "P004"), ("P007", "P001")):
        body = api.as_(code, "admin", CARE_ACTION, {"i": {
            "kind": "mentoring", "personId": past.people[no], "mentorId": past.people[mentor],
            "startsOn": "2026-04-10"}})
        assert body["data"]["recordCareAction"]["userErrors"] == [], body
    return past


@pytest.fixture(scope="module")
def tenant(api: Api, settings: Settings, make_tenant: Any) -> tuple[str, History]:
    code = make_tenant(people=12)
    return code, build(api, settings, code)


def test_profile_statements_do_not_grow_with_history(api: Api, tenant: tuple[str, History],
                                                     count_statements: list[str]) -> None:
    code, past = tenant
    api.login(code, "admin")
    counts = {}
    for no in ("P006", "P007"):
        count_statements.clear()
        body = api.as_(code, "admin", PROFILE, {"p": past.people[no]})
        assert "errors" not in body, body
        profile = body["data"]["cadreProfile"]
        counts[no] = (len(profile["results"]), len(profile["interviews"]),
                      len(profile["resultsUse"]), len(profile["careActions"]),
                      len(count_statements))
    assert counts["P006"][:4] == (1, 1, 1, 1)
    assert counts["P007"][:4] == (6, 5, 3, 2)
    assert counts["P006"][4] == counts["P007"][4], counts


def test_profile_content(api: Api, tenant: tuple[str, History]) -> None:
    code, past = tenant
    profile = api.as_(code, "admin", PROFILE, {"p": past.people["P007"]})["data"]["cadreProfile"]
    assert [r["period"]["name"] for r in profile["results"]] == [
        "2025年第一季度", "2025年第二季度", "2025年第三季度", "2025年第四季度", "2025年度",
        "2026年第一季度"]
    assert [r["gradeLabel"] for r in profile["results"]] == ["好", "好", "较差", "一般", "称职",
                                                            "较差"]
    assert [(r["rank"], r["rankedCount"]) for r in profile["results"]][-1] == (12, 12)
    # Care flags of every quarter: 2025Q3 好 -> 较差 (three steps); 2025Q4 fit 2; 2026Q1 较差
    # twice in four quarters (2025Q3, 2026Q1), last of twelve, and regressed (一般 -> 较差, one
    # step; 2nd -> 12th, at least 20% of those ranked).
    assert [(f["year"], f["quarter"], f["kind"]) for f in profile["careFlags"]] == [
        (2025, 3, "regressed"), (2025, 4, "low_fit"), (2026, 1, "bottom"),
        (2026, 1, "regressed"), (2026, 1, "long_term_poor")]
    long_term = profile["careFlags"][-1]
    assert long_term["basisResultIds"] == [past.results[(2025, 3, "P007")],
                                           past.results[(2026, 1, "P007")]]
    assert [i["period"]["name"] for i in profile["interviews"]] == [
        "2025年第一季度", "2025年第二季度", "2025年第三季度", "2025年第四季度", "2026年第一季度"]
    assert profile["interviews"][-1]["interviewerName"]
    assert profile["interviews"][0]["interviewerName"] is None  # recorded outside the API
    deferral = next(u for u in profile["resultsUse"] if u["kind"] == "promotion_deferral")
    assert [b["periodName"] for b in deferral["basis"]] == ["2025年第三季度", "2025年度"]
    assert all(a["mentorName"] and a["personName"] for a in profile["careActions"])
    assert (profile["achievements"], profile["commendations"]) == ([], [])


def test_profile_readers(api: Api, tenant: tuple[str, History]) -> None:
    code, past = tenant
    query = "query($p:ID!){ cadreProfile(personId:$p) { person { employeeNo } } }"
    for user in ("ganbu", "kezhang", "fenguan", "leader", "admin"):
        found = api.as_(code, user, query, {"p": past.people["P006"]})["data"]["cadreProfile"]
        assert found == {"person": {"employeeNo": "P006"}}, user
    for user in ("ganbu2", "ganbu3", "kezhang2", "fenguan2", "bangong", "waibu"):
        body = api.as_(code, user, query, {"p": past.people["P006"]})
        assert body["data"]["cadreProfile"] is None, user
    anonymous = api.call(query, {"p": past.people["P006"]})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_profile_sections_are_an_extension_point(api: Api, tenant: tuple[str, History],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    code, past = tenant

    async def commendations(ctx: Context, person: Person) -> Sequence[ProfileRecord]:
        return [ProfileRecord(kind="commendation", title=f"{person.name}获点赞")]

    monkeypatch.setitem(PROFILE_SECTIONS, ProfileSection.commendations, [commendations])
    profile = api.as_(code, "ganbu", PROFILE, {"p": past.people["P006"]})["data"]["cadreProfile"]
    assert [c["kind"] for c in profile["commendations"]] == ["commendation"]
    assert profile["achievements"] == []

"""A four-quarter history (2025) and its year: the care list of the fourth quarter, the results
use candidates of the year, the care actions and the results use ledger, training needs.

Hand-computed expectations (defaults: bottom 10%, regression by one grade step or a rank drop of
at least 20% of those ranked (12 ranked in Q4: 3 places), fit <= 2,
较差 twice in four quarters; promotion: three consecutive 好 and a 优秀 year; rank advancement:
two consecutive 好; deferral: a 较差 quarter or a year below 称职):

    person  Q1          Q2          Q3          Q4 (rank)        year        fit Q4
    P001    fairly_good fairly_good fairly_good fairly_good (4)  competent   4 (1 in Q2)
    P002    fairly_good fairly_good fairly_good fairly_good (8)  competent   4   Q3 rank 2
    P003    good        good        -           good (3)         excellent   4
    P004    good        good        good        good (2)         competent   4
    P005    fairly_good fairly_good fairly_good fairly_good (5)  competent   4
    P006    good        good        good        good (1)         excellent   4
    P007    fairly_good good        good        average (7)      competent   3
    P008    poor        average     poor        average (9)      basic.comp. 4
    P009    fairly_good fairly_good fairly_good fairly_good (6)  competent   2
    P010    fairly_good fairly_good fairly_good poor (10)        competent   4
    P011    average     average     average     average (11=)    competent   4
    P012    fairly_good fairly_good fairly_good average (11=)    competent   4

Care list of Q4: P002 regressed (2nd -> 8th), P007 regressed (好 -> 一般, 4th -> 7th), P008
long-term poor (Q1, Q3), P009 low fit (2), P010 regressed (较好 -> 较差), P011 bottom and
regressed (8th -> 11th), P012 bottom and regressed (较好 -> 一般; 11 ranked and tied at 11 they
share places 11-12). With the old rules (two grade steps, no rank test) only P007, P008, P009,
P010, P011, P012 remain, and a rank drop of 5 places brings back P002 alone.
Candidates 2025: promotion P006; rank advancement P003 (Q1-Q2: the missing Q3 breaks the run),
P004, P006, P007 (Q2-Q3); deferral P008, P010.
"""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.settings import Settings
from tests.conftest import Api
from tests.factories import History, PastPeriod, history

G, F, A, P = "good", "fairly_good", "average", "poor"
QUARTERS: dict[str, tuple[str | None, str | None, str | None, str | None]] = {
    "P001": (F, F, F, F), "P002": (F, F, F, F), "P003": (G, G, None, G), "P004": (G, G, G, G),
    "P005": (F, F, F, F), "P006": (G, G, G, G), "P007": (F, G, G, A), "P008": (P, A, P, A),
    "P009": (F, F, F, F), "P010": (F, F, F, P), "P011": (A, A, A, A), "P012": (F, F, F, A),
}
ANNUAL = {"P003": "excellent", "P006": "excellent", "P008": "basically_competent"}
Q3_ORDER = ["P006", "P002", "P004", "P007", "P001", "P005", "P009", "P011", "P012", "P010",
            "P008"]
Q4_RANKS = {"P006": 1, "P004": 2, "P003": 3, "P001": 4, "P005": 5, "P009": 6, "P007": 7,
            "P002": 8, "P008": 9, "P010": 10, "P011": 11, "P012": 11}
FITS_Q4 = {no: 4 for no in QUARTERS} | {"P009": 2, "P007": 3}
# Dimension scores of Q4 (one line per dimension in the result's explanation).
DIMENSIONS = {"P006": (80, 60, 90), "P007": (70, 65, 85), "P010": (75, 50, 95),
              "P008": (60, 80, 70), "P011": (64, 90, 72)}

CARE = """query($p:ID!){ careList(periodId:$p) { person { employeeNo } flags { kind label year
  quarter reason suggestion basisResultIds } actions { kind mentorName startsOn endsOn } } }"""
CANDIDATES = """query($y:Int!){ resultsUseCandidates(year:$y) { person { employeeNo } kind
  kindLabel reason basis { id periodName grade gradeLabel } } }"""
CARE_ACTION = """mutation($i:CareActionInput!){ recordCareAction(input:$i) { action { id kind
  kindLabel personName mentorName startsOn endsOn flags } userErrors { code message field } } }"""
USE = """mutation($i:ResultsUseInput!){ recordResultsUse(input:$i) { entry { id kind kindLabel
  title basis { id periodName gradeLabel } } userErrors { code message field } } }"""
SETTINGS = """mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:"试行") {
  userErrors { code message } } }"""


def build(settings: Settings, code: str) -> History:
    periods = []
    for q in (1, 2, 3, 4):
        graded = {no: g[q - 1] for no, g in QUARTERS.items() if g[q - 1] is not None}
        if q == 3:
            ranks = {no: i for i, no in enumerate(Q3_ORDER, start=1)}
        elif q == 4:
            ranks = Q4_RANKS
        else:
            ranks = {no: i for i, no in enumerate(sorted(graded), start=1)}
        fits = FITS_Q4 if q == 4 else ({"P001": 1} if q == 2 else {})
        explanations = ({no: [{"kind": "dimension", "source": d, "score": str(s), "text": n}
                              for d, n, s in zip(("difficulty", "innovation", "conduct"),
                                                 ("工作难度", "创新程度", "作风表现"), v,
                                                 strict=True)]
                         + [{"kind": "rater_role", "source": "peer", "delta": "10"}]
                         for no, v in DIMENSIONS.items()} if q == 4 else {})
        periods.append(PastPeriod(2025, q, {no: (g, ranks[no]) for no, g in graded.items()},
                                  state="feedback" if q == 4 else "closed", fits=fits,
                                  explanations=explanations))
    periods.append(PastPeriod(2025, None, {no: (ANNUAL.get(no, "competent"), i)
                                           for i, no in enumerate(sorted(QUARTERS), start=1)}))
    return history(settings, code, periods)


@pytest.fixture(scope="module")
def year(settings: Settings, make_tenant: Any) -> tuple[str, History]:
    code = make_tenant(people=12)
    return code, build(settings, code)


def flags_by_person(body: dict[str, Any]) -> dict[str, set[str]]:
    assert "errors" not in body, body
    return {e["person"]["employeeNo"]: {f["kind"] for f in e["flags"]}
            for e in body["data"]["careList"]}


def test_care_list_matches_the_hand_computed_expectations(api: Api, settings: Settings,
                                                          make_tenant: Any) -> None:
    code = make_tenant(people=12)
    past = build(settings, code)
    q4 = past.periods[(2025, 4)]
    body = api.as_(code, "admin", CARE, {"p": q4})
    assert flags_by_person(body) == {
        "P002": {"regressed"}, "P007": {"regressed"}, "P008": {"long_term_poor"},
        "P009": {"low_fit"}, "P010": {"regressed"}, "P011": {"bottom", "regressed"},
        "P012": {"bottom", "regressed"}}
    entries = {e["person"]["employeeNo"]: e for e in body["data"]["careList"]}
    [regressed] = entries["P007"]["flags"]
    assert regressed["reason"] == ("与2025年第三季度相比，等次由“好”降为“一般”（下降2个等次）；"
                                   "名次由第4名降至第7名（下降3名，达到本季度排名人数12人的20%）")
    assert regressed["basisResultIds"] == [past.results[(2025, 3, "P007")],
                                           past.results[(2025, 4, "P007")]]
    assert entries["P002"]["flags"][0]["reason"] == (
        "与2025年第三季度相比，名次由第2名降至第8名（下降6名，达到本季度排名人数12人的20%）")
    [poor] = entries["P008"]["flags"]
    assert poor["basisResultIds"] == [past.results[(2025, 1, "P008")],
                                      past.results[(2025, 3, "P008")]]
    assert (poor["label"], poor["suggestion"]) == ("长期评价较差", "结对帮带或岗位调整")
    p012 = {f["kind"]: f["reason"] for f in entries["P012"]["flags"]}
    assert "排名第11（并列2人），共12人" in p012["bottom"]
    # 好 -> 较好 style drop of one grade step, flagged by default with its reason.
    assert p012["regressed"] == "与2025年第三季度相比，等次由“较好”降为“一般”（下降1个等次）"
    assert "人岗契合度为2" in entries["P009"]["flags"][0]["reason"]
    # The department head of d1 sees the people of d1 and d1a only; staff see no care list.
    head = flags_by_person(api.as_(code, "kezhang", CARE, {"p": q4}))
    assert set(head) == {"P007", "P009", "P010", "P012"}
    staff = api.as_(code, "ganbu", CARE, {"p": q4})
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The old rules: two grade steps, no rank test.
    api.as_(code, "admin", SETTINGS, {"s": {"care": {"regression_steps": 2,
                                                     "rank_drop_share": "0"}}})
    old = flags_by_person(api.as_(code, "admin", CARE, {"p": q4}))
    assert old == {"P007": {"regressed"}, "P008": {"long_term_poor"}, "P009": {"low_fit"},
                   "P010": {"regressed"}, "P011": {"bottom"}, "P012": {"bottom"}}
    # A configured rank drop of five places: P002 fell from 2nd to 8th.
    api.as_(code, "admin", SETTINGS, {"s": {"care": {"rank_drop": 5}}})
    with_drop = flags_by_person(api.as_(code, "admin", CARE, {"p": q4}))
    assert with_drop["P002"] == {"regressed"}
    assert set(with_drop) - {"P002"} == {"P007", "P008", "P009", "P010", "P011", "P012"}
    # A larger bottom share: floor(12 x 25%) = 3 places (10th, and 11th shared by two).
    api.as_(code, "admin", SETTINGS, {"s": {"care": {"bottom_share": "0.25", "rank_drop": 0}}})
    wider = flags_by_person(api.as_(code, "admin", CARE, {"p": q4}))
    assert {no for no, kinds in wider.items() if "bottom" in kinds} == {"P010", "P011", "P012"}


def test_promotion_candidates_match_the_hand_computed_expectations(
        api: Api, year: tuple[str, History]) -> None:
    code, past = year
    body = api.as_(code, "admin", CANDIDATES, {"y": 2025})
    assert "errors" not in body, body
    found = body["data"]["resultsUseCandidates"]
    by_kind: dict[str, list[str]] = {}
    for c in found:
        by_kind.setdefault(c["kind"], []).append(c["person"]["employeeNo"])
    assert by_kind == {"promotion": ["P006"],
                       "rank_advancement": ["P003", "P004", "P006", "P007"],
                       "promotion_deferral": ["P008", "P010"]}
    promotion = next(c for c in found if c["kind"] == "promotion")
    assert promotion["kindLabel"] == "职务提拔"
    assert [b["id"] for b in promotion["basis"]] == [
        past.results[(2025, q, "P006")] for q in (1, 2, 3, 4, None)]
    assert promotion["reason"] == ("连续4个季度评为“好”（2025年第一季度至2025年第四季度）；"
                                   "年度考核“优秀”（2025年）")
    p003 = next(c for c in found if c["person"]["employeeNo"] == "P003")
    assert [b["periodName"] for b in p003["basis"]] == ["2025年第一季度", "2025年第二季度"]
    p007 = next(c for c in found if c["person"]["employeeNo"] == "P007")
    assert [b["periodName"] for b in p007["basis"]] == ["2025年第二季度", "2025年第三季度"]
    deferral = next(c for c in found if c["person"]["employeeNo"] == "P008")
    assert deferral["reason"] == ("2025年度考核“基本称职”；2025年2个季度评为“较差”"
                                  "（2025年第一季度、2025年第三季度）")
    # The rule is the tenant's: asking for all four quarters 好 drops P003 and P007.
    api.as_(code, "admin", SETTINGS, {"s": {"results_use": {"rank_advancement": {
        "consecutive_good": 4}}}})
    stricter = api.as_(code, "admin", CANDIDATES, {"y": 2025})["data"]["resultsUseCandidates"]
    assert [c["person"]["employeeNo"] for c in stricter if c["kind"] == "rank_advancement"] == [
        "P004", "P006"]
    api.as_(code, "admin", SETTINGS, {"s": {"results_use": {"rank_advancement": {
        "consecutive_good": 2}}}})
    for user in ("kezhang", "ganbu"):
        refused = api.as_(code, user, CANDIDATES, {"y": 2025})
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", user
    assert api.as_(code, "leader", CANDIDATES, {"y": 2025})["data"]["resultsUseCandidates"]


def test_care_actions_follow_the_care_list(api: Api, year: tuple[str, History]) -> None:
    code, past = year
    people = past.people
    mentoring = api.as_(code, "admin", CARE_ACTION, {"i": {
        "kind": "mentoring", "personId": people["P008"], "mentorId": people["P006"],
        "startsOn": "2026-01-05", "flags": ["long_term_poor"], "note": "结对帮带半年"}})
    action = mentoring["data"]["recordCareAction"]["action"]
    assert (action["kindLabel"], action["flags"]) == ("结对帮带", ["long_term_poor"])
    assert action["mentorName"]
    assert action["personName"]
    adjusted = api.as_(code, "admin", CARE_ACTION, {"i": {
        "kind": "post_adjustment", "personId": people["P010"], "startsOn": "2026-02-01",
        "postId": next(p["id"] for p in api.as_(code, "admin", "{ posts { id code } }")[
            "data"]["posts"] if p["code"] == "kz")}})
    assert adjusted["data"]["recordCareAction"]["userErrors"] == []
    # Whoever manages records a follow-up interview for the people they manage only.
    follow_up = {"kind": "follow_up_interview", "startsOn": "2026-01-20", "flags": ["regressed"]}
    ok = api.as_(code, "kezhang", CARE_ACTION, {"i": {**follow_up, "personId": people["P007"]}})
    assert ok["data"]["recordCareAction"]["userErrors"] == []
    other = api.as_(code, "kezhang", CARE_ACTION, {"i": {**follow_up,
                                                         "personId": people["P008"]}})
    assert other["data"]["recordCareAction"]["userErrors"][0]["code"] == "NOT_FOUND"
    staff = api.as_(code, "ganbu", CARE_ACTION, {"i": {**follow_up, "personId": people["P006"]}})
    assert staff["data"]["recordCareAction"]["userErrors"][0]["code"] == "FORBIDDEN"
    no_mentor = api.as_(code, "admin", CARE_ACTION, {"i": {
        "kind": "mentoring", "personId": people["P008"], "startsOn": "2026-01-05"}})
    assert no_mentor["data"]["recordCareAction"]["userErrors"][0]["field"] == "mentorId"
    # The care list shows what follows.
    body = api.as_(code, "admin", CARE, {"p": past.periods[(2025, 4)]})
    entries = {e["person"]["employeeNo"]: e for e in body["data"]["careList"]}
    assert [(a["kind"], a["startsOn"]) for a in entries["P008"]["actions"]] == [
        ("mentoring", "2026-01-05")]
    assert [a["kind"] for a in entries["P007"]["actions"]] == ["follow_up_interview"]
    # The mentoring pair ends.
    ended = api.as_(code, "admin", "mutation($id:ID!){ endCareAction(id:$id, endsOn:"
                    "\"2026-07-05\", note:\"帮带期满\", outcome:\"等次回升\") { action { endsOn } "
                    "userErrors { code } } }", {"id": action["id"]})
    assert ended["data"]["endCareAction"]["action"]["endsOn"] == "2026-07-05"
    listed = api.as_(code, "kezhang", "{ careActions { kind personName } }")["data"]
    assert sorted(a["kind"] for a in listed["careActions"]) == [
        "follow_up_interview", "post_adjustment"]  # P007 and P010 are of d1; P008 is not


def test_results_use_ledger_links_the_results_it_rests_on(api: Api,
                                                         year: tuple[str, History]) -> None:
    code, past = year
    people, results = past.people, past.results
    basis = [results[(2025, q, "P006")] for q in (1, 2, 3, 4, None)]
    done = api.as_(code, "admin", USE, {"i": {
        "kind": "promotion", "personId": people["P006"], "decidedOn": "2026-03-01",
        "title": "提拔为副科长", "basis": basis}})["data"]["recordResultsUse"]
    assert done["userErrors"] == []
    assert done["entry"]["kindLabel"] == "职务提拔"
    assert [b["id"] for b in done["entry"]["basis"]] == basis
    assert done["entry"]["basis"][-1]["gradeLabel"] == "优秀"
    foreign = api.as_(code, "admin", USE, {"i": {
        "kind": "award", "personId": people["P006"], "decidedOn": "2026-03-01", "title": "嘉奖",
        "basis": [results[(2025, 4, "P007")]]}})["data"]["recordResultsUse"]
    assert foreign["userErrors"][0]["message"] == "依据的考核结果须是该人员本人的"
    unknown = api.as_(code, "admin", USE, {"i": {
        "kind": "award", "personId": people["P006"], "decidedOn": "2026-03-01", "title": "嘉奖",
        "basis": ["00000000-0000-0000-0000-000000000009"]}})["data"]["recordResultsUse"]
    assert unknown["userErrors"][0]["code"] == "NOT_FOUND"
    none = api.as_(code, "admin", USE, {"i": {
        "kind": "award", "personId": people["P006"], "decidedOn": "2026-03-01", "title": "嘉奖",
        "basis": []}})["data"]["recordResultsUse"]
    assert none["userErrors"][0]["field"] == "basis"
    deferred = api.as_(code, "admin", USE, {"i": {
        "kind": "promotion_deferral", "personId": people["P008"], "decidedOn": "2026-03-01",
        "title": "暂缓晋升职级一年", "basis": [results[(2025, 1, "P008")],
                                        results[(2025, None, "P008")]]}})
    assert deferred["data"]["recordResultsUse"]["userErrors"] == []
    training = api.as_(code, "admin", USE, {"i": {
        "kind": "training", "unitId": past.units["d1"], "decidedOn": "2026-03-10",
        "title": "创新能力专题培训", "basis": [results[(2025, 4, "P006")],
                                       results[(2025, 4, "P007")]]}})
    assert training["data"]["recordResultsUse"]["userErrors"] == []
    wrong_unit = api.as_(code, "admin", USE, {"i": {
        "kind": "training", "unitId": past.units["d1"], "decidedOn": "2026-03-10",
        "title": "培训", "basis": [results[(2025, 4, "P008")]]}})
    assert wrong_unit["data"]["recordResultsUse"]["userErrors"][0]["field"] == "basis"
    staff = api.as_(code, "ganbu", USE, {"i": {
        "kind": "award", "personId": people["P006"], "decidedOn": "2026-03-01", "title": "嘉奖",
        "basis": basis}})
    assert staff["data"]["recordResultsUse"]["userErrors"][0]["code"] == "FORBIDDEN"
    # Readers: the person their own, whoever manages them, the admin everything.
    query = "{ resultsUse { kind personId } }"
    mine = api.as_(code, "ganbu", query)["data"]["resultsUse"]
    assert mine == [{"kind": "promotion", "personId": people["P006"]}]
    assert api.as_(code, "ganbu2", query)["data"]["resultsUse"] == []
    head = api.as_(code, "kezhang", query)["data"]["resultsUse"]
    # The post adjustment of P010 (d1) recorded from the care list is in the ledger too.
    assert sorted(e["kind"] for e in head) == ["post_adjustment", "promotion", "training"]
    assert len(api.as_(code, "admin", query)["data"]["resultsUse"]) == 4
    # The ledger names whom each entry concerns: a person (with their department) or a unit.
    named = api.as_(code, "admin", "{ resultsUse { kind person { employeeNo unit { code } }"
                    " unit { code } } }")["data"]["resultsUse"]
    by_kind = {e["kind"]: e for e in named}
    assert by_kind["promotion"]["person"] == {"employeeNo": "P006", "unit": {"code": "d1"}}
    assert by_kind["promotion"]["unit"] is None
    assert by_kind["training"] == {"kind": "training", "person": None, "unit": {"code": "d1"}}
    log = api.as_(code, "admin", "{ auditLog(entity:\"results_use_entry\") { action after } }")
    assert len(log["data"]["auditLog"]) == 4


def test_training_needs_from_the_dimension_scores(api: Api, year: tuple[str, History]) -> None:
    code, past = year
    query = """query($p:ID!){ trainingNeeds(periodId:$p) { unit { code } dimensions {
      dimension name mean overallMean gap people basisResultIds } } }"""
    body = api.as_(code, "admin", query, {"p": past.periods[(2025, 4)]})
    assert "errors" not in body, body
    needs = {n["unit"]["code"]: n["dimensions"] for n in body["data"]["trainingNeeds"]}
    assert set(needs) == {"d1", "d2"}
    d1 = [(d["dimension"], d["name"], d["mean"], d["overallMean"], d["gap"], d["people"])
          for d in needs["d1"]]
    assert d1 == [("innovation", "创新程度", "58.33", "69.00", "-10.67", 3),
                  ("difficulty", "工作难度", "75.00", "69.80", "5.20", 3)]
    assert [d["dimension"] for d in needs["d2"]] == ["difficulty", "conduct"]
    assert set(needs["d1"][0]["basisResultIds"]) == {
        past.results[(2025, 4, no)] for no in ("P006", "P007", "P010")}
    assert api.as_(code, "admin", query, {"p": past.periods[(2025, 1)]})[
        "data"]["trainingNeeds"] == []
    refused = api.as_(code, "kezhang", query, {"p": past.periods[(2025, 4)]})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

"""Cross-unit comparison for the city organization department: every figure against a value
computed by hand for two units (and their groups), suppression of small groups, a constant
number of SQL statements, and the privacy boundary (aggregates only, tenants refused).

The scenario is tests/oversight_scenario.py (three synthetic tenants A, B, C; all in 2025).
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from rules.oversight import FIGURES, RAW_MEASURES
from tests.conftest import Api
from tests.oversight_scenario import CITY, World, world

__all__ = ["world"]  # the module's fixture

Q1, Q2, YEAR = "2025Q1", "2025Q2", "2025"
NONE = None

# Every figure, computed by hand from the scenario (None: no data or not applicable).
EXPECTED: dict[tuple[str, str], dict[str, str | None]] = {
    ("A", Q1): {
        "headcount": "12",  # 12 results
        "grade_share_good": "33.3",  # 4 / 12
        "grade_share_fairly_good": "33.3",  # 4 / 12
        "grade_share_average": "16.7",  # 2 / 12
        "grade_share_poor": "16.7",  # 2 / 12
        "grade_share_excellent": NONE, "grade_share_competent": NONE,  # annual only
        "grade_share_basically_competent": NONE, "grade_share_incompetent": NONE,
        "grade_share_not_graded": NONE,
        "top_grade_quota_use": "100.0",  # 4 好 / quota floor(12 * 0.4) = 4
        "declaration_rate": "75.0",  # 9 submitted (P010 a draft) / 12
        "declaration_on_time_rate": "77.8",  # 7 before the deadline / 9
        "items_per_declaration": "2.33",  # (3*3 + 4*2 + 2*2) / 9 = 21 / 9
        "rater_coverage": "75.0",  # 20 assignments, 15 rated (P012 rated P002-P006 only)
        "interview_completion": "83.3",  # 10 / 12
        "commendations_per_100": "25.0",  # 3 confirmed credits / 12 * 100
        "error_notices_per_100": "8.3",  # 1 / 12 * 100
        "overdue_task_rate": "66.7",  # due T1, T2, T3 (T4 cancelled): T2 late, T3 open
        "rectification_days": "15.0",  # T2 20 days (first rectification), T3 10 days
        "care_list_size": "2",  # P012 bottom 1 of 12; P010 fit 2
        "mentoring_coverage": "50.0",  # P012's pair ends 1 March, after the quarter began
        "promotions_per_100": "8.3",  # P001 / 12 * 100
        "deferrals_per_100": "0.0",
        "post_adjustments_per_100": "8.3",  # P012
        "training_per_100": "0.0",
        "bonus_grade_ratio": NONE, "bonus_between_departments": NONE,  # no bonus run
        "bonus_within_departments": NONE,
    },
    ("A", Q2): {
        "headcount": "12", "grade_share_good": "41.7", "grade_share_fairly_good": "25.0",
        "grade_share_average": "16.7", "grade_share_poor": "16.7",
        "top_grade_quota_use": "125.0",  # 5 好 / quota 4: over the quota
        "declaration_rate": "100.0", "declaration_on_time_rate": "100.0",  # no deadline set
        "items_per_declaration": "1.00",
        "rater_coverage": NONE,  # no assignment
        "interview_completion": "100.0",
        "commendations_per_100": "16.7", "error_notices_per_100": "16.7",  # 2 and 2
        "overdue_task_rate": "50.0",  # T5 done without date (not late), T6 late
        "rectification_days": "10.0",  # milestone M1: 15 April -> 25 April
        # P012 bottom and poor twice; P006 好较好 -> 较差 (two steps); P009 fit 1
        "care_list_size": "3",
        "mentoring_coverage": "33.3",  # P006's pair (from July, open); P012's ended
        "promotions_per_100": "8.3",  # P002 rank advancement
        "deferrals_per_100": "8.3", "post_adjustments_per_100": "0.0",
        "training_per_100": "16.7",  # a unit training and a personal one
        "bonus_grade_ratio": NONE, "bonus_between_departments": NONE,
        "bonus_within_departments": NONE,
    },
    ("A", YEAR): {
        "headcount": "12",
        "grade_share_good": NONE, "grade_share_fairly_good": NONE,  # quarterly only
        "grade_share_average": NONE, "grade_share_poor": NONE,
        "grade_share_excellent": "25.0", "grade_share_competent": "58.3",
        "grade_share_basically_competent": "8.3", "grade_share_incompetent": "0.0",
        "grade_share_not_graded": "8.3",
        "top_grade_quota_use": "150.0",  # 3 优秀 / half_up(11 ranked * 0.2) = 2
        "declaration_rate": "0.0", "declaration_on_time_rate": NONE,
        "items_per_declaration": NONE, "rater_coverage": NONE,
        "interview_completion": NONE, "care_list_size": NONE, "mentoring_coverage": NONE,
        "commendations_per_100": "50.0",  # 6 in 2025 (not the one of 2024) / 12 * 100
        "error_notices_per_100": "25.0",  # 3
        "overdue_task_rate": "50.0",  # T2, T3, T6 late of T1, T2, T3, T5, T6, T7
        "rectification_days": "13.3",  # (20 + 10 + 10) / 3
        "promotions_per_100": "16.7", "deferrals_per_100": "8.3",
        "post_adjustments_per_100": "8.3", "training_per_100": "16.7",
        # confirmed run (the draft is ignored): 优秀 5 x 12000, 称职 6 x 10000 (基本称职 1: too
        # few) -> 12000 / 10000; d1 66000 / 6 = 11000, d2 59000 / 6 = 9833.33 -> 1.1186;
        # within: d1 12000 / 10000 = 1.2, d2 12000 / 5000 = 2.4 -> 1.8
        "bonus_grade_ratio": "1.20", "bonus_between_departments": "1.12",
        "bonus_within_departments": "1.80",
    },
    ("B", Q1): {
        "headcount": "10", "grade_share_good": "30.0", "grade_share_fairly_good": "30.0",
        "grade_share_average": "20.0", "grade_share_poor": "20.0",
        "top_grade_quota_use": "100.0",  # 3 好 / floor(10 * 0.30) = 3 (B's own quota)
        "declaration_rate": "80.0",  # 8 / 10
        "declaration_on_time_rate": "87.5",  # 7 / 8
        "items_per_declaration": "3.00",  # 24 / 8
        "rater_coverage": "100.0",  # 8 / 8
        "interview_completion": "50.0",  # 5 / 10
        "commendations_per_100": "10.0", "error_notices_per_100": "10.0",  # 1 and 1 / 10
        "overdue_task_rate": "50.0",  # BT1 done on time, BT2 open past its date
        "rectification_days": "14.0",  # BT2: 15 February -> 1 March
        "care_list_size": "2",  # bottom 20%: floor(10 * 0.2) = 2 places, P009 and P010
        "mentoring_coverage": "50.0",  # P009
        "promotions_per_100": "10.0", "deferrals_per_100": "10.0",  # one each / 10 * 100
        "post_adjustments_per_100": "10.0", "training_per_100": "10.0",
        "bonus_grade_ratio": NONE, "bonus_between_departments": NONE,
        "bonus_within_departments": NONE,
    },
    ("B", YEAR): {
        "headcount": "10", "grade_share_excellent": "50.0", "grade_share_competent": "50.0",
        "grade_share_basically_competent": "0.0", "grade_share_incompetent": "0.0",
        "grade_share_not_graded": "0.0",
        "top_grade_quota_use": "250.0",  # 5 优秀 / half_up(10 * 0.2) = 2
        "declaration_rate": "0.0", "commendations_per_100": "20.0",  # 2 credits in 2025
        "error_notices_per_100": "10.0", "overdue_task_rate": "50.0",
        "rectification_days": "14.0", "promotions_per_100": "10.0", "deferrals_per_100": "10.0",
        "post_adjustments_per_100": "10.0", "training_per_100": "10.0",
        # 优秀 5 x 15000; 称职 4 x 10000 + 7000 = 47000 / 5 = 9400 -> 15000 / 9400 = 1.5957
        # d1 57000 / 5 = 11400, d2 65000 / 5 = 13000 -> 1.1404
        # within: d1 15000 / 7000 = 2.142857, d2 15000 / 10000 = 1.5 -> 1.8214
        "bonus_grade_ratio": "1.60", "bonus_between_departments": "1.14",
        "bonus_within_departments": "1.82",
    },
}
# The county bureaus in the first quarter: A and C together (C: 9 people, 2 好, no other data).
COUNTY_Q1 = {
    "headcount": "21", "grade_share_good": "28.6",  # (4 + 2) / 21
    "top_grade_quota_use": "85.7",  # 6 / (4 + floor(9 * 0.4) = 3)
    "declaration_rate": "42.9",  # 9 / 21
    "declaration_on_time_rate": "77.8", "rater_coverage": "75.0",
    "interview_completion": "47.6",  # 10 / 21
    "commendations_per_100": "14.3",  # 3 / 21 * 100
    "care_list_size": "3",  # A: 2; C: bottom 1 of 9
    "mentoring_coverage": "33.3",  # 1 / 3
}

COMPARE = """query($t:[ID!], $p:[OversightPeriodInput!]!){ oversightComparison(tenantIds:$t,
  periods:$p) { minGroupSize periods { key label } units { id code group }
  rows { period { key } unit { code } suppressed unitCount
         figures { code value suppressed numerator denominator } }
  groups { period { key } group suppressed unitCount figures { code value suppressed } } } }"""
PERIODS = [{"year": 2025, "quarter": 1}, {"year": 2025, "quarter": 2}, {"year": 2025}]


def compare(api: Api, tenants: list[str] | None, periods: list[dict[str, int]]
            ) -> dict[str, Any]:
    body = api.as_(*CITY, COMPARE, {"t": tenants, "p": periods})
    assert "errors" not in body, body
    return body["data"]["oversightComparison"]  # type: ignore[no-any-return]


def by_unit(data: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r["unit"]["code"], r["period"]["key"]): r for r in data["rows"]}


def figures(row: dict[str, Any]) -> dict[str, str | None]:
    return {f["code"]: f["value"] for f in row["figures"]}


def test_every_figure_equals_the_hand_computed_value(api: Api, world: World) -> None:
    data = compare(api, [world.ids[world.a], world.ids[world.b], world.ids[world.c]], PERIODS)
    assert data["minGroupSize"] == 5
    assert [p["key"] for p in data["periods"]] == [Q1, Q2, YEAR]
    rows = by_unit(data)
    code = {"A": world.a, "B": world.b}
    for (unit, key), expected in EXPECTED.items():
        got = figures(rows[(code[unit], key)])
        for figure, value in expected.items():
            assert got[figure] == value, (unit, key, figure, got[figure], value)
    # every figure of the registry is checked against a hand value for at least two units
    for figure in FIGURES:
        units = {unit for (unit, _), expected in EXPECTED.items()
                 if expected.get(figure.code) is not None}
        assert units >= {"A", "B"}, figure.code
    # numerator and denominator are shown with the value
    decl = next(f for f in rows[(world.a, Q1)]["figures"] if f["code"] == "declaration_rate")
    assert (decl["numerator"], decl["denominator"]) == ("9", "12")


def test_figures_by_kind_of_unit(api: Api, world: World) -> None:
    data = compare(api, [world.ids[world.a], world.ids[world.b], world.ids[world.c]], PERIODS)
    groups = {(g["group"], g["period"]["key"]): g for g in data["groups"]}
    county = groups[("county_bureau", Q1)]
    assert county["unitCount"] == 2
    got = figures(county)
    for figure, value in COUNTY_Q1.items():
        assert got[figure] == value, (figure, got[figure], value)
    town = figures(groups[("town", Q1)])  # B alone
    assert town == figures(by_unit(data)[(world.b, Q1)])
    assert groups[("county_bureau", YEAR)]["unitCount"] == 1  # C has no annual period
    assert figures(groups[("county_bureau", YEAR)]) == figures(by_unit(data)[(world.a, YEAR)])
    commission = groups[("commission", Q1)]  # no unit of that kind: no data, not hidden
    assert commission["unitCount"] == 0
    assert commission["suppressed"] is False
    assert all(f["value"] is None for f in commission["figures"])


def test_a_group_below_the_minimum_size_is_suppressed(
        api: Api, world: World, raw_app_connection: psycopg.Connection[Any]) -> None:
    data = compare(api, [world.ids[world.b]], PERIODS)
    row = by_unit(data)[(world.b, Q2)]  # three people
    assert row["suppressed"] is True
    assert all(f["value"] is None and f["suppressed"] and f["numerator"] is None
               for f in row["figures"])
    town_q2 = next(g for g in data["groups"] if g["group"] == "town"
                   and g["period"]["key"] == Q2)
    assert town_q2["suppressed"] is True
    assert town_q2["unitCount"] == 0
    # below the application: the function answers "suppressed" and no measure at all
    answer = platform_answer(raw_app_connection, [world.ids[world.b]], [Q2])
    assert [(m, v) for _, _, m, v in answer if m != "min_group_size"] == [("suppressed", 1)]


def test_the_minimum_group_size_is_a_platform_setting(api: Api, world: World) -> None:
    change = ("mutation($v:Int!){ setOversightMinGroupSize(value:$v, reason:\"按规定调整\") "
              "{ settings { minGroupSize } userErrors { code field } } }")
    refused = api.as_(world.a, "admin", change, {"v": 2})["data"]["setOversightMinGroupSize"]
    assert refused["userErrors"][0]["code"] == "FORBIDDEN"
    too_small = api.as_(*CITY, change, {"v": 1})["data"]["setOversightMinGroupSize"]
    assert too_small["userErrors"][0]["field"] == "value"
    try:
        done = api.as_(*CITY, change, {"v": 11})["data"]["setOversightMinGroupSize"]
        assert done["settings"]["minGroupSize"] == 11
        data = compare(api, [world.ids[world.a], world.ids[world.b], world.ids[world.c]],
                       [{"year": 2025, "quarter": 1}])
        rows = by_unit(data)
        assert data["minGroupSize"] == 11
        assert rows[(world.a, Q1)]["suppressed"] is False  # 12 people
        assert rows[(world.b, Q1)]["suppressed"] is True  # 10
        assert rows[(world.c, Q1)]["suppressed"] is True  # 9
        county = next(g for g in data["groups"] if g["group"] == "county_bureau")
        assert county["unitCount"] == 1  # C left out, so no subtraction reveals it
        assert figures(county)["headcount"] == "12"
    finally:
        api.as_(*CITY, change, {"v": 5})
    assert api.as_(*CITY, "{ oversightSettings { minGroupSize } }")["data"][
        "oversightSettings"]["minGroupSize"] == 5


def platform_answer(conn: psycopg.Connection[Any], tenants: list[str], periods: list[str]
                    ) -> list[tuple[Any, ...]]:
    """The function's raw rows, called as the application role in the platform scope."""
    conn.rollback()
    with conn.transaction():
        conn.execute("SELECT set_config('app.scope', 'platform', true)")
        return conn.execute(
            "SELECT tenant, period_key, measure, value FROM platform_figures(%s::uuid[], "
            "%s::text[], '{}'::jsonb) ORDER BY 1, 2, 3", (tenants, periods)).fetchall()


def test_the_function_answers_counts_only_and_only_in_the_platform_scope(
        world: World, raw_app_connection: psycopg.Connection[Any]) -> None:
    conn = raw_app_connection
    answer = platform_answer(conn, [world.ids[world.a], world.ids[world.b]], [Q1, Q2, YEAR])
    allowed = set(RAW_MEASURES) | {"suppressed", "min_group_size"}
    assert {m for _, _, m, _ in answer} <= allowed
    assert {str(t) for t, *_ in answer if t is not None} == {world.ids[world.a],
                                                            world.ids[world.b]}
    # the caller's own tenant setting is restored after the loop
    with conn.transaction():
        conn.execute("SELECT set_config('app.scope', 'platform', true), "
                     "set_config('app.tenant_id', %s, true)", (world.ids[world.c],))
        conn.execute("SELECT count(*) FROM platform_figures(%s::uuid[], %s::text[], "
                     "'{}'::jsonb)", ([world.ids[world.a]], [Q1])).fetchone()
        assert conn.execute("SELECT current_setting('app.tenant_id')").fetchone() == (
            world.ids[world.c],)
    for scope in ("tenant", ""):
        with conn.transaction():
            conn.execute("SELECT set_config('app.scope', %s, true), "
                         "set_config('app.tenant_id', %s, true)", (scope, world.ids[world.a]))
            with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
                conn.execute("SELECT * FROM platform_figures(%s::uuid[], %s::text[], "
                             "'{}'::jsonb)", ([world.ids[world.b]], [Q1]))


def test_the_platform_role_reads_no_person_declaration_or_rating(
        api: Api, world: World, raw_app_connection: psycopg.Connection[Any]) -> None:
    admin = api.as_(world.a, "admin", """query($p:ID!){ people(first:1) { edges { node { id } } }
      declarations(periodId:$p) { nodes { id } } raterAssignments(periodId:$p) { id personId }
      }""", {"p": world.periods[world.a]["2025年第1季度"]})
    assert "errors" not in admin, admin
    person = admin["data"]["people"]["edges"][0]["node"]["id"]
    declaration = admin["data"]["declarations"]["nodes"][0]["id"]
    rated = admin["data"]["raterAssignments"][0]["personId"]
    period = world.periods[world.a]["2025年第1季度"]
    probes = {
        "person": ("query($id:ID!){ person(id:$id) { id name } }", {"id": person}),
        "declaration": ("query($id:ID!){ declaration(id:$id) { id } }", {"id": declaration}),
        "declarations": ("query($p:ID!){ declarations(periodId:$p) { totalCount } }",
                         {"p": period}),
        "raterAssignments": ("query($p:ID!){ raterAssignments(periodId:$p) { id } }",
                             {"p": period}),
        "ratingForm": ("query($p:ID!,$q:ID!){ ratingForm(periodId:$p, personId:$q) "
                       "{ personId } }", {"p": period, "q": rated}),
        "personResult": ("query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) "
                         "{ grade } }", {"p": period, "q": rated}),
        "feedbackInterview": ("query($p:ID!,$q:ID!){ feedbackInterview(periodId:$p, "
                              "personId:$q) { id } }", {"p": period, "q": rated}),
    }
    for field, (query, variables) in probes.items():
        body = api.as_(*CITY, query, variables)
        if "errors" in body:
            assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "NOT_FOUND"), field
            continue
        assert body["data"][field] in (None, [], {"totalCount": 0}), (field, body)
    people = api.as_(*CITY, "{ people(first:200) { totalCount } }")
    assert people["data"]["people"]["totalCount"] == 0
    # below the application: the platform scope set, RLS still confines every person table
    conn = raw_app_connection
    conn.rollback()
    with conn.transaction():
        city = conn.execute("SELECT tenant_id_for_code('cdzzb')").fetchone()
        assert city
        conn.execute("SELECT set_config('app.scope', 'platform', true), "
                     "set_config('app.tenant_id', %s, true)", (str(city[0]),))
        for table in ("people", "declarations", "declaration_items", "rater_assignments",
                      "ratings", "person_results", "feedback_interviews", "bonus_lines"):
            # nothing of another tenant (the overseer's own staff rows stay its own)
            seen = {r[0] for r in conn.execute(f"SELECT DISTINCT tenant_id FROM {table}")}
            assert seen <= {city[0]}, table
            assert conn.execute(f"SELECT count(*) FROM {table} WHERE tenant_id = %s",
                                (world.ids[world.a],)).fetchone() == (0,), table


def test_a_tenant_user_cannot_run_the_cross_unit_queries(api: Api, world: World) -> None:
    for user in ("admin", "leader", "ganbu"):
        body = api.as_(world.a, user, COMPARE, {"t": None, "p": PERIODS})
        assert body["data"] is None or body["data"].get("oversightComparison") is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    for query in ("{ oversightSettings { minGroupSize } }",
                  "{ cityExperienceReports { id } }", "{ citySharedReports { id } }"):
        body = api.as_(world.a, "admin", query)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (query, body)
    started = api.as_(world.a, "admin", "mutation{ startCityReport(input:{periods:[{year:2025,"
                      "quarter:1}]}) { job { id } userErrors { code } } }")
    assert started["data"]["startCityReport"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert api.call(COMPARE, {"t": None, "p": PERIODS})["errors"][0]["extensions"][
        "code"] == "UNAUTHENTICATED"
    # the definitions are public documentation: every user reads the same registry
    defs = api.as_(world.a, "ganbu", "{ oversightFigureDefinitions { code name definition "
                   "numerator denominator unit } }")["data"]["oversightFigureDefinitions"]
    assert [d["code"] for d in defs] == [f.code for f in FIGURES]


def test_the_care_list_figure_is_the_care_list(api: Api, world: World) -> None:
    """The SQL of the care list figure gives the count of the tenant's own care list."""
    data = by_unit(compare(api, [world.ids[world.a], world.ids[world.b]],
                           [{"year": 2025, "quarter": 1}, {"year": 2025, "quarter": 2}]))
    for code, name, key in ((world.a, "2025年第1季度", Q1), (world.a, "2025年第2季度", Q2),
                            (world.b, "2025年第1季度", Q1)):
        listed = api.as_(code, "admin", "query($p:ID!){ careList(periodId:$p) { person "
                         "{ employeeNo } } }", {"p": world.periods[code][name]})
        assert "errors" not in listed, listed
        assert figures(data[(code, key)])["care_list_size"] == str(
            len(listed["data"]["careList"])), (code, key)


def test_the_comparison_runs_in_a_constant_number_of_statements(
        api: Api, count_statements: list[str]) -> None:
    demo = [t for t in api.as_(*CITY, "{ platformTenants { id code kind } }")["data"][
        "platformTenants"] if t["code"] in {"cdjw", "wjgx", "gtlg", "qlsfj", "djyzzb", "hsz",
                                            "xhjd", "cdzzb"}]
    assert len(demo) == 8
    api.login(*CITY)
    quarters = [{"year": 2026, "quarter": q} for q in (1, 2, 3, 4)]
    counts = []
    for tenants, periods in (([t["id"] for t in demo[:2]], quarters[:1]),
                             ([t["id"] for t in demo], quarters),
                             (None, quarters)):
        count_statements.clear()
        data = compare(api, tenants, periods)
        counts.append(len(count_statements))
        assert len(data["periods"]) == len(periods)
    assert len(by_unit(compare(api, [t["id"] for t in demo], quarters))) == 7 * 4
    assert counts[0] == counts[1] == counts[2], counts


OPEN = """query($t:[ID!], $p:[OversightPeriodInput!]!){ oversightComparison(tenantIds:$t,
  periods:$p) { rows { period { key } unit { code } periodState periodStateLabel periodOpen
  openUnitCount } groups { period { key } group periodOpen openUnitCount } } }"""


def test_units_whose_period_is_still_open_are_marked(api: Api, world: World,
                                                     make_tenant: Any) -> None:
    fresh = make_tenant(people=9, kind="township")
    made = api.as_(fresh, "admin", "mutation{ createPeriod(input:{kind:quarter,year:2025,"
                   "quarter:1}) { period { id } userErrors { message } } }")
    assert made["data"]["createPeriod"]["userErrors"] == [], made
    fresh_id = api.as_(fresh, "admin", "{ tenant { id } }")["data"]["tenant"]["id"]
    body = api.as_(*CITY, OPEN, {"t": [world.ids[world.a], fresh_id],
                                 "p": [{"year": 2025, "quarter": 1}, {"year": 2025}]})
    assert "errors" not in body, body
    rows = {(r["unit"]["code"], r["period"]["key"]): r
            for r in body["data"]["oversightComparison"]["rows"]}
    assert rows[(world.a, Q1)] | {"unit": None, "period": None} == {
        "unit": None, "period": None, "periodState": "closed", "periodStateLabel": "已关闭",
        "periodOpen": False, "openUnitCount": 0}
    assert rows[(fresh, Q1)]["periodState"] == "planning"
    assert rows[(fresh, Q1)]["periodOpen"]
    assert rows[(fresh, Q1)]["openUnitCount"] == 1
    assert rows[(fresh, YEAR)]["periodState"] is None
    assert not rows[(fresh, YEAR)]["periodOpen"]
    town = next(g for g in body["data"]["oversightComparison"]["groups"]
                if g["group"] == "town" and g["period"]["key"] == Q1)
    assert town["periodOpen"]
    assert town["openUnitCount"] == 1

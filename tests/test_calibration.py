"""Calibration (校准, issue 17 part 3), acceptance: on a hand-built period one lenient rater is
flagged and nobody else; each department's distribution is shown against its quota; with the
normalisation on, the scores equal a hand-computed normalisation (Fractions, by hand here).

The period (county_bureau template: two rated indicators for everyone, four dimensions weighted
50/20/15/15 and rated by every role): every rater gives the same value per dimension
(任务完成 82, 工作难度 78, 创新程度 80, 作风表现 80), except one peer rater who adds 12 to each.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from jixiao.settings import Settings
from models import Period, Person, RaterAssignment, Tenant
from resolvers.appraisal import ratings
from resolvers.appraisal.scoring import load_period_scheme
from resolvers.context import Context
from tests.appraisal_data import people_ids, seed_results
from tests.conftest import Api
from tests.test_grading_review import without_score_bands
from tests.test_ratings_support import (
    ASSIGNMENTS,
    COMPUTE,
    advance,
    in_tenant,
    person_actor,
    rating_period,
)

DIMENSIONS = {"task_completion": Decimal(82), "difficulty": Decimal(78),
              "innovation": Decimal(80), "conduct": Decimal(80)}
DIMENSION_WEIGHTS = {"task_completion": Fraction(50, 100), "difficulty": Fraction(20, 100),
                     "innovation": Fraction(15, 100), "conduct": Fraction(15, 100)}
ROLE_WEIGHTS = {"department_head": 40, "supervising_leader": 20, "principal_leader": 15,
                "peer": 15, "subordinate": 10}
SHIFT = Decimal(12)

CALIBRATION = """query($p:ID!){ calibration(periodId:$p) { periodName topGrade topGradeLabel
  quotaBasis unitHeadcount unitGrades { grade count percent }
  departments { departmentId name headcount quota topCount overQuota
    grades { grade label count percent unitPercent } }
  raters { personId name role roleLabel ratings mean deviation unitMean unitDeviation z
    tendency tendencyLabel flagged }
  flagDistance minRatings normalize } }"""
RESULT = """query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) { score
  explanation { kind source text } } }"""


def rate(settings: Settings, code: str, period: str, lenient: str) -> int:
    """Every assigned rater fills their form through the rating use case; ``lenient`` (a person
    id) adds ``SHIFT`` to every value they give as a peer."""

    async def run(session: Any) -> int:
        pid = uuid.UUID(period)
        by_id = {p.id: p for p in (await session.scalars(select(Person))).all()}
        tenant = await session.get(Tenant, next(iter(by_id.values())).tenant_id)
        count = 0
        for assignment in (await session.scalars(select(RaterAssignment).where(
                RaterAssignment.period_id == pid))).all():
            rater, ratee = by_id[assignment.rater_id], by_id[assignment.person_id]
            ctx = Context(session=session, settings=settings.use_cases(),
                          actor=person_actor(rater, tenant.kind))
            scheme = await load_period_scheme(ctx, await session.get(Period, (tenant.id, pid)))
            shift = (SHIFT if str(rater.id) == lenient and assignment.role == "peer"
                     else Decimal(0))
            cells = [ratings.CellInput(node.id, dim.code, DIMENSIONS[dim.code] + shift)
                     for node in scheme.rated_for(ratee)
                     for dim in scheme.dimensions_for(assignment.role)]
            assert len(cells) == 8  # 2 indicators x 4 dimensions, as the hand computation says
            await ratings.save_ratings(ctx, pid, ratee.id, cells)
            count += 1
        return count

    return in_tenant(settings, code, run)


def settings_update(api: Api, code: str, document: str) -> None:
    body = api.as_(code, "admin", f"mutation{{ updateTenantSettings(settings:{document}, "
                   "reason:\"校准测试\") { userErrors { code message } } }")
    assert body["data"]["updateTenantSettings"]["userErrors"] == []


def sqrt(value: Fraction) -> Fraction:
    with localcontext(prec=80):
        return Fraction((Decimal(value.numerator) / Decimal(value.denominator)).sqrt())


def test_calibration_flags_the_lenient_rater_and_normalises(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=14)
    without_score_bands(api, code)
    period = rating_period(api, settings, code)
    assignments = api.as_(code, "admin", ASSIGNMENTS, {"p": period})["data"]["raterAssignments"]
    peers = Counter(a["raterId"] for a in assignments if a["role"] == "peer")
    lenient = min(peers, key=lambda r: (peers[r], r))  # a peer rater with few forms
    assert rate(settings, code, period, lenient) == len(assignments)

    # before any result: the raters are there, no department yet
    early = api.as_(code, "admin", CALIBRATION, {"p": period})["data"]["calibration"]
    assert early["departments"] == []
    advance(api, code, period, "reviewing")
    computed = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert computed["userErrors"] == []
    view = api.as_(code, "leader", CALIBRATION, {"p": period})["data"]["calibration"]

    # --- one lenient rater, nobody else flagged
    flagged = [(r["personId"], r["role"], r["tendency"], r["tendencyLabel"])
               for r in view["raters"] if r["flagged"]]
    assert flagged == [(lenient, "peer", "lenient", "宽松")]
    assert {r["tendency"] for r in view["raters"] if r["personId"] != lenient} == {"typical"}
    # the lenient rater's figures, by hand: 8 values per form, mean 80 + 12, spread of the
    # four dimension values (82, 78, 80, 80 -> variance 2)
    mine = next(r for r in view["raters"] if r["personId"] == lenient and r["role"] == "peer")
    p = Fraction(peers[lenient], sum(peers.values()))  # the lenient share of the peer values
    assert mine["ratings"] == 8 * peers[lenient]
    assert (Decimal(mine["mean"]), Decimal(mine["deviation"])) == (Decimal("92.00"),
                                                                    Decimal("1.41"))
    unit_variance = 2 + 144 * p * (1 - p)
    assert Decimal(mine["unitMean"]) == round_half_up(80 + 12 * p)
    assert Decimal(mine["z"]) == round_half_up(12 * (1 - p) / sqrt(unit_variance))
    assert (view["flagDistance"], view["minRatings"], view["normalize"]) == ("1.0", 3, False)

    # --- each department's distribution against its quota
    ids = people_ids(api, code)
    unit_of = {p["id"]: p["unitId"] for p in ids.values()}
    grades: dict[str, list[str]] = defaultdict(list)
    for r in computed["results"]:
        if r["status"] == "appraised":
            grades[unit_of[r["personId"]]].append(r["proposedGrade"])
    shown = {d["departmentId"]: d for d in view["departments"]}
    assert set(shown) == set(grades)
    assert view["quotaBasis"] == "按单位比例折算的名额（参考）"
    assert view["unitHeadcount"] == sum(len(g) for g in grades.values())
    for unit, members in grades.items():
        d = shown[unit]
        n = len(members)
        assert d["headcount"] == n
        assert {g["grade"]: g["count"] for g in d["grades"]} == {
            g: members.count(g) for g in ("good", "fairly_good", "average", "poor")}
        assert d["quota"] == max(1, n * 40 // 100)  # the unit's 40%, at least 1
        assert d["topCount"] == members.count("good")
        assert d["overQuota"] == (members.count("good") > d["quota"])
    assert {g["grade"]: g["count"] for g in view["unitGrades"]} == {
        g: sum(m.count(g) for m in grades.values())
        for g in ("good", "fairly_good", "average", "poor")}

    # --- with the normalisation on, the scores equal the hand-computed normalisation
    settings_update(api, code, "{calibration:{normalize:true}}")
    renormalised = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert renormalised["userErrors"] == []
    roles_of: dict[str, set[str]] = defaultdict(set)
    for a in assignments:
        roles_of[a["personId"]].add(a["role"])
    # Each rater's value for dimension d is v_d (+12 for the lenient one): every rater of a role
    # has mean 80 (+12) and variance 2 over their values, so x' = U + (v_d - 80) * f, the same
    # for every rater of the role. Peers: U = 80 + 12p, f = sqrt((2 + 144p(1-p)) / 2); other
    # roles: U = 80, f = 1 (x' = x). Per role the weighted dimensions give
    # sum_d w_d x'_d = U + f * sum_d w_d (v_d - 80) = U + 0.6 f.
    lean = sum((w * (Fraction(DIMENSIONS[d]) - 80) for d, w in DIMENSION_WEIGHTS.items()),
               Fraction(0))
    assert lean == Fraction(3, 5)
    f = sqrt(unit_variance / 2)
    by_role = {role: Fraction(80) + lean for role in ROLE_WEIGHTS}
    by_role["peer"] = 80 + 12 * p + lean * f
    checked = 0
    for r in renormalised["results"]:
        if r["status"] != "appraised":
            continue
        present = roles_of[r["personId"]]
        total = sum((Fraction(ROLE_WEIGHTS[role]) * by_role[role] for role in present),
                    Fraction(0)) / sum(ROLE_WEIGHTS[role] for role in present)
        assert Decimal(r["score"]) == round_half_up(total), r
        checked += 1
    assert checked >= 10
    # the lenient rater no longer lifts anyone: people rated by the same roles score the same
    by_roles: dict[frozenset[str], set[str]] = defaultdict(set)
    for r in renormalised["results"]:
        if r["status"] == "appraised":
            by_roles[frozenset(roles_of[r["personId"]])].add(r["score"])
    assert all(len(scores) == 1 for scores in by_roles.values())
    before: dict[frozenset[str], set[str]] = defaultdict(set)
    for r in computed["results"]:
        if r["status"] == "appraised":
            before[frozenset(roles_of[r["personId"]])].add(r["score"])
    assert any(len(scores) > 1 for scores in before.values())  # it did before
    rated_by_lenient = next(a["personId"] for a in assignments
                            if a["raterId"] == lenient and a["role"] == "peer")
    result = api.as_(code, "admin", RESULT, {"p": period, "q": rated_by_lenient})["data"][
        "personResult"]
    lines = [line["text"] for line in result["explanation"] if line["kind"] == "normalization"]
    assert lines[0].startswith("本周期评分已按评价人校准")
    assert any("同级评价人" in t and "原评分 94.00" in t and "校准后" in t for t in lines)
    assert all(lenient not in line["source"] for line in result["explanation"])  # anonymous

    # --- off again: every score back to the ratings as given
    settings_update(api, code, "{calibration:{normalize:false}}")
    again = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert sorted((r["personId"], r["score"]) for r in again["results"]) == sorted(
        (r["personId"], r["score"]) for r in computed["results"])


def round_half_up(value: Fraction) -> Decimal:
    with localcontext(prec=80):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_who_may_read_the_calibration(api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=10)
    period = rating_period(api, settings, code)
    assert api.as_(code, "admin", CALIBRATION, {"p": period})["data"]["calibration"][
        "raters"] == []
    for user in ("ganbu", "kezhang", "fenguan"):
        refused = api.as_(code, user, CALIBRATION, {"p": period})
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN", user
    anonymous = api.call(CALIBRATION, {"p": period})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    other = make_tenant(people=9)
    elsewhere = api.as_(other, "admin", CALIBRATION, {"p": period})
    assert elsewhere["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_the_calibration_settings_are_checked(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    for document, path in (("{calibration:{flag_z:\"-1\"}}", "calibration.flag_z"),
                           ("{calibration:{min_ratings:0}}", "calibration.min_ratings")):
        body = api.as_(code, "admin", f"mutation{{ updateTenantSettings(settings:{document}, "
                       "reason:\"校准测试\") { userErrors { code field } } }")
        errors = body["data"]["updateTenantSettings"]["userErrors"]
        assert [e["code"] for e in errors] == ["INVALID"], document
        assert errors[0]["field"].endswith(path), errors


def test_the_rules_in_words_say_how_ratings_are_calibrated(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    query = "{ scoringRules { calibrationRule } }"
    off = api.as_(code, "ganbu", query)["data"]["scoringRules"]["calibrationRule"]
    assert "超过1个标准差" in off
    assert "评分按原值计入得分" in off
    settings_update(api, code, "{calibration:{normalize:true, flag_z:\"1.5\"}}")
    on = api.as_(code, "ganbu", query)["data"]["scoringRules"]["calibrationRule"]
    assert "超过1.5个标准差" in on
    assert "校准分 = 单位同一评价主体平均分" in on


def test_department_quotas_follow_the_allocation_by_department_result(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=10)
    settings_update(api, code, "{department_results:{allocate_good_quota:true}}")
    grades = {f"P{i:03d}": "good" if i <= 4 else "fairly_good" for i in range(1, 11)}
    period = seed_results(settings, code, grades, {"d1": "A", "d2": "C"}, kind="quarter",
                          year=2025, quarter=2)
    view = api.as_(code, "admin", CALIBRATION, {"p": period})["data"]["calibration"]
    assert view["quotaBasis"] == "按部门考核结果分配的名额"
    ids = people_ids(api, code)
    # d1a has no result of its own: its people count in d1 (the nearest unit with a result)
    group = {"d1": "第一科", "d1a": "第一科", "d2": "第二科"}
    expected: dict[str, list[str]] = defaultdict(list)
    for no, grade in grades.items():
        expected[group.get(ids[no]["unit"]["code"], "未纳入部门考核的人员")].append(grade)
    shown = {d["name"]: d for d in view["departments"]}
    assert {name: d["headcount"] for name, d in shown.items()} == {
        name: len(members) for name, members in expected.items()}
    # the places sum to the unit's quota of 好: max(1, floor(10 x 40%)) = 4
    assert sum(d["quota"] for d in shown.values()) == 4
    for name, d in shown.items():
        assert d["topCount"] == expected[name].count("good")
        assert d["overQuota"] == (d["topCount"] > d["quota"])

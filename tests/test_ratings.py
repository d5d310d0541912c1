"""Rater assignment and rating through the API: generated from the management relations,
adjusted by the admin before rating opens, and only assigned raters rate — never themselves."""

from __future__ import annotations

from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_ratings_support import (
    ASSIGNMENTS,
    FORM,
    SAVE,
    advance,
    create_period,
    declare,
    generate,
    people,
    publish_template,
)

ADD = ("mutation($i:RaterAssignmentInput!){ addRaterAssignment(input:$i) { assignment { id "
       "source role } userErrors { code message field } } }")
REMOVE = ("mutation($id:ID!){ removeRaterAssignment(id:$id) { removedId userErrors { code "
          "message } } }")
MINE = ("query($p:ID!){ myRatingAssignments(periodId:$p) { personId personName role roleLabel "
        "ratedCount } }")


def raters_by_person(assignments: list[dict[str, Any]], no: dict[str, str]
                     ) -> dict[str, set[tuple[str, str]]]:
    """employee no of the rated -> {(employee no of the rater, role)}"""
    out: dict[str, set[tuple[str, str]]] = {}
    for a in assignments:
        out.setdefault(no[a["personId"]], set()).add((no[a["raterId"]], a["role"]))
    return out


def setup_declaring(api: Api, settings: Settings, code: str) -> tuple[str, dict[str, str]]:
    publish_template(settings, code)
    period = create_period(api, code)
    advance(api, code, period, "declaring")
    return period, people(settings, code)


def test_assignments_follow_the_management_relations(api: Api, settings: Settings,
                                                     make_tenant: Any) -> None:
    code = make_tenant(people=12)
    period, ids = setup_declaring(api, settings, code)
    no = {pid: employee for employee, pid in ids.items()}
    assignments = generate(api, code, period)
    raters = raters_by_person(assignments, no)
    # 谁管理谁评价: head of d1, its supervising leader, the principal leader; d1 colleagues as peers
    assert raters["P006"] == {("P004", "department_head"), ("P002", "supervising_leader"),
                              ("P001", "principal_leader"), ("P007", "peer"), ("P010", "peer")}
    # d1a is under d1: the head and the supervising leader of d1 rate its people
    assert {("P004", "department_head"), ("P002", "supervising_leader"), ("P012", "peer")} <= \
        raters["P009"]
    # a department head: no head above; the other head as peer; three of their staff
    head = raters["P004"]
    assert {("P002", "supervising_leader"), ("P001", "principal_leader"), ("P005", "peer")} <= head
    subordinates = {r for r, role in head if role == "subordinate"}
    assert len(subordinates) == 3
    assert subordinates <= {"P006", "P007", "P009", "P010", "P012"}
    # leaders: direct reports rate them
    assert raters["P002"] == {("P001", "principal_leader"), ("P003", "peer"),
                              ("P004", "subordinate")}
    # the principal leader: nobody manages him in the unit, the level above appraises him
    # (issue 12), so nobody in the unit is asked to rate him
    assert "P001" not in raters
    assert all(a["personId"] != a["raterId"] for a in assignments)
    assert {a["source"] for a in assignments} == {"generated"}
    assert all(a["personName"] and a["raterName"] for a in assignments)
    # deterministic: generating again gives the same raters
    again = raters_by_person(generate(api, code, period), no)
    assert again == raters


def test_admin_adjusts_before_rating_only(api: Api, settings: Settings,
                                          make_tenant: Any) -> None:
    code = make_tenant(people=12)
    period, ids = setup_declaring(api, settings, code)
    assignments = generate(api, code, period)

    def add(person: str, rater: str, role: str, user: str = "admin") -> dict[str, Any]:
        body = api.as_(code, user, ADD, {"i": {"periodId": period, "personId": ids[person],
                                               "raterId": ids[rater], "role": role}})
        return dict(body["data"]["addRaterAssignment"])

    not_manager = add("P006", "P005", "department_head")["userErrors"][0]
    assert (not_manager["code"], not_manager["field"]) == ("INVALID", "role")
    assert add("P006", "P006", "peer")["userErrors"][0]["message"] == "不能安排本人评价自己"
    assert add("P006", "P008", "peer", "ganbu")["userErrors"][0]["code"] == "FORBIDDEN"
    added = add("P006", "P008", "peer")
    assert added["userErrors"] == []
    assert added["assignment"]["source"] == "manual"
    assert add("P006", "P008", "peer")["userErrors"][0]["code"] == "DUPLICATE"
    peer = next(a for a in assignments if (a["personId"], a["raterId"]) ==
                (ids["P006"], ids["P010"]))
    removed = api.as_(code, "admin", REMOVE, {"id": peer["id"]})["data"]["removeRaterAssignment"]
    assert removed == {"removedId": peer["id"], "userErrors": []}
    staff = api.as_(code, "ganbu", "mutation($p:ID!){ generateRaterAssignments(periodId:$p) "
                    "{ userErrors { code } } }", {"p": period})
    assert staff["data"]["generateRaterAssignments"]["userErrors"][0]["code"] == "FORBIDDEN"
    assert api.as_(code, "ganbu", ASSIGNMENTS, {"p": period})["errors"][0]["extensions"][
        "code"] == "FORBIDDEN"
    log = api.as_(code, "admin", "{ auditLog(entity:\"rater_assignment\") { action } }")
    assert {e["action"] for e in log["data"]["auditLog"]} == {"raters.add", "raters.remove"}

    advance(api, code, period, "rating")
    late = add("P006", "P009", "peer")["userErrors"][0]
    assert late["code"] == "RULE_VIOLATION"
    assert "评价关系只能在评价开始前调整" in late["message"]
    current = api.as_(code, "admin", ASSIGNMENTS, {"p": period})["data"]["raterAssignments"]
    gone = api.as_(code, "admin", REMOVE, {"id": current[0]["id"]})
    assert gone["data"]["removeRaterAssignment"]["userErrors"][0]["code"] == "RULE_VIOLATION"
    regenerate = api.as_(code, "admin", "mutation($p:ID!){ generateRaterAssignments(periodId:$p)"
                         " { userErrors { code } } }", {"p": period})
    assert regenerate["data"]["generateRaterAssignments"]["userErrors"][0]["code"] == (
        "RULE_VIOLATION")


def cells(form: dict[str, Any], value: str) -> list[dict[str, Any]]:
    return [{"indicatorId": i["id"], "dimension": d["code"], "value": value}
            for i in form["indicators"] for d in form["dimensions"]]


def test_only_assigned_raters_rate_and_never_themselves(api: Api, settings: Settings,
                                                        make_tenant: Any) -> None:
    code = make_tenant(people=12)
    period, ids = setup_declaring(api, settings, code)
    assignments = generate(api, code, period)
    peer = next(a for a in assignments if (a["personId"], a["raterId"]) ==
                (ids["P006"], ids["P007"]))
    api.as_(code, "admin", REMOVE, {"id": peer["id"]})  # P007 no longer rates P006
    form = api.as_(code, "kezhang", FORM, {"p": period, "q": ids["P006"]})["data"]["ratingForm"]
    early = api.as_(code, "kezhang", SAVE, {"i": {"periodId": period, "personId": ids["P006"],
                                                  "cells": cells(form, "90")}})
    assert early["data"]["saveRatings"]["userErrors"][0]["code"] == "RULE_VIOLATION"
    advance(api, code, period, "rating")

    def save(user: str, person: str, value: str = "90") -> list[dict[str, Any]]:
        body = api.as_(code, user, SAVE, {"i": {"periodId": period, "personId": ids[person],
                                                "cells": cells(form, value)}})
        return list(body["data"]["saveRatings"]["userErrors"])

    # a supervising leader rating someone outside their units (fenguan supervises d1; P008: d2)
    assert save("fenguan", "P008")[0]["code"] == "FORBIDDEN"
    # a staff member rating a peer they were not assigned (same unit, and another unit)
    assert save("ganbu2", "P006")[0]["code"] == "FORBIDDEN"
    assert save("ganbu", "P008")[0]["code"] == "FORBIDDEN"
    # anyone rating themselves
    for user, person in (("ganbu", "P006"), ("kezhang", "P004"), ("leader", "P001")):
        assert save(user, person)[0]["code"] == "FORBIDDEN", user
    assert save("admin", "P006")[0]["code"] == "FORBIDDEN"  # an account without a person
    assert api.as_(code, "ganbu2", FORM, {"p": period, "q": ids["P006"]})["data"][
        "ratingForm"] is None
    # the assigned raters may
    assert save("kezhang", "P006") == []
    assert save("fenguan", "P006", "80.5") == []
    assert save("ganbu", "P007") == []  # P006 still rates P007
    bad = save("kezhang", "P006", "100.5")
    assert {e["code"] for e in bad} == {"INVALID"}
    assert bad[0]["field"].endswith(".value")
    mine = api.as_(code, "kezhang", MINE, {"p": period})["data"]["myRatingAssignments"]
    p006 = next(m for m in mine if m["personId"] == ids["P006"])
    assert (p006["roleLabel"], p006["ratedCount"]) == ("部门主要负责人", len(cells(form, "0")))
    log = api.as_(code, "admin", "{ auditLog(entity:\"rater_assignment\") { action after } }")
    assert "rating.save" in {e["action"] for e in log["data"]["auditLog"]}

    # Ratings are incomplete on purpose; the tenant lets the period on (issue 12).
    assert api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{periods:{"
                   "require_ratings_to_review:false}}, reason:\"试行\") { userErrors "
                   "{ code } } }")["data"]["updateTenantSettings"]["userErrors"] == []
    advance(api, code, period, "reviewing")
    assert save("kezhang", "P006")[0]["code"] == "RULE_VIOLATION"


def test_the_form_shows_the_declaration_beside_it(api: Api, settings: Settings,
                                                  make_tenant: Any) -> None:
    code = make_tenant(people=10)
    period, ids = setup_declaring(api, settings, code)
    generate(api, code, period)
    declare(settings, code, period, "P006", [("办结法律援助案件12件", "全部按期结案，回访满意"),
                                             ("牵头完成专项整治", "形成长效机制")])
    advance(api, code, period, "rating")
    form = api.as_(code, "kezhang", FORM, {"p": period, "q": ids["P006"]})["data"]["ratingForm"]
    assert form["personName"]
    assert form["unitName"] == "第一科"
    assert (form["role"], form["roleLabel"]) == ("department_head", "部门主要负责人")
    assert [i["code"] for i in form["indicators"]] == ["SJ01", "SJ02"]
    assert [d["code"] for d in form["dimensions"]] == [
        "task_completion", "difficulty", "innovation", "conduct"]
    assert form["declarationSubmittedAt"] is not None
    items = form["declarationItems"]
    assert [i["title"] for i in items] == ["办结法律援助案件12件", "牵头完成专项整治"]
    assert items[0]["sourceLabel"].startswith("考核指标：SJ01")
    body = api.as_(code, "kezhang", SAVE, {"i": {"periodId": period, "personId": ids["P006"],
                                                 "cells": [{**cells(form, "88")[0],
                                                            "comment": "办案质量高"}]}})
    saved = body["data"]["saveRatings"]["form"]
    assert [(c["value"], c["comment"]) for c in saved["cells"]] == [("88", "办案质量高")]
    # P007 declared nothing: the form says so
    empty = api.as_(code, "kezhang", FORM, {"p": period, "q": ids["P007"]})["data"]["ratingForm"]
    assert (empty["declarationSubmittedAt"], empty["declarationItems"]) == (None, [])
    anonymous = api.call(FORM, {"p": period, "q": ids["P006"]})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_external_raters_rate_section_heads_on_cooperation(api: Api, settings: Settings,
                                                          make_tenant: Any) -> None:
    code = make_tenant(people=10, kind="township")
    weights = {"department_head": 30, "supervising_leader": 15, "principal_leader": 15,
               "peer": 15, "subordinate": 10, "external_rater": 15}
    changed = api.as_(code, "admin", "mutation($s:JSON!){ updateTenantSettings(settings:$s, "
                      "reason:\"多源评价\") { userErrors { code message } } }",
                      {"s": {"rating": {"role_weights": weights, "role_dimensions": {
                          "external_rater": ["cooperation"]}}}})
    assert changed["data"]["updateTenantSettings"]["userErrors"] == []
    units = {u["code"]: u["id"] for u in api.as_(code, "admin", "{ orgUnits { id code } }")[
        "data"]["orgUnits"]}
    secretary = api.as_(code, "admin", "mutation($u:ID!){ createPerson(input:{employeeNo:\"C01\","
                        "name:\"村书记甲\",unitId:$u,appraised:false}) { person { id } "
                        "userErrors { message } } }", {"u": units["d1"]})
    secretary_id = secretary["data"]["createPerson"]["person"]["id"]
    account = api.as_(code, "admin", "mutation($p:ID!){ createAccount(input:{username:\"cunshuji\","
                      "password:\"Demo@2026\",personId:$p,roles:[external_rater]}) { account "
                      "{ id } userErrors { message } } }", {"p": secretary_id})
    assert account["data"]["createAccount"]["userErrors"] == []
    # An account an admin creates has an initial password: changed at the first login.
    changed = api.as_(code, "cunshuji", "mutation{ changePassword(currentPassword:\"Demo@2026\","
                      "newPassword:\"Waibu#Rater26\") { token userErrors { message } } }")
    api.tokens[(code, "cunshuji")] = changed["data"]["changePassword"]["token"]
    period, ids = setup_declaring(api, settings, code)
    assignments = generate(api, code, period)
    external = [a for a in assignments if a["role"] == "external_rater"]
    assert {a["personId"] for a in external} == {ids["P004"], ids["P005"]}  # section heads
    assert {a["raterId"] for a in external} == {secretary_id}
    assert all(a["personId"] != secretary_id for a in assignments)  # not appraised: not rated
    advance(api, code, period, "rating")
    form = api.as_(code, "cunshuji", FORM, {"p": period, "q": ids["P004"]})["data"]["ratingForm"]
    assert [d["code"] for d in form["dimensions"]] == ["cooperation"]
    assert form["roleLabel"] == "外部评价人"
    ok = api.as_(code, "cunshuji", SAVE, {"i": {"periodId": period, "personId": ids["P004"],
                                                "cells": cells(form, "92")}})
    assert ok["data"]["saveRatings"]["userErrors"] == []
    other = {**cells(form, "92")[0], "dimension": "task_completion"}
    refused = api.as_(code, "cunshuji", SAVE, {"i": {"periodId": period, "personId": ids["P004"],
                                                     "cells": [other]}})
    assert refused["data"]["saveRatings"]["userErrors"][0]["code"] == "INVALID"
    staff = api.as_(code, "cunshuji", SAVE, {"i": {"periodId": period, "personId": ids["P006"],
                                                   "cells": cells(form, "92")}})
    assert staff["data"]["saveRatings"]["userErrors"][0]["code"] == "FORBIDDEN"


def test_demo_township_weighs_external_raters(api: Api) -> None:
    rules = api.as_("hsz", "admin", "{ scoringRules { roleWeights { role label weight } "
                    "missingRaterRule missingRaterRuleText tieRule topHalfRule } }")
    weights = {w["role"]: w["weight"] for w in rules["data"]["scoringRules"]["roleWeights"]}
    assert weights["external_rater"] == 15
    assert sum(weights.values()) == 100
    settings = api.as_("hsz", "admin", "{ tenantSettings }")["data"]["tenantSettings"]
    assert settings["rating"]["role_dimensions"] == {"external_rater": ["cooperation"]}
    wenjiang = api.as_("wjgx", "ganbu", "{ scoringRules { roleWeights { role weight } "
                       "missingRaterRule } }")["data"]["scoringRules"]
    by_role = {w["role"]: w["weight"] for w in wenjiang["roleWeights"]}
    assert by_role["department_head"] == 40
    assert by_role["department_head"] > by_role["supervising_leader"] > 0
    assert by_role["department_head"] > by_role["principal_leader"] > 0
    assert wenjiang["missingRaterRule"] == "renormalize"

"""Isolation cases of rating, scores, grades, review and publicity (issue 5), used by
test_isolation.py.

``rating_ids`` gives tenant B a quarter with generated raters, a rating and computed results;
every case runs as tenant A's admin, aims at B's ids and must find nothing of B and change
nothing of B (B's audit log is in the isolation snapshot: any write would show there).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from jixiao.settings import Settings
from models import Objection, PersonResult
from tests.conftest import Api
from tests.isolation_checks import Check, nothing, refused
from tests.test_ratings_support import (
    COMPUTE,
    FORM,
    SAVE,
    advance,
    create_period,
    generate,
    in_tenant,
    people,
)

RATING_TABLES = ["rater_assignments", "ratings", "signoff_steps", "objections"]
SETTINGS = """mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:"试行") {
  userErrors { code message } } }"""


def rating_ids(api: Api, settings: Settings, b: str) -> dict[str, str]:
    ids = people(settings, b)
    period = create_period(api, b, quarter=3)
    advance(api, b, period, "declaring")
    assignments = generate(api, b, period)
    head = next(a for a in assignments
                if a["personId"] == ids["P006"] and a["role"] == "department_head")
    advance(api, b, period, "rating")
    form = api.as_(b, "kezhang", FORM, {"p": period, "q": ids["P006"]})["data"]["ratingForm"]
    cells = [{"indicatorId": form["indicators"][0]["id"],
              "dimension": form["dimensions"][0]["code"], "value": "90"}]
    saved = api.as_(b, "kezhang", SAVE, {"i": {"periodId": period, "personId": ids["P006"],
                                               "cells": cells}})
    assert saved["data"]["saveRatings"]["userErrors"] == [], saved
    # Ratings stay incomplete on purpose: the tenant lets the period on and computes anyway.
    api.as_(b, "admin", SETTINGS, {"s": {"periods": {"require_ratings_to_review": False}}})
    advance(api, b, period, "reviewing")
    computed = api.as_(b, "admin", COMPUTE, {"p": period, "go": True})["data"]["computeResults"]
    assert computed["userErrors"] == [], computed
    units = api.as_(b, "admin", "mutation($p:ID!){ computeDepartmentResults(periodId:$p) { "
                    "results { unitId } userErrors { code } } }", {"p": period})
    assert units["data"]["computeDepartmentResults"]["results"], units
    objection = _objection(settings, b, period, ids["P006"], ids["P007"])
    return {"rating_period": period, "rating_person": ids["P006"],
            "rating_assignment": head["id"], "rating_rater": ids["P008"], **objection}


def _objection(settings: Settings, b: str, period: str, person: str, raiser: str
               ) -> dict[str, str]:
    """An objection of B (written directly: B's period stays in review for the other cases)."""

    async def write(session: Any) -> dict[str, str]:
        result = await session.scalar(select(PersonResult).where(
            PersonResult.period_id == uuid.UUID(period),
            PersonResult.person_id == uuid.UUID(person)))
        row = Objection(id=uuid.uuid4(), tenant_id=result.tenant_id, period_id=result.period_id,
                        person_result_id=result.id, person_id=result.person_id,
                        raised_by_person_id=uuid.UUID(raiser), named_to_committee=True,
                        reasons="B单位的异议理由", status="open")
        session.add(row)
        await session.flush()
        return {"rating_result": str(result.id), "objection": str(row.id)}

    return in_tenant(settings, b, write)











def _period(t: Any) -> dict[str, Any]:
    return {"p": t.ids["rating_period"]}


def _period_person(t: Any) -> dict[str, Any]:
    return {"p": t.ids["rating_period"], "q": t.ids["rating_person"]}


RATING_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "raterAssignments": ("query($p:ID!){ raterAssignments(periodId:$p) { id } }", _period,
                         nothing("raterAssignments")),
    "ratingCompletion": ("query($p:ID!){ ratingCompletion(periodId:$p) { periodId } }", _period,
                         nothing("ratingCompletion")),
    "myRatingAssignments": ("query($p:ID!){ myRatingAssignments(periodId:$p) { id } }", _period,
                            nothing("myRatingAssignments")),
    "ratingForm": ("query($p:ID!,$q:ID!){ ratingForm(periodId:$p, personId:$q) { personName } }",
                   _period_person, nothing("ratingForm")),
    "myRatingForms": ("query($p:ID!){ myRatingForms(periodId:$p) { personName } }", _period,
                      nothing("myRatingForms")),
    "periodResults": ("query($p:ID!){ periodResults(periodId:$p) { totalCount } }", _period,
                      nothing("periodResults.totalCount")),
    "personResult": ("query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) { score } }",
                     _period_person, nothing("personResult")),
    "publicity": ("query($p:ID!){ publicity(periodId:$p) { name } }", _period,
                  nothing("publicity")),
    "publicityWindow": ("query($p:ID!){ publicityWindow(periodId:$p) { lastDay } }", _period,
                        nothing("publicityWindow")),
    "objections": ("query($p:ID!){ objections(periodId:$p) { totalCount } }", _period,
                   nothing("objections")),
    "myObjections": ("query($p:ID!){ myObjections(periodId:$p) { id } }", _period,
                     nothing("myObjections")),
    "myObjectionsPage": ("query($p:ID!){ myObjectionsPage(periodId:$p) { totalCount } }",
                         _period, nothing("myObjectionsPage.totalCount")),
    "raiseObjection": ("mutation($r:ID!){ raiseObjection(resultId:$r, reasons:\"跨单位的异议理由\")"
                       " { objection { id } userErrors { code } } }",
                       lambda t: {"r": t.ids["rating_result"]},
                       refused("raiseObjection", result="objection")),
    "answerObjection": ("mutation($o:ID!){ answerObjection(objectionId:$o, answer:\"跨单位答复\")"
                        " { objection { id } userErrors { code } } }",
                        lambda t: {"o": t.ids["objection"]},
                        refused("answerObjection", result="objection")),
    "scoringRules": ("{ scoringRules { missingRaterRule } }", lambda t: {},
                     lambda body, t: None),  # A's own rules
    # --- mutations
    "generateRaterAssignments": ("mutation($p:ID!){ generateRaterAssignments(periodId:$p) "
                                 "{ userErrors { code } } }", _period,
                                 refused("generateRaterAssignments")),
    "addRaterAssignment": ("mutation($p:ID!,$q:ID!,$r:ID!){ addRaterAssignment(input:{periodId:"
                           "$p, personId:$q, raterId:$r, role:peer}) { userErrors { code } } }",
                           lambda t: {**_period_person(t), "r": t.ids["rating_rater"]},
                           refused("addRaterAssignment")),
    "removeRaterAssignment": ("mutation($id:ID!){ removeRaterAssignment(id:$id) { userErrors "
                              "{ code } } }", lambda t: {"id": t.ids["rating_assignment"]},
                              refused("removeRaterAssignment")),
    "saveRatings": ("mutation($p:ID!,$q:ID!){ saveRatings(input:{periodId:$p, personId:$q, "
                    "cells:[]}) { userErrors { code } } }", _period_person,
                    refused("saveRatings")),
    "saveRatingGrid": ("mutation($p:ID!,$q:ID!){ saveRatingGrid(input:{periodId:$p, rows:"
                       "[{personId:$q, cells:[]}]}) { userErrors { code } } }", _period_person,
                       refused("saveRatingGrid")),
    "computeResults": ("mutation($p:ID!){ computeResults(periodId:$p) { userErrors { code } } }",
                       _period, refused("computeResults")),
    "computeAnnualResults": ("mutation($p:ID!){ computeAnnualResults(periodId:$p) { userErrors "
                             "{ code } } }", _period, refused("computeAnnualResults")),
    "reviewGrade": ("mutation($p:ID!,$q:ID!){ reviewGrade(input:{periodId:$p, personId:$q, "
                    "grade:good, reason:\"理由\", override:true}) { userErrors { code } } }",
                    _period_person, refused("reviewGrade")),
    "confirmGrades": ("mutation($p:ID!){ confirmGrades(periodId:$p) { userErrors { code } } }",
                      _period, refused("confirmGrades")),
    "signoffChain": ("query($p:ID!){ signoffChain(periodId:$p) { periodId } }", _period,
                     nothing("signoffChain")),
    "signOff": ("mutation($p:ID!){ signOff(periodId:$p, note:\"同意\") { chain { done } "
                "userErrors { code } } }", _period, refused("signOff", result="chain")),
    "returnSignOff": ("mutation($p:ID!){ returnSignOff(periodId:$p, reason:\"退回\") { chain "
                      "{ done } userErrors { code } } }", _period,
                      refused("returnSignOff", result="chain")),
    "departmentResults": ("query($p:ID!){ departmentResults(periodId:$p) { id } }", _period,
                          nothing("departmentResults")),
    "computeDepartmentResults": ("mutation($p:ID!){ computeDepartmentResults(periodId:$p) { "
                                 "userErrors { code } } }", _period,
                                 refused("computeDepartmentResults")),
    "adjustDepartmentResult": ("mutation($p:ID!,$u:ID!){ adjustDepartmentResult(input:{"
                               "periodId:$p, unitId:$u, level:\"A\", reason:\"理由\"}) { "
                               "result { id } userErrors { code } } }",
                               lambda t: {"p": t.ids["rating_period"], "u": t.a_unit},
                               refused("adjustDepartmentResult", result="result")),
}

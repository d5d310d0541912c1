"""No N+1: the rater list, the results list and the publicity list of a period run the same
number of SQL statements whatever the number of people they return."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_grading_review import without_score_bands
from tests.test_ratings_support import (
    COMPUTE,
    advance,
    declare,
    people,
    rate_all,
    rating_period,
)

LISTS = {
    "raterAssignments": ("query($p:ID!){ raterAssignments(periodId:$p) { id role roleLabel "
                         "personName raterName ratedCount } }"),
    "periodResults": ("query($p:ID!){ periodResults(periodId:$p) { totalCount nodes { score rank "
                      "groupRank grade gradeLabel reasons explanation { kind text delta } "
                      "dimensionScores { code score } person { name unit { name } } "
                      "unit { name } } } }"),
    "publicity": ("query($p:ID!){ publicity(periodId:$p) { name unitName gradeLabel reasons "
                  "achievements { title sourceLabel } } }"),
}


def published_period(api: Api, settings: Settings, code: str) -> str:
    period = rating_period(api, settings, code)
    # Everyone rated (nobody is scored on missing ratings any more, issue 12).
    rate_all(settings, code, period, lambda no: Decimal(70 + int(no[1:]) % 30))
    advance(api, code, period, "reviewing")
    body = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert body["userErrors"] == []
    ids = {pid: n for n, pid in people(settings, code).items()}
    for result in body["results"]:
        if result["proposedGrade"] == "good":
            declare(settings, code, period, ids[result["personId"]], [("实绩一", "内容"),
                                                                       ("实绩二", "内容")])
    api.as_(code, "admin", "mutation($p:ID!){ confirmGrades(periodId:$p) { userErrors "
            "{ code } } }", {"p": period})
    advance(api, code, period, "publicizing")
    return period


def test_list_statement_counts_do_not_grow_with_people(
        api: Api, settings: Settings, make_tenant: Any, count_statements: list[str]) -> None:
    counts: dict[str, list[tuple[int, int]]] = {name: [] for name in LISTS}
    for size in (12, 60):
        code = make_tenant(people=size)
        # Nobody is rated here: without bands, and with ties settled by employee number, the
        # first places are still proposed 好 and published (the old defaults this pins).
        without_score_bands(api, code, ', tie_settlement:"automatic"')
        period = published_period(api, settings, code)
        api.login(code, "admin")
        for name, query in LISTS.items():
            count_statements.clear()
            body = api.as_(code, "admin", query, {"p": period})
            assert "errors" not in body, body
            data = body["data"][name]
            returned = len(data["nodes"]) if name == "periodResults" else len(data)
            counts[name].append((returned, len(count_statements)))
    for name, ((n_small, q_small), (n_large, q_large)) in counts.items():
        assert n_large > n_small > 0, (name, counts[name])
        assert q_small == q_large, (name, counts[name])

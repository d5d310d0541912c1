"""Isolation cases of the paginated siblings of plain lists (issue 14), used by
test_isolation.py: each runs as tenant A's admin with B's ids and must find none of B's rows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.isolation_checks import Check, value_at


def _ids(**names: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {var: t.ids[key] for var, key in names.items()}


def _strings(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_strings(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_strings(v) for v in value))
    return {value} if isinstance(value, str) else set()


def _none_of_b(field: str) -> Check:
    def check(body: dict[str, Any], t: Any) -> None:
        assert not _strings(value_at(body, f"{field}.nodes")) & set(t.ids.values()), body

    return check


def _case(field: str, args: str, selection: str, variables: Callable[[Any], dict[str, Any]],
          declared: str = "") -> tuple[str, Callable[[Any], dict[str, Any]], Check]:
    head = f"query({declared})" if declared else "query"
    call = f"{field}({args})" if args else field
    return (f"{head}{{ {call} {{ totalCount nodes {{ {selection} }} }} }}", variables,
            _none_of_b(field))


def _none(t: Any) -> dict[str, Any]:
    return {}


PAGE_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "accountsPage": _case("accountsPage", "", "id", _none),
    "auditLogPage": _case("auditLogPage", "entityId:$e", "id", _ids(e="token"), "$e:String!"),
    "tasksPage": _case("tasksPage", "", "id", _none),
    "commendationBoardPage": _case("commendationBoardPage", "year:2026", "id", _none),
    "personPointRecordsPage": _case("personPointRecordsPage", "personId:$p, year:2026", "id",
                                    _ids(p="person"), "$p:ID!"),
    "undeclaredPeoplePage": _case("undeclaredPeoplePage", "periodId:$p", "id",
                                  _ids(p="period"), "$p:ID!"),
    "feedbackInterviewsPage": _case("feedbackInterviewsPage", "periodId:$p", "id",
                                    _ids(p="feedback_period"), "$p:ID!"),
    "careListPage": _case("careListPage", "periodId:$p", "person { id }",
                          _ids(p="feedback_period"), "$p:ID!"),
    "resultsUseCandidatesPage": _case("resultsUseCandidatesPage", "year:2025",
                                      "person { id }", _none),
    "raterAssignmentsPage": _case("raterAssignmentsPage", "periodId:$p", "id",
                                  _ids(p="rating_period"), "$p:ID!"),
    "publicityPage": _case("publicityPage", "periodId:$p", "personId",
                           _ids(p="rating_period"), "$p:ID!"),
}

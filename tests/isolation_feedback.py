"""Isolation cases of feedback interviews, the care list, results use and the profile, used by
test_isolation.py.

``feedback_ids`` gives tenant B a quarter in the feedback step with results, an interview, a care
action and a results-use entry; every case runs as tenant A's admin, aims at B's ids and must
find nothing of B and change nothing of B.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.factories import PastPeriod, history
from tests.isolation_checks import Check, nothing, refused

FEEDBACK_TABLES = ["feedback_interviews", "care_actions", "results_use_entries",
                   "results_use_basis"]
# Added to the isolation snapshot: B's rows must be unchanged after every case.
FEEDBACK_SNAPSHOT = "careActions { id endsOn note } resultsUse { id basis { id } }"



def feedback_ids(api: Api, settings: Settings, b: str) -> dict[str, str]:
    past = history(settings, b, [PastPeriod(2025, 4, {"P006": ("good", 1), "P007": ("poor", 2)},
                                            state="feedback", fits={"P006": 4})])
    person, result = past.people["P006"], past.results[(2025, 4, "P006")]
    action = api.as_(b, "admin", "mutation($p:ID!,$m:ID!){ recordCareAction(input:{kind:"
                     "mentoring, personId:$p, mentorId:$m, startsOn:\"2026-01-05\"}) "
                     "{ action { id } userErrors { code message } } }",
                     {"p": past.people["P007"], "m": person})
    entry = api.as_(b, "admin", "mutation($p:ID!,$r:ID!){ recordResultsUse(input:{kind:award,"
                    "personId:$p, decidedOn:\"2026-01-10\", title:\"嘉奖\", basis:[$r]}) "
                    "{ entry { id } userErrors { code message } } }", {"p": person, "r": result})
    return {"feedback_period": past.periods[(2025, 4)], "feedback_person": person,
            "feedback_result": result,
            "feedback_action": action["data"]["recordCareAction"]["action"]["id"],
            "feedback_entry": entry["data"]["recordResultsUse"]["entry"]["id"]}











def _period(t: Any) -> dict[str, Any]:
    return {"p": t.ids["feedback_period"]}


def _person(t: Any) -> dict[str, Any]:
    return {"p": t.ids["feedback_person"]}


INTERVIEW = ("resultTold:\"好\", strengths:\"a\", weaknesses:\"b\", rootCauses:\"c\", "
             "improvementPlan:[{action:\"d\", followUpOn:\"2026-03-01\"}], topics:[], "
             "praise:\"e\", critique:\"f\", encouragement:\"g\", fitRating:3, "
             "heldOn:\"2026-01-05\"")

FEEDBACK_CASES: dict[str, tuple[str, Callable[[Any], dict[str, Any]], Check]] = {
    "feedbackInterview": ("query($p:ID!,$q:ID!){ feedbackInterview(periodId:$p, personId:$q)"
                          " { id } }", lambda t: {"p": t.ids["feedback_period"],
                                                  "q": t.ids["feedback_person"]},
                          nothing("feedbackInterview")),
    "feedbackInterviews": ("query($p:ID!){ feedbackInterviews(periodId:$p) { id } }", _period,
                           nothing("feedbackInterviews")),
    "interviewCompletion": ("query($p:ID!){ interviewCompletion(periodId:$p) { unitId } }",
                            _period, nothing("interviewCompletion")),
    "careList": ("query($p:ID!){ careList(periodId:$p) { person { id } } }", _period,
                 nothing("careList")),
    "careActions": ("query($p:ID!){ careActions(personId:$p) { id } }", _person,
                    nothing("careActions")),
    "resultsUseCandidates": ("{ resultsUseCandidates(year:2025) { person { id } } }",
                             lambda t: {}, nothing("resultsUseCandidates")),
    "trainingNeeds": ("query($p:ID!){ trainingNeeds(periodId:$p) { unit { id } } }", _period,
                      nothing("trainingNeeds")),
    "resultsUse": ("query($p:ID!){ resultsUse(personId:$p) { id } }", _person,
                   nothing("resultsUse")),
    "cadreProfile": ("query($p:ID!){ cadreProfile(personId:$p) { person { id } } }", _person,
                     nothing("cadreProfile")),
    "postHistory": ("query($p:ID!){ postHistory(personId:$p) { id } }", _person,
                    nothing("postHistory")),
    # --- mutations
    "recordInterview": ("mutation($p:ID!,$q:ID!){ recordInterview(input:{periodId:$p, "
                        f"personId:$q, {INTERVIEW}}}) {{ userErrors {{ code }} }} }}",
                        lambda t: {"p": t.ids["feedback_period"], "q": t.ids["feedback_person"]},
                        refused("recordInterview")),
    "acknowledgeInterview": ("mutation($p:ID!){ acknowledgeInterview(periodId:$p, comment:\"x\")"
                             " { userErrors { code } } }", _period,
                             refused("acknowledgeInterview")),
    "recordCareAction": ("mutation($p:ID!){ recordCareAction(input:{kind:post_adjustment, "
                         "personId:$p, startsOn:\"2026-01-01\"}) { userErrors { code } } }",
                         _person, refused("recordCareAction")),
    "endCareAction": ("mutation($a:ID!){ endCareAction(id:$a, endsOn:\"2026-12-31\") "
                      "{ userErrors { code } } }", lambda t: {"a": t.ids["feedback_action"]},
                      refused("endCareAction")),
    "recordResultsUse": ("mutation($p:ID!,$r:ID!){ recordResultsUse(input:{kind:promotion, "
                         "personId:$p, decidedOn:\"2026-02-01\", title:\"提拔\", basis:[$r]}) "
                         "{ userErrors { code } } }",
                         lambda t: {"p": t.ids["feedback_person"], "r": t.ids["feedback_result"]},
                         refused("recordResultsUse")),
}

"""Publicity (实绩公示) and who reads results: after publicity everyone sees who was rated 好 with
their achievements and reasons; nobody reads a colleague's score or grade."""

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

PUBLICITY = ("query($p:ID!){ publicity(periodId:$p) { personId name unitName grade gradeLabel "
             "reasons achievements { title content selfAssessment sourceLabel } } }")
RESULTS = ("query($p:ID!){ periodResults(periodId:$p) { totalCount nodes { personId score grade "
           "explanation { kind text } } } }")
ONE = "query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) { personId score grade } }"


def test_publicity_shows_who_and_why_and_nothing_else(api: Api, settings: Settings,
                                                      make_tenant: Any) -> None:
    code = make_tenant(people=10)
    # The unit rates its principal leader here (by default the level above does, issue 12).
    assert api.as_(code, "admin", "mutation{ updateTenantSettings(settings:{rating:{"
                   "appraise_unmanaged_in_unit:true}}, reason:\"主要领导由本单位评价\") "
                   "{ userErrors { code } } }")["data"]["updateTenantSettings"]["userErrors"] == []
    without_score_bands(api, code)  # the grades below pin the quota, not the default bands
    period = rating_period(api, settings, code)
    ids = people(settings, code)
    no = {pid: n for n, pid in ids.items()}
    rate_all(settings, code, period, lambda n: Decimal(100 - 5 * int(n[1:])))
    declare(settings, code, period, "P004", [("完成党建示范点创建", "形成可复制经验，获市级推广")])
    declare(settings, code, period, "P006", [("办结信访件30件", "按期办结率100%")])
    advance(api, code, period, "reviewing")
    assert api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"][
        "userErrors"] == []

    def visible(user: str) -> set[str]:
        body = api.as_(code, user, RESULTS, {"p": period})["data"]["periodResults"]
        assert body["totalCount"] == len(body["nodes"])
        return {no[r["personId"]] for r in body["nodes"]}

    # under review: the admin all; leaders whom they manage; nobody their own yet
    assert len(visible("admin")) == 10
    assert visible("leader") == {f"P{i:03d}" for i in range(2, 11)}
    assert visible("kezhang") == {"P006", "P007", "P009", "P010"}  # d1 and d1a, not P008 (d2)
    assert visible("fenguan2") == {"P005", "P008"}
    assert visible("ganbu") == set()
    assert api.as_(code, "ganbu", PUBLICITY, {"p": period})["data"]["publicity"] == []

    api.as_(code, "admin", "mutation($p:ID!){ confirmGrades(periodId:$p) { results "
            "{ personId } } }", {"p": period})
    advance(api, code, period, "publicizing")

    board = api.as_(code, "ganbu", PUBLICITY, {"p": period})["data"]["publicity"]
    assert [no[e["personId"]] for e in board] == ["P001", "P002", "P003", "P004"]
    assert {e["gradeLabel"] for e in board} == {"好"}
    p004 = board[3]
    assert p004["unitName"] == "第一科"
    assert p004["achievements"] == [{"title": "完成党建示范点创建",
                                     "content": "形成可复制经验，获市级推广",
                                     "selfAssessment": "较好完成",
                                     "sourceLabel": p004["achievements"][0]["sourceLabel"]}]
    assert p004["achievements"][0]["sourceLabel"].startswith("考核指标：")
    assert "得分排名第4名，位于前50%（前5名）" in p004["reasons"]
    assert "占用好等次名额（4/4）" in p004["reasons"]
    for entry in board:  # why, but never the score
        score = str(100 - 5 * int(no[entry["personId"]][1:]))
        assert not any(score in reason for reason in entry["reasons"]), entry
    # P006 declared too but was not rated 好: not published
    assert ids["P006"] not in {e["personId"] for e in board}
    assert api.as_(code, "waibu", PUBLICITY, {"p": period})["data"]["publicity"] == board

    # a staff member reads their own result, never a colleague's
    assert visible("ganbu") == {"P006"}
    own = api.as_(code, "ganbu", ONE, {"p": period, "q": ids["P006"]})["data"]["personResult"]
    assert (Decimal(own["score"]), own["grade"]) == (Decimal(70), "fairly_good")
    for other in ("P007", "P001", "P004"):
        assert api.as_(code, "ganbu", ONE, {"p": period, "q": ids[other]})["data"][
            "personResult"] is None, other
    assert visible("kezhang") == {"P004", "P006", "P007", "P009", "P010"}
    assert visible("waibu") == set()  # an account without a person
    denied = api.as_(code, "ganbu", "query($p:ID!){ person(id:$p) { name } }", {"p": ids["P007"]})
    assert denied["data"]["person"] is None

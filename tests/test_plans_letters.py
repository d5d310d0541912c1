"""Responsibility letters: which indicators apply to which post, and so to which people; "my
indicators" for any person, readable by the person, their managers and the admin."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api
from tests.plans_helpers import (
    SAVE,
    YEAR,
    by_code,
    errors,
    people,
    publish_draft,
    scheme,
    version,
)

LETTER = """mutation($p:ID!,$y:Int!,$lines:[LetterLineInput!]!){ setResponsibilityLetter(postId:$p,
  year:$y, lines:$lines) { lines { indicatorCode target } userErrors { code message } } }"""
OF = """query($p:ID!){ indicatorsOf(personId:$p) { personId version { number }
  indicators { target indicator { code appliesTo } } } }"""
MINE = "{ myIndicators { personId indicators { target indicator { code } } } }"


def prepare(api: Api, code: str) -> dict[str, Any]:
    """The county template with a post-only rated indicator next to SJ01, published."""
    draft = scheme(api, code)["draft"]["id"]
    nodes = by_code(version(api, code, draft))
    parent = nodes["SJ"]["id"]
    for data, node_id in (
        ({"code": "SJ01", "name": "岗位职责履行", "kind": "rated", "weight": 40,
          "parentId": parent}, nodes["SJ01"]["id"]),
        ({"code": "GW01", "name": "政务服务窗口", "kind": "rated", "weight": 20,
          "parentId": parent, "appliesTo": "posts"}, None),
    ):
        saved = api.as_(code, "admin", SAVE, {"v": draft, "id": node_id, "in": data})
        assert saved["data"]["saveIndicator"]["userErrors"] == [], saved
    publish_draft(api, code)
    return people(api, code)


def codes(found: dict[str, Any]) -> dict[str, str]:
    return {i["indicator"]["code"]: i["target"] for i in found["indicators"]}


def test_letter_puts_post_indicators_on_its_holders(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    who = prepare(api, code)
    ky = who["_posts"]["ky"]  # 科员: P006..P009
    set_ = api.as_(code, "admin", LETTER, {"p": ky, "y": YEAR, "lines": [
        {"indicatorCode": "GW01", "target": "窗口办件按时办结率100%"}]}
                   )["data"]["setResponsibilityLetter"]
    assert set_["userErrors"] == [], set_
    mine = api.as_(code, "ganbu", MINE)["data"]["myIndicators"]
    assert mine["personId"] == who["P006"]["id"]
    assert codes(mine)["GW01"] == "窗口办件按时办结率100%"
    assert {"SJ01", "SJ02", "ZZ01", "DZ01", "CQ01"} <= set(codes(mine))
    assert "SJ" not in codes(mine)  # categories are not indicators
    head = api.as_(code, "kezhang", MINE)["data"]["myIndicators"]  # post 科长: no letter
    assert "GW01" not in codes(head)
    letters = api.as_(code, "ganbu", "query($y:Int!){ responsibilityLetters(year:$y) { post "
                      "{ code } lines { indicatorCode } } }", {"y": YEAR}
                      )["data"]["responsibilityLetters"]
    assert letters == [{"post": {"code": "ky"}, "lines": [{"indicatorCode": "GW01"}]}]
    # an unknown code, a category, or a repeated code is refused
    for lines in ([{"indicatorCode": "NOPE"}], [{"indicatorCode": "SJ"}],
                  [{"indicatorCode": "GW01"}, {"indicatorCode": "GW01"}]):
        body = api.as_(code, "admin", LETTER, {"p": ky, "y": YEAR, "lines": lines})
        assert errors(body["data"]["setResponsibilityLetter"]) == ["INVALID"], lines


def test_indicators_of_a_person_self_managers_and_admin_only(api: Api,
                                                             make_tenant: Any) -> None:
    code = make_tenant(people=9)
    who = prepare(api, code)
    target = who["P006"]["id"]  # ganbu, in d1
    for user in ("ganbu", "kezhang", "fenguan", "leader", "admin"):
        found = api.as_(code, user, OF, {"p": target})["data"]["indicatorsOf"]
        assert found is not None, user
        assert found["personId"] == target
        assert found["version"]["number"] == 1
    for user in ("ganbu2", "ganbu3", "kezhang2", "fenguan2", "waibu"):
        assert api.as_(code, user, OF, {"p": target})["data"]["indicatorsOf"] is None, user
    assert api.call(OF, {"p": target})["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_only_the_tenant_admin_edits_letters(api: Api, make_tenant: Any) -> None:
    code = make_tenant(people=9)
    who = prepare(api, code)
    for user in ("ganbu", "kezhang", "leader", "bangong"):
        body = api.as_(code, user, LETTER, {"p": who["_posts"]["ky"], "y": YEAR,
                                            "lines": [{"indicatorCode": "GW01"}]})
        assert errors(body["data"]["setResponsibilityLetter"]) == ["FORBIDDEN"], user
    assert api.as_(code, "admin", "query($y:Int!){ responsibilityLetters(year:$y) { post "
                   "{ id } } }", {"y": YEAR})["data"]["responsibilityLetters"] == []

"""Commendations and error notices (public), conduct findings (private), confirmed credits."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.factories import seed_plan
from tests.test_periods import advance_to

ISSUE = ("mutation($i:PointRecordInput!){ issuePointRecord(input:$i) { record { id kind "
         "status signedPoints } userErrors { code message } } }")
CLAIM = ("mutation($i:PointRecordInput!){ claimCredit(input:$i) { record { id status } "
         "userErrors { code message } } }")
TOTALS = ("query($p:ID!){ personPointTotals(personId:$p, year:2026) { indicatorCode raw "
          "counted cap } }")
BOARD = "{ commendationBoard(year:2026) { subject kindLabel signedPoints reason } }"


class World:
    def __init__(self, api: Api, settings: Settings, make_tenant: Any) -> None:
        self.code = make_tenant(people=12)
        self.ids = asyncio.run(seed_plan(settings, self.code, 2026))
        people = api.as_(self.code, "admin", "{ people(first:50) { edges { node { id "
                         "employeeNo } } } }")["data"]["people"]["edges"]
        self.people = {e["node"]["employeeNo"]: e["node"]["id"] for e in people}


def rec(world: World, node: str, person: str = "P006", day: str = "2026-05-10",
        points: str | None = None, evidence: str = "") -> dict[str, Any]:
    return {"indicatorId": world.ids[node], "personId": world.people[person], "occurredOn": day,
            "reason": "事由说明", "points": points, "evidence": evidence}


def totals(api: Api, world: World, user: str, person: str = "P006") -> dict[str, Any]:
    rows = api.as_(world.code, user, TOTALS, {"p": world.people[person]})["data"][
        "personPointTotals"]
    return {r["indicatorCode"]: r for r in rows}


def test_commendations_count_under_the_cap_and_are_public(api: Api, settings: Settings,
                                                          make_tenant: Any) -> None:
    world = World(api, settings, make_tenant)
    for _ in range(2):
        body = api.as_(world.code, "bangong", ISSUE, {"i": rec(world, "credit", points="3")})
        assert body["data"]["issuePointRecord"]["record"]["status"] == "confirmed"
    notice = api.as_(world.code, "bangong", ISSUE, {"i": rec(world, "deduction")})
    assert notice["data"]["issuePointRecord"]["userErrors"][0]["message"] == "错情通报须附佐证材料"
    notice = api.as_(world.code, "bangong", ISSUE, {"i": rec(world, "deduction",
                                                             evidence="通报文件")})
    assert Decimal(notice["data"]["issuePointRecord"]["record"]["signedPoints"]) == -1
    counted = totals(api, world, "ganbu")
    assert (Decimal(counted["JF01"]["raw"]), Decimal(counted["JF01"]["counted"])) == (6, 5)
    board = api.as_(world.code, "ganbu2", BOARD)["data"]["commendationBoard"]
    assert [b["kindLabel"] for b in board].count("点赞加分") == 2
    assert any(b["kindLabel"] == "错情减分" for b in board)
    staff = api.as_(world.code, "ganbu", ISSUE, {"i": rec(world, "credit")})
    assert staff["data"]["issuePointRecord"]["userErrors"][0]["code"] == "FORBIDDEN"


def test_conduct_findings_need_the_role_and_stay_private(api: Api, settings: Settings,
                                                         make_tenant: Any) -> None:
    world = World(api, settings, make_tenant)
    office = api.as_(world.code, "bangong", ISSUE, {"i": rec(world, "conduct",
                                                             evidence="谈话记录")})
    assert office["data"]["issuePointRecord"]["userErrors"][0]["code"] == "FORBIDDEN"
    bare = api.as_(world.code, "admin", ISSUE, {"i": rec(world, "conduct")})
    assert bare["data"]["issuePointRecord"]["userErrors"][0]["message"] == (
        "政治素质负面清单扣分须附佐证材料")
    ok = api.as_(world.code, "admin", ISSUE, {"i": rec(world, "conduct", evidence="谈话记录")})
    assert ok["data"]["issuePointRecord"]["record"]["kind"] == "conduct_standard"
    assert api.as_(world.code, "ganbu2", BOARD)["data"]["commendationBoard"] == []
    query = ("query($p:ID!){ personPointRecords(personId:$p, year:2026) { indicatorCode "
             "kindLabel } }")
    variables = {"p": world.people["P006"]}
    assert api.as_(world.code, "ganbu2", query, variables)["data"]["personPointRecords"] == []
    managed = api.as_(world.code, "kezhang", query, variables)["data"]["personPointRecords"]
    assert managed == [{"indicatorCode": "ZZ01", "kindLabel": "政治素质负面清单扣分"}]
    own = api.as_(world.code, "ganbu", query, variables)["data"]["personPointRecords"]
    assert len(own) == 1


def test_credit_claims_count_only_once_confirmed(api: Api, settings: Settings,
                                                 make_tenant: Any) -> None:
    world = World(api, settings, make_tenant)
    claim = api.as_(world.code, "ganbu", CLAIM, {"i": rec(world, "deal")})
    record = claim["data"]["claimCredit"]["record"]
    assert record["status"] == "claimed"
    assert "JF02" not in totals(api, world, "ganbu")
    for_someone_else = api.as_(world.code, "ganbu", CLAIM, {"i": rec(world, "deal", "P007")})
    assert for_someone_else["data"]["claimCredit"]["userErrors"][0]["code"] == "FORBIDDEN"
    confirm = ("mutation($id:ID!){ confirmPointRecord(id:$id, confirmed:true, reason:"
               "\"已签约\") { record { status } userErrors { code } } }")
    refused = api.as_(world.code, "ganbu", confirm, {"id": record["id"]})
    assert refused["data"]["confirmPointRecord"]["userErrors"][0]["code"] == "FORBIDDEN"
    done = api.as_(world.code, "admin", confirm, {"id": record["id"]})
    assert done["data"]["confirmPointRecord"]["record"]["status"] == "confirmed"
    assert Decimal(totals(api, world, "ganbu")["JF02"]["counted"]) == 3
    # the claimant is told (issue 17: my credit claim was confirmed), with the reason
    inbox = api.as_(world.code, "ganbu", "{ notifications(first:5) { nodes { event title "
                    "body link } } }")["data"]["notifications"]["nodes"]
    [told] = [n for n in inbox if n["event"] == "points_confirmed"]
    assert (told["title"], told["link"]) == ("加分申报已确认", "/my-results")
    assert "已确认（理由：已签约）" in told["body"]


def test_records_in_a_closed_quarter_are_refused(api: Api, settings: Settings,
                                                 make_tenant: Any) -> None:
    world = World(api, settings, make_tenant)
    period = api.as_(world.code, "admin", "mutation{ createPeriod(input:{kind:quarter,year:2026,"
                     "quarter:1}) { period { id } } }")["data"]["createPeriod"]["period"]["id"]
    advance_to(api, world.code, period, "closed")
    body = api.as_(world.code, "bangong", ISSUE, {"i": rec(world, "credit", day="2026-02-01")})
    assert body["data"]["issuePointRecord"]["userErrors"][0]["code"] == "FROZEN"
    later = api.as_(world.code, "bangong", ISSUE, {"i": rec(world, "credit", day="2026-04-01")})
    assert later["data"]["issuePointRecord"]["userErrors"] == []

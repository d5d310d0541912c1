"""Issue 17's notices that follow a person's own business (part 1): an interview recorded for
me, a job I started finished, my credit claim confirmed or refused. Each is sent by its use case
(the interview, the confirmation) or the job's worker, once per occasion, to the right inbox
and nobody else's, through the API (the export through a real Dramatiq worker)."""

from __future__ import annotations

from typing import Any

from jixiao.settings import Settings
from tests.appraisal_data import seed_results
from tests.conftest import Api
from tests.test_commendations import CLAIM, World, rec
from tests.test_feedback import quarter, record
from tests.test_reports import QUARTER, export_done

INBOX = "{ notifications(first:50) { nodes { event eventLabel title body link } } }"
CONFIRM = ("mutation($id:ID!,$ok:Boolean!,$r:String!){ confirmPointRecord(id:$id, "
           "confirmed:$ok, reason:$r) { record { status } userErrors { code } } }")


def notices(api: Api, code: str, user: str, event: str) -> list[dict[str, Any]]:
    nodes = api.as_(code, user, INBOX)["data"]["notifications"]["nodes"]
    return [n for n in nodes if n["event"] == event]


def test_an_interview_recorded_for_me(api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=12)
    past = quarter(settings, code)
    period, ids = past.periods[(2025, 4)], past.people
    assert record(api, code, "kezhang", period, ids["P006"])["userErrors"] == []  # ganbu
    [told] = notices(api, code, "ganbu", "interview_recorded")
    assert (told["eventLabel"], told["title"], told["link"]) == (
        "反馈谈话已记录", "2025年第四季度反馈谈话记录已记录", "/my-interviews")
    assert "请查看并确认" in told["body"]
    for user in ("ganbu2", "kezhang", "admin", "leader", "fenguan"):
        assert notices(api, code, user, "interview_recorded") == [], user
    # a correction tells the person again, once
    assert record(api, code, "kezhang", period, ids["P006"],
                  strengths="办案质量高，调解成功率高")["userErrors"] == []
    titles = [n["title"] for n in notices(api, code, "ganbu", "interview_recorded")]
    assert sorted(titles) == ["2025年第四季度反馈谈话记录已修改",
                              "2025年第四季度反馈谈话记录已记录"]


def test_my_credit_claim_confirmed_or_refused(api: Api, settings: Settings,
                                              make_tenant: Any) -> None:
    world = World(api, settings, make_tenant)
    claims = []
    for day in ("2026-05-10", "2026-05-11"):
        body = api.as_(world.code, "ganbu", CLAIM, {"i": {**rec(world, "deal"),
                                                          "occurredOn": day}})
        claims.append(body["data"]["claimCredit"]["record"]["id"])
    refused = api.as_(world.code, "admin", CONFIRM, {"id": claims[1], "ok": False,
                                                     "r": "合同尚未签订"})
    assert refused["data"]["confirmPointRecord"]["record"]["status"] == "rejected"
    [no] = notices(api, world.code, "ganbu", "points_refused")
    assert (no["eventLabel"], no["title"], no["link"]) == (
        "加减分未通过", "加分申报未通过确认", "/my-results")
    assert "2026-05-11" in no["body"]
    assert "未通过确认（理由：合同尚未签订）" in no["body"]
    assert notices(api, world.code, "ganbu", "points_confirmed") == []
    confirmed = api.as_(world.code, "admin", CONFIRM, {"id": claims[0], "ok": True,
                                                       "r": "已签约"})
    assert confirmed["data"]["confirmPointRecord"]["record"]["status"] == "confirmed"
    [yes] = notices(api, world.code, "ganbu", "points_confirmed")
    assert "2026-05-10" in yes["body"]
    assert len(notices(api, world.code, "ganbu", "points_refused")) == 1
    # a decided claim is not decided (nor told) twice
    again = api.as_(world.code, "admin", CONFIRM, {"id": claims[1], "ok": True, "r": "再议"})
    assert again["data"]["confirmPointRecord"]["userErrors"][0]["code"] == "CONFLICT"
    assert notices(api, world.code, "ganbu", "points_confirmed") == [yes]
    for user in ("ganbu2", "admin", "kezhang", "leader", "bangong"):
        for event in ("points_confirmed", "points_refused"):
            assert notices(api, world.code, user, event) == [], (user, event)


def test_a_job_i_started_finished(api: Api, worker: Any, make_tenant: Any,
                                  settings: Settings) -> None:
    code = make_tenant(people=12)
    period = seed_results(settings, code, QUARTER, kind="quarter", quarter=2)
    job = export_done(api, code, "leader", {"report": "unit_quarterly", "periodId": period})
    assert job["status"] == "done"
    worker.join()
    [told] = notices(api, code, "leader", "job_finished")
    assert (told["eventLabel"], told["title"], told["link"]) == (
        "任务已完成", "报表导出已完成", "/reports")
    assert told["body"] == "您发起的报表导出已完成，可以查看结果。"
    for user in ("admin", "kezhang", "ganbu"):
        assert notices(api, code, user, "job_finished") == [], user

"""Feedback interviews: who records them, who reads them, acknowledgement, completion per unit,
and the quarter that cannot close while interviews are missing."""

from __future__ import annotations

from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.factories import History, PastPeriod, history

RECORD = """mutation($i:InterviewInput!){ recordInterview(input:$i) { interview { id personId
  heldOn resultTold strengths weaknesses rootCauses fitRating acknowledged personComment
  topics { topic label covered notes } improvementPlan { action followUpOn } praise critique
  encouragement interviewerName personResultId period { name } }
  userErrors { code message field } } }"""
ACKNOWLEDGE = """mutation($p:ID!,$c:String!){ acknowledgeInterview(periodId:$p, comment:$c) {
  interview { personId acknowledged personComment resultTold fitRating }
  userErrors { code message } } }"""
READ = """query($p:ID!,$q:ID!){ feedbackInterview(periodId:$p, personId:$q) { personId
  resultTold acknowledged } }"""
LIST = "query($p:ID!){ feedbackInterviews(periodId:$p) { personId } }"
COMPLETION = """query($p:ID!){ interviewCompletion(periodId:$p) { unitName required done
  acknowledged missing { name employeeNo } } }"""
CLOSE = """mutation($id:ID!){ advancePeriod(id:$id, toState:closed) { period { state }
  userErrors { code message field } } }"""
SETTINGS = """mutation($s:JSON!){ updateTenantSettings(settings:$s, reason:"试行") {
  userErrors { code message } } }"""

TOPICS = [{"topic": "thinking", "covered": True, "notes": "思想稳定，工作积极"},
          {"topic": "achievements", "covered": True, "notes": "完成法律援助案件32件"},
          {"topic": "competence", "covered": True, "notes": "文字综合能力有待提升"},
          {"topic": "conduct", "covered": True, "notes": "作风扎实，按时办结"}]


def interview(period: str, person: str, **changes: Any) -> dict[str, Any]:
    data = {"periodId": period, "personId": person, "heldOn": "2026-01-08",
            "resultTold": "本季度评为“好”，排名第1", "strengths": "办案质量高",
            "weaknesses": "统筹协调不足", "rootCauses": "跨部门沟通少",
            "improvementPlan": [{"action": "牵头一次联合调解", "followUpOn": "2026-02-15"},
                                {"action": "参加公文写作培训", "followUpOn": "2026-03-31"}],
            "topics": TOPICS, "praise": "肯定办案成绩", "critique": "指出协调短板",
            "encouragement": "明确下季度方向", "fitRating": 4}
    data.update(changes)
    return data


def record(api: Api, code: str, user: str, period: str, person: str,
           **changes: Any) -> dict[str, Any]:
    body = api.as_(code, user, RECORD, {"i": interview(period, person, **changes)})
    assert "errors" not in body, body
    return body["data"]["recordInterview"]  # type: ignore[no-any-return]


def quarter(settings: Settings, code: str, state: str = "feedback",
            people: tuple[str, ...] = ("P004", "P006", "P007", "P008", "P009")) -> History:
    results = {no: ("good", rank) for rank, no in enumerate(people, start=1)}
    return history(settings, code, [PastPeriod(2025, 4, results, state=state)])


def error_code(payload: dict[str, Any]) -> str:
    assert payload["userErrors"], payload
    return str(payload["userErrors"][0]["code"])


def test_only_whoever_manages_records_the_interview(api: Api, make_tenant: Any,
                                                    settings: Settings) -> None:
    code = make_tenant(people=12)
    past = quarter(settings, code)
    period, ids = past.periods[(2025, 4)], past.people
    # The department head of d1 records for a staff member of d1 and of its sub-unit d1a.
    done = record(api, code, "kezhang", period, ids["P006"])
    assert done["userErrors"] == []
    saved = done["interview"]
    assert saved["personResultId"] == past.results[(2025, 4, "P006")]
    assert saved["interviewerName"]
    assert saved["period"]["name"] == "2025年第四季度"
    assert [t["label"] for t in saved["topics"]] == ["思想动态", "工作实绩", "能力素质", "作风养成"]
    assert all(t["covered"] and t["notes"] for t in saved["topics"])
    assert saved["improvementPlan"][1] == {"action": "参加公文写作培训",
                                           "followUpOn": "2026-03-31"}
    assert (saved["praise"], saved["critique"], saved["encouragement"], saved["fitRating"]) == (
        "肯定办案成绩", "指出协调短板", "明确下季度方向", 4)
    assert record(api, code, "kezhang", period, ids["P009"])["userErrors"] == []
    # Refused: a colleague, the person themselves, the head of another department, the admin
    # (no grant), and the head for himself.
    assert error_code(record(api, code, "ganbu2", period, ids["P006"])) == "NOT_FOUND"
    assert error_code(record(api, code, "ganbu", period, ids["P006"])) == "FORBIDDEN"
    assert error_code(record(api, code, "kezhang2", period, ids["P006"])) == "NOT_FOUND"
    assert error_code(record(api, code, "admin", period, ids["P007"])) == "FORBIDDEN"
    assert error_code(record(api, code, "kezhang", period, ids["P004"])) == "FORBIDDEN"
    # The head's own interview is held by the supervising leader who manages d1.
    assert record(api, code, "fenguan", period, ids["P004"])["userErrors"] == []
    assert error_code(record(api, code, "fenguan2", period, ids["P004"])) == "NOT_FOUND"
    # A role the tenant grants: the office records, for anyone but itself.
    assert error_code(record(api, code, "bangong", period, ids["P007"])) in (
        "FORBIDDEN", "NOT_FOUND")
    granted = api.as_(code, "admin", SETTINGS, {"s": {"feedback": {"recorder_roles":
                                                                    ["office"]}}})
    assert granted["data"]["updateTenantSettings"]["userErrors"] == []
    assert record(api, code, "bangong", period, ids["P007"])["userErrors"] == []
    assert error_code(record(api, code, "bangong", period, ids["P008"])) == "FORBIDDEN"
    bad = api.as_(code, "admin", SETTINGS, {"s": {"feedback": {"recorder_roles": ["staff"]}}})
    assert "不能授权" in bad["data"]["updateTenantSettings"]["userErrors"][0]["message"]
    # Anonymous callers are refused before any resolver.
    anonymous = api.call(RECORD, {"i": interview(period, ids["P006"])})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_the_person_acknowledges_but_cannot_edit_and_a_colleague_cannot_read(
        api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=12)
    past = quarter(settings, code)
    period, ids = past.periods[(2025, 4)], past.people
    assert record(api, code, "kezhang", period, ids["P006"])["userErrors"] == []
    assert record(api, code, "kezhang", period, ids["P007"])["userErrors"] == []
    # Readers: the person, whoever manages them, the admin. Not a colleague, not another head.
    for user in ("ganbu", "kezhang", "fenguan", "leader", "admin"):
        found = api.as_(code, user, READ, {"p": period, "q": ids["P006"]})
        assert found["data"]["feedbackInterview"]["personId"] == ids["P006"], user
    for user in ("ganbu2", "kezhang2", "fenguan2", "ganbu3"):
        found = api.as_(code, user, READ, {"p": period, "q": ids["P006"]})
        assert found["data"]["feedbackInterview"] is None, user
    listed = api.as_(code, "ganbu2", LIST, {"p": period})["data"]["feedbackInterviews"]
    assert [i["personId"] for i in listed] == [ids["P007"]]
    head = api.as_(code, "kezhang", LIST, {"p": period})["data"]["feedbackInterviews"]
    assert {i["personId"] for i in head} == {ids["P006"], ids["P007"]}
    assert api.as_(code, "kezhang2", LIST, {"p": period})["data"]["feedbackInterviews"] == []
    # The person acknowledges and comments; the record itself is unchanged.
    ack = api.as_(code, "ganbu", ACKNOWLEDGE, {"p": period, "c": "同意，将按计划改进"})
    mine = ack["data"]["acknowledgeInterview"]["interview"]
    assert (mine["acknowledged"], mine["personComment"]) == (True, "同意，将按计划改进")
    assert (mine["resultTold"], mine["fitRating"]) == ("本季度评为“好”，排名第1", 4)
    # The person cannot edit it; acknowledging only ever touches the caller's own record.
    assert error_code(record(api, code, "ganbu", period, ids["P006"], fitRating=5,
                             strengths="我自己改的")) == "FORBIDDEN"
    after = api.as_(code, "admin", "query($p:ID!,$q:ID!){ feedbackInterview(periodId:$p, "
                    "personId:$q) { strengths fitRating acknowledged } }",
                    {"p": period, "q": ids["P006"]})["data"]["feedbackInterview"]
    assert after == {"strengths": "办案质量高", "fitRating": 4, "acknowledged": True}
    # The head acknowledging acts on his own interview (none yet), never on the person's.
    no_own = api.as_(code, "kezhang", ACKNOWLEDGE, {"p": period, "c": "代为确认"})
    assert error_code(no_own["data"]["acknowledgeInterview"]) == "NOT_FOUND"
    # An edit by the head waits for the person's acknowledgement again.
    edited = record(api, code, "kezhang", period, ids["P006"], fitRating=3)
    assert edited["interview"]["acknowledged"] is False
    assert edited["interview"]["fitRating"] == 3
    log = api.as_(code, "admin", "{ auditLog(entity:\"feedback_interview\") { action } }")
    assert {e["action"] for e in log["data"]["auditLog"]} == {
        "interview.record", "interview.acknowledge", "interview.edit"}


def test_interview_content_is_checked(api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=9)
    past = quarter(settings, code)
    period, person = past.periods[(2025, 4)], past.people["P006"]

    def messages(**changes: Any) -> list[str]:
        errors = record(api, code, "kezhang", period, person, **changes)["userErrors"]
        return [e["message"] for e in errors]

    assert messages(topics=TOPICS[:2]) == ["“四必谈”须逐项谈到并记录要点，尚缺：能力素质、作风养成"]
    assert messages(topics=[*TOPICS[:3], {"topic": "conduct", "covered": False,
                                          "notes": "未谈"}]) == [
        "“四必谈”须逐项谈到并记录要点，尚缺：作风养成"]
    assert messages(fitRating=6) == ["人岗契合度须为1到5分"]
    assert messages(improvementPlan=[]) == ["须商定至少一项改进措施及跟进时间"]
    assert messages(improvementPlan=[{"action": "x", "followUpOn": "2026-01-01"}]) == [
        "第1项改进措施的跟进时间不能早于谈话日期"]
    assert messages(critique=" ", heldOn="2099-01-01",
                    improvementPlan=[{"action": "x", "followUpOn": "2099-02-01"}]) == [
        "分析不足（负）不能为空", "谈话日期不能晚于今天"]
    # The tenant may relax 四必谈.
    api.as_(code, "admin", SETTINGS, {"s": {"feedback": {"require_all_topics": False}}})
    assert messages(topics=TOPICS[:1]) == []


def test_interviews_follow_confirmed_results(api: Api, make_tenant: Any,
                                             settings: Settings) -> None:
    code = make_tenant(people=9)
    past = history(settings, code, [PastPeriod(2025, 3, {"P006": ("good", 1)}, state="rating"),
                                    PastPeriod(2025, None, {"P006": ("excellent", 1)},
                                               state="feedback")])
    early = record(api, code, "kezhang", past.periods[(2025, 3)], past.people["P006"])
    assert error_code(early) == "RULE_VIOLATION"
    yearly = record(api, code, "kezhang", past.periods[(2025, None)], past.people["P006"])
    assert error_code(yearly) == "INVALID"


def test_closing_with_missing_interviews_is_refused_naming_who_is_missing(
        api: Api, make_tenant: Any, settings: Settings) -> None:
    code = make_tenant(people=12)
    past = quarter(settings, code, people=("P006", "P007", "P008", "P009"))
    period, ids = past.periods[(2025, 4)], past.people
    names = {e["node"]["employeeNo"]: e["node"]["name"] for e in api.as_(
        code, "admin", "{ people(first:50) { edges { node { employeeNo name } } } }")[
        "data"]["people"]["edges"]}
    assert record(api, code, "kezhang", period, ids["P006"])["userErrors"] == []
    refused = api.as_(code, "admin", CLOSE, {"id": period})["data"]["advancePeriod"]
    assert refused["period"] is None
    [error] = refused["userErrors"]
    assert (error["code"], error["field"]) == ("RULE_VIOLATION", "interviews")
    assert error["message"].startswith("尚有3人未完成反馈谈话")
    for no in ("P007", "P008", "P009"):
        assert f"{names[no]}（{no}）" in error["message"]
    assert names["P006"] not in error["message"]
    assert "第一科：" in error["message"]
    assert "第二科：" in error["message"]
    # Completion per unit: the admin sees every unit, a head the units he manages.
    units = {u["unitName"]: u for u in api.as_(code, "admin", COMPLETION, {"p": period})[
        "data"]["interviewCompletion"]}
    assert {n: (u["required"], u["done"]) for n, u in units.items()} == {
        "第一科": (2, 1), "第一科一组": (1, 0), "第二科": (1, 0)}
    assert units["第一科"]["missing"] == [{"name": names["P007"], "employeeNo": "P007"}]
    head = api.as_(code, "kezhang", COMPLETION, {"p": period})["data"]["interviewCompletion"]
    assert {u["unitName"] for u in head} == {"第一科", "第一科一组"}
    staff = api.as_(code, "ganbu", COMPLETION, {"p": period})
    assert staff["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Once everyone was interviewed, the quarter closes.
    for user, no in (("kezhang", "P007"), ("kezhang2", "P008"), ("kezhang", "P009")):
        assert record(api, code, user, period, ids[no])["userErrors"] == []
    assert api.as_(code, "ganbu", ACKNOWLEDGE, {"p": period, "c": ""})[
        "data"]["acknowledgeInterview"]["userErrors"] == []
    units = {u["unitName"]: u for u in api.as_(code, "admin", COMPLETION, {"p": period})[
        "data"]["interviewCompletion"]}
    assert (units["第一科"]["done"], units["第一科"]["acknowledged"]) == (2, 1)
    closed = api.as_(code, "admin", CLOSE, {"id": period})["data"]["advancePeriod"]
    assert closed["period"]["state"] == "closed", closed
    # Closed: the record is frozen, but a person may still acknowledge what was said (a
    # receipt that changes no result).
    assert error_code(record(api, code, "kezhang", period, ids["P007"])) == "FROZEN"
    late = api.as_(code, "ganbu2", ACKNOWLEDGE, {"p": period, "c": "已知悉"})
    assert late["data"]["acknowledgeInterview"]["userErrors"] == [], late
    units = {u["unitName"]: u for u in api.as_(code, "admin", COMPLETION, {"p": period})[
        "data"]["interviewCompletion"]}
    assert units["第一科"]["acknowledged"] == 2


def test_the_tenant_may_close_with_interviews_missing(api: Api, make_tenant: Any,
                                                      settings: Settings) -> None:
    code = make_tenant(people=9)
    period = quarter(settings, code).periods[(2025, 4)]
    assert error_code(api.as_(code, "admin", CLOSE, {"id": period})["data"]["advancePeriod"]) == (
        "RULE_VIOLATION")
    api.as_(code, "admin", SETTINGS, {"s": {"periods": {"require_interviews_to_close": False}}})
    closed = api.as_(code, "admin", CLOSE, {"id": period})["data"]["advancePeriod"]
    assert closed["period"]["state"] == "closed", closed


def test_policy_whoever_manages_records_the_person_acknowledges() -> None:
    """The casbin policy itself, without the API: record / read / acknowledge by relation."""
    import uuid

    from authz import Actor, Authorizer, Permission, Target
    from authz.relations import managed_scope
    from rules.org_tree import OrgTree
    from vocab.org import Role

    unit, sub, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    tree = OrgTree([(unit, None, 0), (other, None, 1), (sub, unit, 0)])
    me, colleague, head = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()

    def who(role: Role, person: uuid.UUID, kind: str | None = None,
            where: uuid.UUID | None = None) -> Authorizer:
        scope = managed_scope([(kind, where)], tree) if kind else managed_scope([], tree)
        return Authorizer(Actor(tenant_id=uuid.uuid4(), tenant_kind="county_bureau",
                                roles=frozenset({role}), account_id=uuid.uuid4(),
                                person_id=person, managed=scope))

    def of(person: uuid.UUID, where: uuid.UUID) -> Target:
        return Target(kind="feedback_interview", person_id=person, unit_id=where)

    staff = who(Role.staff, me)
    head_of_unit = who(Role.department_head, head, "department_head", unit)
    head_elsewhere = who(Role.department_head, uuid.uuid4(), "department_head", other)
    principal = who(Role.principal_leader, uuid.uuid4(), "principal_leader")
    admin = who(Role.tenant_admin, uuid.uuid4())
    mine, theirs = of(me, unit), of(colleague, sub)
    assert head_of_unit.can(Permission.interview_record, mine)
    assert head_of_unit.can(Permission.interview_record, theirs)  # the sub-unit
    assert not head_of_unit.can(Permission.interview_record, of(head, unit))  # not himself
    assert principal.can(Permission.interview_record, of(head, unit))
    for nobody in (staff, head_elsewhere, admin):
        assert not nobody.can(Permission.interview_record, mine)
    assert staff.can(Permission.interview_read, mine)
    assert not staff.can(Permission.interview_read, of(colleague, unit))
    assert not head_elsewhere.can(Permission.interview_read, mine)
    assert admin.can(Permission.interview_read, mine)
    assert staff.can(Permission.interview_acknowledge, mine)
    assert not head_of_unit.can(Permission.interview_acknowledge, mine)
    assert not admin.can(Permission.interview_acknowledge, mine)

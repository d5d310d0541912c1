"""Templates per unit kind and the pilot units' own: they load, validate, and read back through
GraphQL; a newly provisioned tenant gets its kind's template as a draft; the demo has tasks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from demo.plans import DEMO_TASKS, demo_as_of
from rules.scheme_validation import DimensionSpec, NodeSpec, check_scheme
from tenants.templates import BY_DEMO_CODE, BY_KIND, SchemeTemplate, template_for_kind, walk
from tests.conftest import Api, unique_code
from tests.plans_helpers import YEAR, by_code, scheme, version
from vocab.org import TenantKind

TEMPLATES = {**{k.value: t for k, t in BY_KIND.items()}, **BY_DEMO_CODE}
PILOTS = ("cdjw", "wjgx", "gtlg", "qlsfj", "djyzzb", "hsz", "xhjd")


def problems_of(template: SchemeTemplate) -> list[str]:
    nodes = [NodeSpec(n.code, n.code, n.name, n.kind, parent, n.weight, n.cap, n.points)
             for n, parent in walk(template.nodes)]
    dims = [DimensionSpec(d.code, d.code, d.name, d.weight) for d in template.dimensions]
    return [p.message for p in check_scheme(nodes, dims)]


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_every_template_validates(key: str) -> None:
    assert problems_of(TEMPLATES[key]) == []


def test_a_broken_template_would_be_caught() -> None:
    template = TEMPLATES["county_bureau"]
    broken = SchemeTemplate(template.key, template.name, template.dimensions[:2], template.nodes)
    assert "评价维度权重合计应为100，当前为70" in problems_of(broken)


def test_every_appraised_kind_has_a_template() -> None:
    assert {k for k in TenantKind if template_for_kind(k) is None} == {
        TenantKind.organization_department}


def read_back(api: Api, code: str) -> dict[str, Any]:
    found = scheme(api, code, "ganbu")  # every person sees the scheme
    assert found["current"] is not None, code
    assert found["current"]["status"] == "published"
    current = version(api, code, found["current"]["id"], "ganbu")
    assert current["problems"] == [], (code, current["problems"])
    return current


@pytest.mark.parametrize("code", PILOTS)
def test_each_pilot_scheme_reads_back_valid_and_published(api: Api, code: str) -> None:
    current = read_back(api, code)
    codes = by_code(current)
    # conduct standards come first, then the work results
    assert [n["code"] for n in current["tree"]][:2] == ["ZZ", "SJ"]
    assert all(c["kind"] == "conduct_standard" for c in current["tree"][0]["children"])
    assert codes["SJ"]["weight"] == 100
    assert {d["code"] for d in current["dimensions"]} >= {
        "task_completion", "difficulty", "innovation", "conduct"}


def test_commission_negative_list_is_judged_first(api: Api) -> None:
    current = read_back(api, "cdjw")
    conduct = current["tree"][0]
    assert conduct["code"] == "ZZ"
    assert len(conduct["children"]) == 8
    serious = [n for n in current["indicators"] if n["kind"] == "conduct_standard"
               and n["serious"]]
    assert serious, "the commission's negative list has serious items (they cap the grade)"


def test_wenjiang_investment_credit_needs_a_confirmed_signed_deal(api: Api) -> None:
    credit = by_code(read_back(api, "wjgx"))["JF01"]
    assert credit["name"] == "项目招引（招商引资）"
    assert credit["kind"] == "credit"
    assert credit["needsConfirmation"] is True
    assert "签约落地" in credit["confirmationNote"]
    assert Decimal(credit["cap"]) == 12


def test_qionglai_responsibility_letter_attaches_indicators_to_posts(api: Api) -> None:
    codes = by_code(read_back(api, "qlsfj"))
    letter_codes = ("FLYZ", "SQJZ", "RMTJ", "PFXC", "JCFZ")
    assert [codes[c]["name"] for c in letter_codes] == [
        "法律援助", "社区矫正", "人民调解", "普法宣传", "基层法治建设"]
    assert all(codes[c]["appliesTo"] == "posts" for c in letter_codes)
    letters = api.as_("qlsfj", "admin", "{ responsibilityLetters { post { name } lines "
                      "{ indicatorCode target } } }")["data"]["responsibilityLetters"]
    by_post = {x["post"]["name"]: [line["indicatorCode"] for line in x["lines"]]
               for x in letters}
    assert by_post["法律援助岗"] == ["FLYZ"]
    assert by_post["社区矫正岗"] == ["SQJZ"]
    assert by_post["所长"] == ["SQJZ", "RMTJ", "JCFZ"]


def test_dujiangyan_commendations_and_error_notices(api: Api) -> None:
    current = read_back(api, "djyzzb")
    tops = {n["code"]: n for n in current["tree"]}
    codes = by_code(current)
    assert codes["DZ"]["name"] == "点赞事项"
    assert codes["CQ"]["name"] == "错情通报"
    assert {c["kind"] for c in tops["DZ"]["children"]} == {"credit"}
    assert {c["kind"] for c in tops["CQ"]["children"]} == {"deduction"}


def test_huangshui_cooperation_dimension_rated_by_village_secretaries(api: Api) -> None:
    dims = {d["code"]: d for d in read_back(api, "hsz")["dimensions"]}
    cooperation = dims["cooperation"]
    assert cooperation["name"] == "协同配合"
    assert "external_rater" in cooperation["raterRoles"]
    assert "外部评价人" in cooperation["raterRoleLabels"]
    assert sum(d["weight"] for d in dims.values()) == 100


def test_provisioning_gives_the_kind_template_as_a_draft(api: Api) -> None:
    code = unique_code("p")
    result = api.as_("cdzzb", "shiwei", "mutation($c:String!){ provisionTenant(input:{code:$c,"
                     "name:\"某镇\",kind:township,adminUsername:\"boss\",adminPassword:"
                     "\"Long#Pass2026\"}) { tenant { id } userErrors { code message } } }",
                     {"c": code})
    assert result["data"]["provisionTenant"]["userErrors"] == [], result
    token = api.call("mutation($c:String!){ login(tenantCode:$c, username:\"boss\", "
                     "password:\"Long#Pass2026\") { token } }", {"c": code}
                     )["data"]["login"]["token"]
    # A provisioned administrator changes the initial password first.
    token = api.call("mutation{ changePassword(currentPassword:\"Long#Pass2026\", "
                     "newPassword:\"Other#Pass2026\") { token } }", token=token
                     )["data"]["changePassword"]["token"]
    body = api.call("query($y:Int!){ indicatorScheme(year:$y) { current { id } draft { id "
                    "dimensions { code } problems { message } } } }", {"y": YEAR}, token)
    found = body["data"]["indicatorScheme"]
    assert found["current"] is None
    assert found["draft"]["problems"] == []
    assert "cooperation" in {d["code"] for d in found["draft"]["dimensions"]}


TASKS = """query($f:TaskFilterInput){ tasks(filter:$f) { code level sourceKind sourceLabel
  title dueOn status parentId overdue(on: "%s")
  milestones { title dueOn doneOn overdue(on: "%s") }
  children { code level personId } rollup(on: "%s") { total done overdue } } }"""


@pytest.mark.parametrize("code", sorted(DEMO_TASKS))
def test_demo_tasks_have_sources_decomposition_and_overdue_items(api: Api, code: str) -> None:
    day = demo_as_of(YEAR).isoformat()
    tasks = api.as_(code, "admin", TASKS % (day, day, day), {"f": {"year": YEAR}}
                    )["data"]["tasks"]
    # The demo's own tasks: the portal's tests import standalone tenant tasks beside them.
    demo_codes = {t.code for t in DEMO_TASKS[code]}
    top = [t for t in tasks if t["level"] == "tenant" and t["code"] in demo_codes]
    assert {t["code"] for t in top} == demo_codes
    assert {t["sourceKind"] for t in top} == {"central", "municipal", "plenary", "ad_hoc"}
    for task in top:
        assert {c["level"] for c in task["children"]} == {"unit"}
        assert task["rollup"]["total"] == 2
    # The demo's unit tasks come from its tenant tasks (other tests may add standalone ones).
    units = [t for t in tasks if t["level"] == "unit" and t["parentId"]]
    assert units
    # (the portal's tests decompose tasks of their own to departments only)
    assert any(any(c["level"] == "person" and c["personId"] for c in t["children"])
               for t in units)
    overdue_milestones = [m for t in tasks for m in t["milestones"] if m["overdue"]]
    assert overdue_milestones, "the demo has lagging milestones as of its reference date"
    assert any(t["overdue"] for t in tasks), "and overdue tasks"
    lagging = api.as_(code, "admin", "query($f:TaskFilterInput){ tasks(filter:$f) { code } }",
                      {"f": {"year": YEAR, "overdueOn": day}})["data"]["tasks"]
    assert {t["code"] for t in lagging} == {
        t["code"] for t in tasks if t["overdue"] or any(m["overdue"] for m in t["milestones"])}

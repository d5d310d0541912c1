"""The demo as loaded (issue 14 point 7): every person holds an account and can log in."""

from __future__ import annotations

from demo.catalog import pilot_tenants
from tests.conftest import Api

ME = "{ me { roles account { username } person { employeeNo } } }"


def test_every_person_of_the_demo_holds_an_account(api: Api) -> None:
    for demo in pilot_tenants():
        if demo.kind == "organization_department":
            continue
        body = api.as_(demo.code, "admin", "{ accounts { username person { employeeNo } } }")
        assert "errors" not in body, body
        linked = {a["person"]["employeeNo"] for a in body["data"]["accounts"] if a["person"]}
        assert linked == {p.employee_no for p in demo.people}, demo.code


def test_a_person_logs_in_with_the_lower_case_employee_number(api: Api) -> None:
    [xhjd] = [t for t in pilot_tenants() if t.code == "xhjd"]
    account = xhjd.person_accounts[-1]
    assert account.employee_no is not None
    me = api.as_("xhjd", account.username, ME)["data"]["me"]
    assert me["account"]["username"] == account.employee_no.lower()
    assert me["person"]["employeeNo"] == account.employee_no
    assert me["roles"] == list(account.roles)

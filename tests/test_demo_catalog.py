"""The demo catalogue of the pilot (pure data): shape, consistency and determinism."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from demo.catalog import (
    ACCOUNT_USERNAMES,
    COMPARISON_GROUPS,
    DEMO_PASSWORD,
    OVERSEER_USERNAMES,
    RANK_TITLES,
    ROLES,
    UNIT_KINDS,
    DemoPerson,
    DemoTenant,
    DemoUnit,
    person_username,
    pilot_tenants,
    walk_units,
)

TENANTS = pilot_tenants()
APPRAISED = [t for t in TENANTS if t.kind != "organization_department"]

EXPECTED_KINDS = {
    "cdjw": ("成都市纪委监委", "discipline_commission"),
    "wjgx": ("温江高新区", "industrial_park"),
    "gtlg": ("成都国际铁路港经开区管委会", "industrial_park"),
    "qlsfj": ("邛崃市司法局", "county_bureau"),
    "djyzzb": ("都江堰市委组织部", "county_bureau"),
    "hsz": ("双流区黄水镇", "township"),
    "xhjd": ("金牛区西华街道", "subdistrict"),
    "cdzzb": ("成都市委组织部", "organization_department"),
}
CHINESE_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
CJK = re.compile(r"[\u4e00-\u9fff]")
ASCII_CODE = re.compile(r"^[a-z][a-z0-9]*$")


def _units(tenant: DemoTenant) -> list[DemoUnit]:
    return list(walk_units(tenant.units))


def _managed(tenant: DemoTenant) -> list[DemoUnit]:
    return [u for u in _units(tenant) if u.kind in ("department", "subunit")]


def _people(tenant: DemoTenant) -> dict[str, DemoPerson]:
    return {p.employee_no: p for p in tenant.people}


def _account(tenant: DemoTenant, username: str) -> DemoPerson:
    [account] = [a for a in tenant.accounts if a.username == username]
    assert account.employee_no is not None
    return _people(tenant)[account.employee_no]


def _ids(tenants: Sequence[DemoTenant]) -> list[str]:
    return [t.code for t in tenants]


def test_password() -> None:
    assert DEMO_PASSWORD == "Demo@2026"


def test_same_output_on_every_call() -> None:
    assert pilot_tenants() == TENANTS
    assert repr(pilot_tenants()) == repr(TENANTS)


def test_same_output_in_every_process() -> None:
    """Nothing depends on hash randomisation (set or dict-of-str iteration order)."""
    script = "from demo.catalog import pilot_tenants; print(repr(pilot_tenants()))"
    root = Path(__file__).resolve().parent.parent
    outputs = set()
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", script],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        outputs.add(done.stdout.strip())
    assert outputs == {repr(TENANTS)}


def test_eight_tenants_with_their_kinds() -> None:
    assert {t.code: (t.name, t.kind) for t in TENANTS} == EXPECTED_KINDS
    assert len(TENANTS) == 8


@pytest.mark.parametrize("tenant", APPRAISED, ids=_ids(APPRAISED))
def test_appraised_headcount(tenant: DemoTenant) -> None:
    appraised = sum(p.appraised for p in tenant.people)
    assert 30 <= appraised <= 300
    if tenant.code == "cdjw":
        assert 250 <= appraised <= 300
        assert max(len(t.people) for t in TENANTS) == len(tenant.people)


@pytest.mark.parametrize("tenant", TENANTS, ids=_ids(TENANTS))
def test_codes_are_unique_and_references_exist(tenant: DemoTenant) -> None:
    units = _units(tenant)
    unit_codes = [u.code for u in units]
    assert len(unit_codes) == len(set(unit_codes))
    assert all(ASCII_CODE.match(code) for code in unit_codes)
    assert all(u.kind in UNIT_KINDS and CJK.search(u.name) for u in units)

    post_codes = [p.code for p in tenant.posts]
    assert len(post_codes) == len(set(post_codes))
    assert all(
        ASCII_CODE.match(code) and CJK.search(p.name)
        for code, p in zip(post_codes, tenant.posts, strict=True)
    )

    numbers = [p.employee_no for p in tenant.people]
    assert len(numbers) == len(set(numbers))
    assert all(re.match(r"^[A-Z]{2}\d{4}$", n) for n in numbers)
    for person in tenant.people:
        assert person.unit_code in unit_codes
        assert person.post_code in post_codes
    # every post of the catalogue is used by someone
    assert {p.post_code for p in tenant.people} == set(post_codes)

    usernames = [a.username for a in tenant.accounts]
    assert len(usernames) == len(set(usernames))
    people = _people(tenant)
    for account in tenant.accounts:
        assert account.username.isascii()
        assert set(account.roles) <= set(ROLES)
        assert account.employee_no is None or account.employee_no in people


@pytest.mark.parametrize("tenant", TENANTS, ids=_ids(TENANTS))
def test_people_look_real(tenant: DemoTenant) -> None:
    names = [p.name for p in tenant.people]
    assert all(CHINESE_NAME.match(name) for name in names)
    assert len(names) == len(set(names)), "names are unique within a tenant"
    assert {p.gender for p in tenant.people} == {"男", "女"}
    assert {p.comparison_group for p in tenant.people} <= set(COMPARISON_GROUPS)
    for person in tenant.people:
        if person.appraised or tenant.kind == "organization_department":
            assert person.rank_title in RANK_TITLES
        else:
            assert person.rank_title  # external raters: not a civil-service rank, not empty


@pytest.mark.parametrize("tenant", APPRAISED, ids=_ids(APPRAISED))
def test_management_relations(tenant: DemoTenant) -> None:
    people = _people(tenant)
    units = _units(tenant)
    [leadership] = [u for u in tenant.units if u.kind == "leadership"]
    assert CJK.search(leadership.name)

    assert tenant.principal_leader is not None
    principal = people[tenant.principal_leader]
    assert principal.unit_code == leadership.code
    assert principal.comparison_group == "leader"

    assert 2 <= len(tenant.supervising_leaders) <= 5
    supervised: Counter[str] = Counter()
    supervisor_of: dict[str, str] = {}
    for employee_no, unit_codes in tenant.supervising_leaders:
        assert people[employee_no].unit_code == leadership.code
        assert employee_no != tenant.principal_leader
        assert len(unit_codes) >= 2
        supervised.update(unit_codes)
        supervisor_of.update(dict.fromkeys(unit_codes, employee_no))
    managed = _managed(tenant)
    assert managed
    assert set(supervised) == {u.code for u in managed}
    assert all(count == 1 for count in supervised.values())

    heads = Counter(unit for _, unit in tenant.department_heads)
    assert set(heads) == {u.code for u in managed}
    assert all(count == 1 for count in heads.values())
    head_numbers = [employee_no for employee_no, _ in tenant.department_heads]
    assert len(head_numbers) == len(set(head_numbers)), "nobody heads two units"
    for employee_no, unit_code in tenant.department_heads:
        head = people[employee_no]
        assert head.unit_code == unit_code
        assert head.comparison_group == "leader"
        assert head.appraised

    # a nested sub-unit is supervised by the supervising leader of its parent
    for unit in units:
        for child in unit.children:
            if unit.kind in ("department", "subunit"):
                assert supervisor_of[child.code] == supervisor_of[unit.code]

    # the leadership holds exactly the principal and the supervising leaders
    in_leadership = {p.employee_no for p in tenant.people if p.unit_code == leadership.code}
    assert in_leadership == {tenant.principal_leader} | {e for e, _ in tenant.supervising_leaders}

    # everybody else in a managed unit is "staff" and has a head above them
    for person in tenant.people:
        if person.unit_code in heads and person.employee_no not in head_numbers:
            assert person.comparison_group == "staff"


@pytest.mark.parametrize("tenant", APPRAISED, ids=_ids(APPRAISED))
def test_accounts_of_an_appraised_tenant(tenant: DemoTenant) -> None:
    assert [(a.username, a.roles) for a in tenant.accounts] == [
        (username, (role,)) for username, role in ACCOUNT_USERNAMES
    ]
    linked = [a.employee_no for a in tenant.accounts if a.employee_no is not None]
    assert len(linked) == len(set(linked)), "one person, one demo account"

    assert _account(tenant, "leader").employee_no == tenant.principal_leader

    fenguan = _account(tenant, "fenguan")
    supervised = dict(tenant.supervising_leaders)[fenguan.employee_no]

    kezhang = _account(tenant, "kezhang")
    department = {unit: e for e, unit in tenant.department_heads}
    assert kezhang.unit_code in supervised
    assert department[kezhang.unit_code] == kezhang.employee_no

    ganbu, ganbu2 = _account(tenant, "ganbu"), _account(tenant, "ganbu2")
    assert ganbu.employee_no != ganbu2.employee_no
    for staff in (ganbu, ganbu2):
        assert staff.unit_code == kezhang.unit_code
        assert staff.comparison_group == "staff"
        assert staff.appraised

    units = {u.code: u for u in _units(tenant)}
    bangong = _account(tenant, "bangong")
    assert units[bangong.unit_code].name in ("办公室", "党政办", "党政办公室")
    assert bangong.unit_code != kezhang.unit_code

    [waibu] = [a for a in tenant.accounts if a.username == "waibu"]
    if tenant.code == "hsz":
        assert waibu.employee_no is not None
        secretary = _people(tenant)[waibu.employee_no]
        assert not secretary.appraised
        assert units[secretary.unit_code].kind == "village"
    else:
        assert waibu.employee_no is None


def test_huangshui_villages_rate_but_are_not_appraised() -> None:
    [hsz] = [t for t in TENANTS if t.code == "hsz"]
    [root] = [u for u in hsz.units if u.kind == "village"]
    assert root.name == "村（社区）"
    assert len(root.children) >= 4
    assert all(c.kind == "village" for c in root.children)
    posts = {p.code: p.name for p in hsz.posts}
    village_codes = {root.code} | {c.code for c in root.children}
    for child in root.children:
        [secretary] = [p for p in hsz.people if p.unit_code == child.code]
        assert posts[secretary.post_code] == "村（社区）党委书记"
        assert not secretary.appraised
    outside = [p for p in hsz.people if p.unit_code not in village_codes]
    assert all(p.appraised for p in outside)
    # villages appear only in 黄水镇
    others = [u for t in TENANTS if t.code != "hsz" for u in _units(t)]
    assert all(u.kind != "village" for u in others)


def test_overseer_is_not_appraised() -> None:
    [cdzzb] = [t for t in TENANTS if t.kind == "organization_department"]
    assert cdzzb.people
    assert not any(p.appraised for p in cdzzb.people)
    assert cdzzb.principal_leader is None
    assert cdzzb.supervising_leaders == ()
    assert cdzzb.department_heads == ()
    assert [(a.username, a.roles) for a in cdzzb.accounts] == [
        (username, (role,)) for username, role in OVERSEER_USERNAMES
    ]
    people = _people(cdzzb)
    for account in cdzzb.accounts:
        assert account.employee_no in people


def test_the_seed_specifics_are_present() -> None:
    by_code = {t.code: t for t in TENANTS}

    def unit_names(code: str) -> set[str]:
        return {u.name for u in _units(by_code[code])}

    def post_names(code: str) -> set[str]:
        return {p.name for p in by_code[code].posts}

    cdjw = unit_names("cdjw")
    assert {"办公室", "组织部", "案件审理室", "第一纪检监察室", "第十纪检监察室"} <= cdjw
    assert any(u.kind == "subunit" and "派驻" in u.name for u in _units(by_code["cdjw"]))
    assert "投资促进局" in unit_names("wjgx")
    assert "项目招引岗" in post_names("wjgx")
    assert {"法律援助中心", "社区矫正科", "临邛司法所"} <= unit_names("qlsfj")
    assert {"法律援助岗", "社区矫正岗", "人民调解岗", "普法宣传岗", "基层法治建设岗"} <= post_names(
        "qlsfj"
    )
    assert {"办公室", "干部科", "组织科", "公务员科", "人才办"} <= unit_names("djyzzb")
    assert {"党政办公室", "社区发展治理办公室", "综合行政执法队"} <= unit_names("xhjd")


@pytest.mark.parametrize("tenant", APPRAISED, ids=_ids(APPRAISED))
def test_every_person_of_an_appraised_tenant_holds_one_account(tenant: DemoTenant) -> None:
    accounts = (*tenant.accounts, *tenant.person_accounts)
    linked = [a.employee_no for a in accounts if a.employee_no is not None]
    assert sorted(linked) == sorted(p.employee_no for p in tenant.people)
    usernames = [a.username for a in accounts]
    assert len(usernames) == len(set(usernames))
    heads = {no for no, _ in tenant.department_heads}
    for account in tenant.person_accounts:
        assert account.employee_no is not None
        assert account.username == person_username(account.employee_no)
        assert account.username == account.employee_no.lower()
        person = _people(tenant)[account.employee_no]
        expected = ("department_head" if account.employee_no in heads
                    else "staff" if person.appraised else "external_rater")
        if account.employee_no == tenant.principal_leader:
            expected = "principal_leader"
        elif account.employee_no in dict(tenant.supervising_leaders):
            expected = "supervising_leader"
        assert account.roles == (expected,)


def test_the_overseer_keeps_only_its_two_accounts() -> None:
    [overseer] = [t for t in TENANTS if t.kind == "organization_department"]
    assert overseer.person_accounts == ()

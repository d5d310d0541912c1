"""Demo catalogue of the Chengdu pilot: its records, built from data files (no database).

The eight tenants of DOMAIN.md ("The tenants of the pilot"): the pilot unit 成都市纪委监委, the
six contact points (two industrial parks, two county-level bureaus, a township and a
sub-district) and the overseer 成都市委组织部. Each appraised tenant gets a realistic org tree
(a 领导班子 plus departments and sub-units), 30 to 300 people with realistic names and 职级,
the management relations ("谁管理谁评价": principal leader, supervising leaders, department
heads) and one demo account per role with fixed usernames (see ``ACCOUNT_USERNAMES``).
Every other person of an appraised tenant holds an account too (``person_accounts``): its
username is the employee number in lower case (``JW0012`` -> ``jw0012``), so it is stable as
long as the catalogue is, and its one role follows the person's place: the principal leader,
a supervising leader, a department head, an external rater (村（社区）书记) or staff.

The tenants, their units, posts, rank profiles and name pools are data (demo/data, read by
``demo.specs``); the people are generated from them by seeded ``random.Random`` instances (one
per tenant, seeded with a string, which does not depend on ``PYTHONHASHSEED``), so
``pilot_tenants()`` returns the same catalogue on every call and in every process. The loader
that writes it to the database lives elsewhere.

Conventions:

* ``comparison_group`` is ``"leader"`` for the members of the 领导班子 and the head of every
  department or sub-unit, ``"staff"`` for everyone else (deputies included).
* Every unit of kind ``department`` or ``subunit`` has exactly one head and is supervised by
  exactly one supervising leader; a nested sub-unit is supervised by the leader of its parent.
* External raters (黄水镇's village and community secretaries) and everyone in the overseer
  tenant are ``appraised=False``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Final

from demo.specs import DeptSpec, PilotData, TenantSpec, load_pilot
from vocab.org import ComparisonGroup, Role, TenantKind, UnitKind

__all__ = [
    "ACCOUNT_USERNAMES",
    "COMPARISON_GROUPS",
    "DEMO_PASSWORD",
    "OVERSEER_USERNAMES",
    "RANK_TITLES",
    "ROLES",
    "TENANT_KINDS",
    "UNIT_KINDS",
    "VILLAGE_RANK",
    "DemoAccount",
    "DemoPerson",
    "DemoPost",
    "DemoTenant",
    "DemoUnit",
    "person_accounts",
    "person_username",
    "pilot_tenants",
    "walk_units",
]

DEMO_PASSWORD: Final[str] = "Demo@2026"

# The closed vocabularies the catalogue's data files are checked against (defined in vocab/).
UNIT_KINDS: Final = tuple(kind.value for kind in UnitKind)
TENANT_KINDS: Final = tuple(kind.value for kind in TenantKind)
ROLES: Final = tuple(role.value for role in Role)
COMPARISON_GROUPS: Final = tuple(group.value for group in ComparisonGroup)

# The fixed demo usernames of every appraised tenant, with the one role each carries.
ACCOUNT_USERNAMES: Final = (
    ("admin", "tenant_admin"),
    ("leader", "principal_leader"),
    ("fenguan", "supervising_leader"),
    ("kezhang", "department_head"),
    ("bangong", "office"),
    ("ganbu", "staff"),
    ("ganbu2", "staff"),
    ("waibu", "external_rater"),
)
# The accounts of the overseer tenant (成都市委组织部).
OVERSEER_USERNAMES: Final = (
    ("admin", "tenant_admin"),
    ("shiwei", "city_organization_department"),
)

# 公务员职级序列 (highest first), plus the title used for non-civil-servant external raters.
VILLAGE_RANK: Final = "村（社区）干部"
RANK_TITLES: Final = (
    "一级巡视员",
    "二级巡视员",
    "一级调研员",
    "二级调研员",
    "三级调研员",
    "四级调研员",
    "一级主任科员",
    "二级主任科员",
    "三级主任科员",
    "四级主任科员",
    "一级科员",
    "二级科员",
)


@dataclass(frozen=True)
class DemoUnit:
    code: str  # unique within the tenant, ASCII
    name: str
    kind: str  # one of UNIT_KINDS
    children: tuple[DemoUnit, ...] = ()


@dataclass(frozen=True)
class DemoPost:
    code: str
    name: str


@dataclass(frozen=True)
class DemoPerson:
    employee_no: str  # unique within the tenant
    name: str
    gender: str  # "男" | "女"
    unit_code: str
    post_code: str
    rank_title: str  # 职级
    comparison_group: str  # "leader" | "staff"
    appraised: bool = True


@dataclass(frozen=True)
class DemoAccount:
    username: str  # ASCII, unique within the tenant
    roles: tuple[str, ...]
    employee_no: str | None


@dataclass(frozen=True)
class DemoTenant:
    code: str
    name: str
    kind: str
    units: tuple[DemoUnit, ...]
    posts: tuple[DemoPost, ...]
    people: tuple[DemoPerson, ...]
    principal_leader: str | None
    supervising_leaders: tuple[tuple[str, tuple[str, ...]], ...]
    department_heads: tuple[tuple[str, str], ...]
    accounts: tuple[DemoAccount, ...]
    # Accounts of everyone without one of ``accounts`` (see ``person_accounts``); the README
    # and the run command list only ``accounts``, the example logins per role.
    person_accounts: tuple[DemoAccount, ...] = ()


def person_username(employee_no: str) -> str:
    """The username of a person's own demo account: the employee number in lower case."""
    return employee_no.lower()


def person_accounts(tenant: DemoTenant) -> tuple[DemoAccount, ...]:
    """An account for every person of ``tenant`` without a named one, with the role of the
    person's place ("谁管理谁评价" needs every manager and every rater to log in)."""
    taken = {a.employee_no for a in tenant.accounts if a.employee_no}
    roles: dict[str, Role] = {no: Role.department_head for no, _ in tenant.department_heads}
    roles.update((no, Role.supervising_leader) for no, _ in tenant.supervising_leaders)
    if tenant.principal_leader:
        roles[tenant.principal_leader] = Role.principal_leader
    return tuple(
        DemoAccount(person_username(p.employee_no),
                    (roles.get(p.employee_no,
                               Role.staff if p.appraised else Role.external_rater).value,),
                    p.employee_no)
        for p in tenant.people if p.employee_no not in taken)


def walk_units(units: tuple[DemoUnit, ...]) -> Iterator[DemoUnit]:
    """Every unit of the forest ``units``, depth first, parents before children."""
    for unit in units:
        yield unit
        yield from walk_units(unit.children)


# --------------------------------------------------------------------------------------------
# Generation: people and accounts from the specs of demo/data, with seeded names.


class _Builder:
    def __init__(self, spec: TenantSpec, data: PilotData) -> None:
        self.spec = spec
        self.data = data
        self.rng = random.Random(f"jixiao-demo/{spec.code}")
        self.people: list[DemoPerson] = []
        self.posts: dict[str, DemoPost] = {}
        self.names: set[str] = set(data.names.reserved)
        self.heads: dict[str, str] = {}  # unit code -> employee_no of its head
        self.staff: dict[str, list[str]] = {}  # unit code -> plain staff (no head, no deputy)

    def post(self, name: str) -> str:
        code = self.data.post_codes[name]
        self.posts.setdefault(code, DemoPost(code=code, name=name))
        return code

    def person_name(self, male: bool) -> str:
        rng, pool = self.rng, self.data.names
        first, second = pool.male if male else pool.female
        for _ in range(10_000):
            surname = rng.choices(pool.surnames, weights=pool.surname_weights)[0]
            if rng.random() < 0.2:
                given = rng.choice(second)
            else:
                given = rng.choice(first) + rng.choice(second)
                if given[0] == given[1]:
                    continue
            name = surname + given
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError(f"no free name left for tenant {self.spec.code}")  # pragma: no cover

    def person(
        self,
        unit_code: str,
        post_name: str,
        rank: str,
        group: str,
        male_share: float,
        *,
        appraised: bool | None = None,
    ) -> str:
        male = self.rng.random() < male_share
        employee_no = f"{self.spec.prefix}{len(self.people) + 1:04d}"
        self.people.append(
            DemoPerson(
                employee_no=employee_no,
                name=self.person_name(male),
                gender="男" if male else "女",
                unit_code=unit_code,
                post_code=self.post(post_name),
                rank_title=rank,
                comparison_group=group,
                appraised=self.spec.appraised if appraised is None else appraised,
            )
        )
        return employee_no

    def staff_rank(self) -> str:
        ranks = [rank for rank, _ in self.spec.ranks.staff]
        weights = [weight for _, weight in self.spec.ranks.staff]
        return self.rng.choices(ranks, weights=weights)[0]

    def department(self, dept: DeptSpec) -> DemoUnit:
        ranks = self.spec.ranks
        self.heads[dept.code] = self.person(
            dept.code, dept.head_post, self.rng.choice(ranks.head), "leader", 0.65
        )
        deputies = 0
        deputy_post = self.data.deputy_of.get(dept.head_post)
        if deputy_post is not None:
            deputies = 2 if dept.size >= 12 else 1 if dept.size >= 5 else 0
            for _ in range(deputies):
                self.person(dept.code, deputy_post, self.rng.choice(ranks.deputy), "staff", 0.6)
        self.staff[dept.code] = [
            self.person(
                dept.code,
                dept.staff_posts[i % len(dept.staff_posts)],
                self.staff_rank(),
                "staff",
                0.5,
            )
            for i in range(dept.size - 1 - deputies)
        ]
        children = tuple(self.department(child) for child in dept.children)
        return DemoUnit(code=dept.code, name=dept.name, kind=dept.kind, children=children)


def _build(spec: TenantSpec, data: PilotData) -> DemoTenant:
    b = _Builder(spec, data)
    leadership = "ldbz"
    principal = b.person(leadership, spec.principal_post, spec.principal_rank, "leader", 0.85)
    supervising = tuple(
        (b.person(leadership, post, rank, "leader", 0.75), units)
        for post, rank, units in spec.supervising
    )
    roots = [DemoUnit(code=leadership, name=spec.leadership_name, kind="leadership")]
    roots.extend(b.department(dept) for dept in spec.departments)
    secretaries: list[str] = []
    if spec.villages:
        for code, _name in spec.villages:
            secretaries.append(
                b.person(code, "村（社区）党委书记", VILLAGE_RANK, "staff", 0.7, appraised=False)
            )
        villages = tuple(DemoUnit(code=c, name=n, kind="village") for c, n in spec.villages)
        roots.append(DemoUnit(code="cun", name="村（社区）", kind="village", children=villages))

    office_staff = b.staff[spec.office_unit]
    admin_staff = b.staff[spec.admin_unit]
    admin = admin_staff[1] if spec.admin_unit == spec.office_unit else admin_staff[0]

    if not spec.appraised:
        return DemoTenant(
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            units=tuple(roots),
            posts=tuple(b.posts.values()),
            people=tuple(b.people),
            principal_leader=None,
            supervising_leaders=(),
            department_heads=(),
            accounts=(
                DemoAccount("admin", ("tenant_admin",), admin),
                DemoAccount("shiwei", ("city_organization_department",), b.heads["gwy3c"]),
            ),
        )

    fenguan, fenguan_units = supervising[0]
    kezhang_unit = next(
        code
        for code in fenguan_units
        if code not in (spec.office_unit, spec.admin_unit) and len(b.staff[code]) >= 2
    )
    ganbu, ganbu2 = b.staff[kezhang_unit][:2]
    accounts = (
        DemoAccount("admin", ("tenant_admin",), admin),
        DemoAccount("leader", ("principal_leader",), principal),
        DemoAccount("fenguan", ("supervising_leader",), fenguan),
        DemoAccount("kezhang", ("department_head",), b.heads[kezhang_unit]),
        DemoAccount("bangong", ("office",), office_staff[0]),
        DemoAccount("ganbu", ("staff",), ganbu),
        DemoAccount("ganbu2", ("staff",), ganbu2),
        DemoAccount("waibu", ("external_rater",), secretaries[0] if secretaries else None),
    )
    tenant = DemoTenant(
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        units=tuple(roots),
        posts=tuple(b.posts.values()),
        people=tuple(b.people),
        principal_leader=principal,
        supervising_leaders=supervising,
        department_heads=tuple((head, unit) for unit, head in b.heads.items()),
        accounts=accounts,
    )
    return replace(tenant, person_accounts=person_accounts(tenant))


def pilot_tenants() -> tuple[DemoTenant, ...]:
    """The eight tenants of the pilot, the same on every call and in every process."""
    data = load_pilot()
    return tuple(_build(spec, data) for spec in data.tenants)

"""The oversight scenario of the tests of issue 8: three synthetic tenants, all in 2025.

* A — a county bureau, 12 people (P001-P005 leaders, P006-P012 staff).
* B — a township, 10 people (P001-P005 leaders, P006-P010 staff); its settings: 好 quota 30%,
  care list bottom 20%.
* C — a county bureau, 9 people, with a first-quarter ranking only.

tests/test_oversight.py computes every figure by hand from these specs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from jixiao.settings import Settings
from tests.conftest import Api
from tests.oversight_data import PeriodSpec, Scenario, load_scenario

CITY = ("cdzzb", "shiwei")
DEADLINE = datetime(2025, 4, 10, tzinfo=UTC)
BEFORE, AFTER = datetime(2025, 4, 5, tzinfo=UTC), datetime(2025, 4, 12, tzinfo=UTC)
G, FG, AV, PO = "good", "fairly_good", "average", "poor"
EX, CO, BC, IN, NG = "excellent", "competent", "basically_competent", "incompetent", "not_graded"


def _ranked(grades: list[tuple[str, str]]) -> dict[str, tuple[str | None, int | None]]:
    return {no: (grade, i) for i, (no, grade) in enumerate(grades, start=1)}


def nos(a: int, b: int) -> list[str]:
    return [f"P{i:03d}" for i in range(a, b + 1)]


A_Q1 = _ranked([("P001", G), ("P002", G), ("P003", G), ("P004", G), ("P005", FG),
                ("P006", FG), ("P007", FG), ("P008", FG), ("P009", AV), ("P010", AV),
                ("P011", PO), ("P012", PO)])
A_Q2 = _ranked([("P001", G), ("P002", G), ("P003", G), ("P004", G), ("P005", G),
                ("P007", FG), ("P008", FG), ("P009", FG), ("P010", AV), ("P011", AV),
                ("P006", PO), ("P012", PO)])
A_YEAR: dict[str, tuple[str | None, int | None]] = {
    **_ranked([("P001", EX), ("P002", EX), ("P003", EX)] + [(no, CO) for no in nos(4, 10)]
              + [("P011", BC)]), "P012": (NG, None)}
A_BONUS = [("P001", "d1", EX, True, 12000), ("P002", "d1", EX, True, 12000),
           ("P003", "d1", EX, True, 12000), ("P004", "d1", CO, True, 10000),
           ("P005", "d1", CO, True, 10000), ("P006", "d1", CO, True, 10000),
           ("P007", "d2", EX, True, 12000), ("P008", "d2", EX, True, 12000),
           ("P009", "d2", CO, True, 10000), ("P010", "d2", CO, True, 10000),
           ("P011", "d2", CO, True, 10000), ("P012", "d2", BC, True, 5000)]

SCENARIO_A = Scenario(
    periods=[
        PeriodSpec(2025, 1, A_Q1, DEADLINE,
                   declarations={**{no: (BEFORE, 3) for no in nos(1, 3)},
                                 **{no: (BEFORE, 2) for no in nos(4, 7)},
                                 **{no: (AFTER, 2) for no in nos(8, 9)}, "P010": (None, 1)},
                   interviews={**{no: 4 for no in nos(1, 9)}, "P010": 2},
                   assignments=[(no, "P001", True) for no in nos(2, 11)]
                   + [(no, "P012", no <= "P006") for no in nos(2, 11)]),
        PeriodSpec(2025, 2, A_Q2, None,
                   declarations={no: (datetime(2025, 7, 5, tzinfo=UTC), 1) for no in nos(1, 12)},
                   interviews={**{no: 4 for no in nos(1, 12)}, "P009": 1}),
        PeriodSpec(2025, None, A_YEAR, bonus=A_BONUS,
                   draft_bonus=[("P001", "d1", EX, True, 99999)]),
    ],
    records=[("credit", "confirmed", date(2025, 2, 1)), ("credit", "confirmed", date(2025, 3, 15)),
             ("credit", "confirmed", date(2025, 3, 31)), ("credit", "claimed", date(2025, 2, 2)),
             ("credit", "rejected", date(2025, 2, 3)),
             ("deduction", "confirmed", date(2025, 1, 20)),
             ("credit", "confirmed", date(2025, 4, 1)), ("credit", "confirmed", date(2025, 6, 30)),
             ("deduction", "confirmed", date(2025, 5, 5)),
             ("deduction", "confirmed", date(2025, 6, 1)),
             ("credit", "confirmed", date(2025, 7, 1)),
             ("credit", "confirmed", date(2024, 12, 31))],
    tasks={"T1": (date(2025, 2, 28), "done", date(2025, 2, 20)),
           "T2": (date(2025, 3, 31), "done", date(2025, 4, 10)),
           "T3": (date(2025, 3, 15), "in_progress", None),
           "T4": (date(2025, 3, 20), "cancelled", None),
           "T5": (date(2025, 5, 31), "done", None),
           "T6": (date(2025, 6, 30), "not_started", None),
           "T7": (date(2025, 10, 31), "done", date(2025, 10, 30))},
    milestones={"M1": ("T5", date(2025, 4, 15), None)},
    rectifications=[("T2", None, date(2025, 4, 20)), ("T2", None, date(2025, 5, 1)),
                    ("T3", None, date(2025, 3, 25)), ("T5", "M1", date(2025, 4, 25)),
                    ("T4", None, date(2025, 3, 28))],
    uses=[("promotion", "P001", None, date(2025, 3, 10)),
          ("post_adjustment", "P012", None, date(2025, 2, 1)),
          ("award", "P003", None, date(2025, 3, 1)),
          ("rank_advancement", "P002", None, date(2025, 5, 10)),
          ("promotion_deferral", "P011", None, date(2025, 6, 15)),
          ("training", None, "d1", date(2025, 4, 20)),
          ("training", "P010", None, date(2025, 4, 21))],
    care=[("mentoring", "P012", "P004", date(2024, 11, 1), date(2025, 3, 1)),
          ("mentoring", "P006", "P004", date(2025, 7, 10), None),
          ("post_adjustment", "P009", None, date(2025, 8, 1), None)],
)

B_Q1 = _ranked([("P001", G), ("P002", G), ("P003", G), ("P004", FG), ("P005", FG),
                ("P006", FG), ("P007", AV), ("P008", AV), ("P009", PO), ("P010", PO)])
B_BONUS = [("P001", "d1", EX, True, 15000), ("P002", "d1", EX, True, 15000),
           ("P006", "d1", CO, True, 10000), ("P007", "d1", CO, True, 10000),
           ("P010", "d1", CO, True, 7000),
           ("P003", "d2", EX, True, 15000), ("P004", "d2", EX, True, 15000),
           ("P005", "d2", EX, True, 15000), ("P008", "d2", CO, True, 10000),
           ("P009", "d2", CO, True, 10000)]
SCENARIO_B = Scenario(
    settings={"grading": {"good_quota_share": "0.30"}, "care": {"bottom_share": "0.20"}},
    periods=[
        PeriodSpec(2025, 1, B_Q1, DEADLINE,
                   declarations={**{no: (datetime(2025, 4, 1, tzinfo=UTC), 3)
                                    for no in nos(1, 7)},
                                 "P008": (datetime(2025, 4, 11, tzinfo=UTC), 3),
                                 "P009": (None, 2)},
                   interviews={no: 3 for no in nos(1, 5)},
                   assignments=[(no, "P001", True) for no in nos(2, 9)]),
        # three people only: below the minimum group size
        PeriodSpec(2025, 2, _ranked([("P001", G), ("P002", FG), ("P003", AV)]), None,
                   declarations={"P001": (datetime(2025, 7, 1, tzinfo=UTC), 2)},
                   interviews={"P001": 1}),
        PeriodSpec(2025, None, _ranked([(no, EX) for no in nos(1, 5)]
                                       + [(no, CO) for no in nos(6, 10)]), bonus=B_BONUS),
    ],
    records=[("deduction", "confirmed", date(2025, 2, 10)),
             ("credit", "confirmed", date(2025, 3, 1)), ("credit", "confirmed", date(2025, 8, 1))],
    tasks={"BT1": (date(2025, 1, 31), "done", date(2025, 1, 30)),
           "BT2": (date(2025, 2, 15), "in_progress", None)},
    rectifications=[("BT2", None, date(2025, 3, 1))],
    uses=[("promotion", "P001", None, date(2025, 2, 1)),
          ("promotion_deferral", "P009", None, date(2025, 3, 1)),
          ("post_adjustment", "P010", None, date(2025, 3, 20)),
          ("training", None, "d2", date(2025, 1, 15))],
    care=[("mentoring", "P009", "P004", date(2025, 5, 1), None)],
)

C_Q1 = _ranked([("P001", G), ("P002", G), ("P003", FG), ("P004", FG), ("P005", FG),
                ("P006", FG), ("P007", AV), ("P008", AV), ("P009", PO)])
SCENARIO_C = Scenario(periods=[PeriodSpec(2025, 1, C_Q1)])

@dataclass
class World:
    a: str
    b: str
    c: str
    ids: dict[str, str]  # tenant code -> tenant id
    periods: dict[str, dict[str, str]]  # tenant code -> period name -> period id


def tenant_id(api: Api, code: str) -> str:
    return str(api.as_(code, "admin", "{ tenant { id } }")["data"]["tenant"]["id"])


@pytest.fixture(scope="module")
def world(api: Api, make_tenant: Any, settings: Settings) -> World:
    a, b, c = make_tenant(12), make_tenant(10, "township"), make_tenant(9)
    periods = {code: load_scenario(settings, code, scenario)
               for code, scenario in ((a, SCENARIO_A), (b, SCENARIO_B), (c, SCENARIO_C))}
    return World(a, b, c, {code: tenant_id(api, code) for code in (a, b, c)}, periods)



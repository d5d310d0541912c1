"""The figure registry of the cross-unit comparison: definitions, suppression, group maths."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.grading import QuotaRounding
from rules.oversight import (
    FIGURE_BY_CODE,
    FIGURES,
    MEASURES,
    RAW_MEASURES,
    Combine,
    QuotaPolicy,
    combine,
    derive,
    evaluate,
    group_of_kind,
    is_suppressed,
    period_key,
    period_kind_of_key,
    top_grade_quota,
)
from vocab.oversight import UnitGroup

D = Decimal


def values(measures: dict[str, Decimal], kind: str = "quarter", *,
           suppressed: bool = False) -> dict[str, Decimal | None]:
    return {v.code: v.value for v in evaluate(derive(measures, kind), kind,
                                              suppressed=suppressed)}


def test_every_figure_is_defined_once_with_its_measures() -> None:
    codes = [f.code for f in FIGURES]
    assert len(codes) == len(set(codes))
    for figure in FIGURES:
        assert figure.numerator in MEASURES, figure.code
        assert figure.denominator is None or figure.denominator in MEASURES, figure.code
        assert figure.name, figure.code
        assert figure.definition.endswith("。"), figure.code
        assert figure.period_kinds <= {"quarter", "year"}
        assert figure.period_kinds
    # every raw measure feeds a figure (directly or through a derived measure)
    used = {f.numerator for f in FIGURES} | {f.denominator for f in FIGURES}
    derived_inputs = {"ranked_leader", "ranked_staff"} | {
        m for m in RAW_MEASURES if m.startswith(("bonus_paid_", "bonus_cents_"))}
    assert set(RAW_MEASURES) <= used | derived_inputs | {"graded"}
    assert "graded" in used


def test_ratios_are_scaled_and_rounded_half_up() -> None:
    got = values({"headcount": D(12), "decl_submitted": D(9), "decl_on_time": D(7),
                  "decl_items": D(21), "credits": D(1)})
    assert got["headcount"] == D(12)
    assert got["declaration_rate"] == D("75.0")  # 9 * 100 / 12
    assert got["declaration_on_time_rate"] == D("77.8")  # 7 * 100 / 9 = 77.77...
    assert got["items_per_declaration"] == D("2.33")  # 21 / 9
    assert got["commendations_per_100"] == D("8.3")  # 1 * 100 / 12
    assert got["rater_coverage"] is None  # no assignment: no data, not 0%
    assert got["rectification_days"] is None


def test_period_kinds_and_suppression() -> None:
    measures = {"headcount": D(10), "interviews_held": D(10), "care_list": D(2)}
    assert values(measures, "quarter")["interview_completion"] == D("100.0")
    year = values(measures, "year")
    assert year["interview_completion"] is None
    assert year["care_list_size"] is None
    assert year["grade_share_good"] is None
    hidden = evaluate(measures, "quarter", suppressed=True)
    assert all(v.value is None and v.suppressed and v.numerator is None for v in hidden)
    assert is_suppressed(D(4), 5)
    assert is_suppressed(None, 5)
    assert not is_suppressed(D(5), 5)


def test_groups_sum_counts_and_keep_the_extremes() -> None:
    a = {"headcount": D(12), "decl_submitted": D(9), "bonus_dept_percap_max": D(11000),
         "bonus_dept_percap_min": D(9000), "bonus_within_ratio_sum": D("3.6"),
         "bonus_within_departments": D(2)}
    b = {"headcount": D(9), "bonus_dept_percap_max": D(13000),
         "bonus_dept_percap_min": D(9500), "bonus_within_ratio_sum": D("1.5"),
         "bonus_within_departments": D(1)}
    total = combine([a, b])
    assert total["headcount"] == D(21)
    assert total["decl_submitted"] == D(9)
    assert total["bonus_dept_percap_max"] == D(13000)
    assert total["bonus_dept_percap_min"] == D(9000)
    got = values(total, "year")
    assert got["declaration_rate"] == D("42.9")  # 9 * 100 / 21
    assert got["bonus_between_departments"] == D("1.44")  # 13000 / 9000
    assert got["bonus_within_departments"] == D("1.70")  # (3.6 + 1.5) / 3
    assert MEASURES["bonus_dept_percap_max"].combine is Combine.max


def test_bonus_grade_ratio_needs_two_paid_grades() -> None:
    one = {"headcount": D(10), "bonus_paid_competent": D(6), "bonus_cents_competent": D(60000)}
    assert values(one, "year")["bonus_grade_ratio"] is None
    two = one | {"bonus_paid_excellent": D(5), "bonus_cents_excellent": D(60000)}
    assert values(two, "year")["bonus_grade_ratio"] == D("1.20")  # 12000 / 10000


def test_the_top_grade_is_good_by_quarter_and_excellent_by_year() -> None:
    measures = {"headcount": D(10), "grade_good": D(4), "grade_excellent": D(3),
                "quota_top": D(2)}
    assert values(measures, "quarter")["top_grade_quota_use"] == D("200.0")
    assert values(measures, "year")["top_grade_quota_use"] == D("150.0")


@pytest.mark.parametrize(("leaders", "staff", "share", "rounding", "separately", "quota"), [
    (5, 7, "0.40", QuotaRounding.floor, False, 4),  # floor(4.8)
    (5, 6, "0.20", QuotaRounding.half_up, False, 2),  # half up 2.2
    (5, 7, "0.40", QuotaRounding.floor, True, 4),  # floor(2.0) + floor(2.8)
    (1, 2, "0.20", QuotaRounding.half_up, True, 2),  # at least one per group
    (0, 0, "0.40", QuotaRounding.floor, False, 0),
])
def test_top_grade_quota(leaders: int, staff: int, share: str, rounding: QuotaRounding,
                         separately: bool, quota: int) -> None:
    measures = {"ranked_leader": D(leaders), "ranked_staff": D(staff)}
    assert top_grade_quota(measures, QuotaPolicy(D(share), rounding, True, separately)) == quota


def test_unit_kinds_and_period_keys() -> None:
    assert group_of_kind("discipline_commission") is UnitGroup.commission
    assert group_of_kind("industrial_park") is UnitGroup.park
    assert group_of_kind("county_bureau") is UnitGroup.county_bureau
    assert group_of_kind("township") is group_of_kind("subdistrict") is UnitGroup.town
    assert group_of_kind("organization_department") is None
    assert UnitGroup.town.label == "乡镇（街道）"
    assert period_key(2025, 1) == "2025Q1"
    assert period_key(2025, None) == "2025"
    assert period_kind_of_key("2025Q3") == "quarter"
    assert period_kind_of_key("2025") == "year"
    assert FIGURE_BY_CODE["declaration_rate"].denominator == "headcount"

"""Results-use candidates: consecutive 好 and 优秀 years, blocking, deferral; cited results."""

from __future__ import annotations

import itertools

import pytest

from rules.promotion import CandidateRule, GradeRecord, candidates, deferral, meets
from vocab.feedback import CandidateKind

PROMOTION = CandidateRule(consecutive_good=3, excellent_years=1, years=1)
ADVANCEMENT = CandidateRule(consecutive_good=2, excellent_years=0, years=1)


def year_of(person: str, quarters: tuple[str | None, ...], annual: str | None = None,
            year: int = 2025) -> list[GradeRecord]:
    records = [GradeRecord(person, year, q, g, f"{person}-{year}q{q}")
               for q, g in enumerate(quarters, start=1) if g is not None]
    if annual is not None:
        records.append(GradeRecord(person, year, None, annual, f"{person}-{year}"))
    return records


def longest_good_run(grades: tuple[str | None, ...]) -> int:
    """Reference: the longest stretch of consecutive 好 (a missing quarter breaks it)."""
    return max((len(list(g)) for k, g in itertools.groupby(grades) if k == "good"), default=0)


@pytest.mark.parametrize("grades", list(itertools.product(
    ["good", "fairly_good", "poor", None], repeat=4)))
@pytest.mark.parametrize("annual", ["excellent", "competent", "basically_competent"])
def test_rules_exhaustive_over_a_year(grades: tuple[str | None, ...], annual: str) -> None:
    history = year_of("p", grades, annual)
    run = longest_good_run(grades)
    blocked = "poor" in grades or annual == "basically_competent"
    promoted = meets(history, 2025, PROMOTION, CandidateKind.promotion)
    advanced = meets(history, 2025, ADVANCEMENT, CandidateKind.rank_advancement)
    assert (promoted is not None) is (not blocked and run >= 3 and annual == "excellent")
    assert (advanced is not None) is (not blocked and run >= 2)
    for found in (promoted, advanced):
        if found is not None:
            cited = [b for b in found.basis if b != "p-2025"]
            assert len(cited) == run  # the whole run is cited
            assert all(grades[int(str(b)[-1]) - 1] == "good" for b in cited)
    if promoted is not None:
        assert "p-2025" in promoted.basis
        assert "年度考核“优秀”（2025年）" in promoted.reason
    deferred = deferral(history, 2025, 1)
    assert (deferred is not None) is blocked


def test_the_latest_of_equally_long_runs_is_cited() -> None:
    history = year_of("p", ("good", "good", "average", "good"), "competent")
    # good good | good: the first run is the longest
    found = meets(history, 2025, ADVANCEMENT, CandidateKind.rank_advancement)
    assert found is not None
    assert found.basis == ("p-2025q1", "p-2025q2")
    two_runs = year_of("p", ("good", "average", "good", None), "competent")
    assert meets(two_runs, 2025, CandidateRule(1, 0, 1),
                 CandidateKind.rank_advancement).basis == ("p-2025q3",)  # type: ignore[union-attr]


def test_runs_cross_years_within_the_window() -> None:
    history = (year_of("p", (None, None, "good", "good"), "competent", 2024)
               + year_of("p", ("good", "average", None, None), "excellent", 2025))
    one_year = CandidateRule(consecutive_good=3, excellent_years=1, years=1)
    two_years = CandidateRule(consecutive_good=3, excellent_years=1, years=2)
    assert meets(history, 2025, one_year, CandidateKind.promotion) is None
    found = meets(history, 2025, two_years, CandidateKind.promotion)
    assert found is not None
    assert found.basis == ("p-2024q3", "p-2024q4", "p-2025q1", "p-2025")
    assert "2024年第三季度至2025年第一季度" in found.reason
    # Two 优秀 years asked for, one held.
    assert meets(history, 2025, CandidateRule(3, 2, 2), CandidateKind.promotion) is None
    # Results after the year considered do not count.
    assert meets(history, 2024, two_years, CandidateKind.promotion) is None


def test_blocking_can_be_turned_off_and_an_empty_rule_still_needs_results() -> None:
    history = year_of("p", ("good", "good", "good", "poor"), "excellent")
    lenient = CandidateRule(consecutive_good=3, excellent_years=1, blocked_by_poor=False)
    assert meets(history, 2025, PROMOTION, CandidateKind.promotion) is None
    assert meets(history, 2025, lenient, CandidateKind.promotion) is not None
    anything = CandidateRule(consecutive_good=0, excellent_years=0)
    assert meets(year_of("p", ("average",) * 4), 2025, anything,
                 CandidateKind.rank_advancement) is not None
    assert meets(year_of("p", ("average",) * 4, year=2023), 2025, anything,
                 CandidateKind.rank_advancement) is None


@pytest.mark.parametrize(("quarters", "annual", "threshold", "reasons"), [
    (("poor", "good", "good", "good"), "competent", 1, ["1个季度评为“较差”"]),
    (("poor", "good", "good", "good"), "competent", 2, []),
    (("poor", "good", "good", "good"), "competent", 0, []),
    (("average",) * 4, "incompetent", 0, ["年度考核“不称职”"]),
    (("poor", "poor", "good", "good"), "basically_competent", 2,
     ["年度考核“基本称职”", "2个季度评为“较差”"]),
])
def test_deferral(quarters: tuple[str, ...], annual: str, threshold: int,
                  reasons: list[str]) -> None:
    found = deferral(year_of("p", quarters, annual), 2025, threshold)
    if not reasons:
        assert found is None
        return
    assert found is not None
    assert found.kind is CandidateKind.promotion_deferral
    assert all(r in found.reason for r in reasons)


def test_candidates_of_many_people() -> None:
    records = (year_of("a", ("good",) * 4, "excellent") + year_of("b", ("good",) * 4, "competent")
               + year_of("c", ("poor", "average", "poor", "average"), "basically_competent")
               + year_of("d", ("fairly_good",) * 4, "competent"))
    found = candidates(records, 2025, PROMOTION, ADVANCEMENT, 1)
    assert [(c.person_id, c.kind) for c in found] == [
        ("a", CandidateKind.promotion), ("a", CandidateKind.rank_advancement),
        ("b", CandidateKind.rank_advancement), ("c", CandidateKind.promotion_deferral)]

"""The pure rules of 述职报告 and 民主测评 (rules/annual_inputs.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.annual_inputs import (
    attachment_type,
    check_ballot,
    check_duty_report,
    duty_report_status,
    turnout,
    vote_line,
)
from rules.errors import RuleError
from vocab.annual_inputs import DutyReportStatus
from vocab.grades import AnnualGrade

DAY = date(2026, 12, 20)


def test_duty_report_status_and_deadline() -> None:
    assert duty_report_status(DAY, False, DAY) == DutyReportStatus.pending  # the day counts
    assert duty_report_status(DAY, False, date(2026, 12, 21)) == DutyReportStatus.overdue
    assert duty_report_status(DAY, True, date(2026, 12, 21)) == DutyReportStatus.submitted
    assert check_duty_report("  正文 ", DAY, DAY, 10) == "正文"
    with pytest.raises(RuleError, match="已过"):
        check_duty_report("正文", DAY, date(2026, 12, 21), 10)
    with pytest.raises(RuleError, match="不能超过10字"):
        check_duty_report("字" * 11, DAY, DAY, 10)


def test_attachment_by_name_and_first_bytes() -> None:
    assert attachment_type("述职.PDF", b"%PDF-1.7 ...", 1) == "application/pdf"
    assert attachment_type("a.jpeg", b"\xff\xd8\xff\xe0", 1) == "image/jpeg"
    assert attachment_type("a.docx", b"PK\x03\x04...", 1).endswith("wordprocessingml.document")
    for name, content, message in (("a.doc", b"x", "只能是"), ("a.pdf", b"", "空文件"),
                                   ("a.png", b"%PDF-", "不符"),
                                   ("a.pdf", b"%PDF-" + b"0" * 1024 * 1024, "不能超过1 MB")):
        with pytest.raises(RuleError, match=message):
            attachment_type(name, content, 1)


def test_a_ballot_is_whole() -> None:
    assert check_ballot(["a", "b"], [("b", "excellent"), ("a", "incompetent")]) == {
        "a": AnnualGrade.incompetent, "b": AnnualGrade.excellent}
    for picked, message in (([("a", "excellent")], "还有1名未选择"),
                            ([("a", "excellent"), ("b", "x"), ("c", "competent")], "不属于"),
                            ([("a", "excellent"), ("a", "competent")], "只能选择一次"),
                            ([("a", "excellent"), ("b", "not_graded")], "只能是")):
        with pytest.raises(RuleError, match=message):
            check_ballot(["a", "b"], picked)


@given(st.integers(0, 500), st.integers(0, 500))
def test_turnout_is_a_share_with_one_decimal(cast: int, extra: int) -> None:
    voters = cast + extra
    value = turnout(cast, voters)
    assert Decimal(0) <= value <= Decimal(100)
    assert value == value.quantize(Decimal("0.1"))
    assert (value == 100) == (voters > 0 and extra == 0)


def test_the_explanation_line() -> None:
    line = vote_line({AnnualGrade.excellent: 2, AnnualGrade.competent: 1}, 3, 8)
    assert line == ("民主测评（仅列票数，不计入得分）：优秀2票，称职1票，基本称职0票，不称职0票；"
                    "应参评8人，实参评3人，参评率37.5%")

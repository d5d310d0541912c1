"""The annual appraisal's two inputs: the duty report (述职报告) and the democratic evaluation
(民主测评). A ballot's choices are the annual grades but 不定等次 (``BALLOT_CHOICES``)."""

from __future__ import annotations

from typing import Final

from vocab.grades import AnnualGrade
from vocab.labelled import LabelledEnum


class DutyReportStatus(LabelledEnum):
    pending = "pending", "待提交"
    submitted = "submitted", "已提交"
    overdue = "overdue", "逾期未提交"


class VoteState(LabelledEnum):
    open = "open", "进行中"
    closed = "closed", "已结束"


# The four choices of a ballot, best first.
BALLOT_CHOICES: Final[tuple[AnnualGrade, ...]] = (
    AnnualGrade.excellent, AnnualGrade.competent, AnnualGrade.basically_competent,
    AnnualGrade.incompetent)

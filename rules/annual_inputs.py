"""Pure rules of the annual appraisal's inputs: 述职报告 (duty report) and 民主测评 (democratic
evaluation).

* A duty report is accepted until the end of its deadline day; its text has a length limit; it
  may carry one attachment, a PDF, a DOCX or an image (PNG, JPEG), recognised by its name AND
  its first bytes, up to a size limit.
* A ballot gives exactly one of the four choices (优秀/称职/基本称职/不称职) to every candidate
  of the vote, no more, no less: it is cast whole or not at all.
* Turnout = ballots cast / voters, shown as a percentage with one decimal (half up).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from rules.errors import RuleError
from vocab.annual_inputs import BALLOT_CHOICES, DutyReportStatus
from vocab.grades import AnnualGrade

MB = 1024 * 1024

# extension -> (content type, the first bytes such a file starts with)
ATTACHMENT_TYPES: Mapping[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              (b"PK\x03\x04",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}


def duty_report_status(deadline: date, submitted: bool, today: date) -> DutyReportStatus:
    if submitted:
        return DutyReportStatus.submitted
    return DutyReportStatus.overdue if today > deadline else DutyReportStatus.pending


def check_duty_report(text: str, deadline: date, today: date, max_length: int) -> str:
    """The text to keep, or RuleError with the Chinese reason it is refused."""
    if today > deadline:
        raise RuleError(f"述职报告提交截止日期（{deadline.isoformat()}）已过，不能再提交")
    kept = text.strip()
    if not kept:
        raise RuleError("请填写述职报告正文")
    if len(kept) > max_length:
        raise RuleError(f"述职报告正文不能超过{max_length}字，当前{len(kept)}字")
    return kept


def attachment_type(filename: str, content: bytes, max_mb: int) -> str:
    """The content type of an accepted attachment, or RuleError."""
    name = filename.strip().lower()
    extension = name[name.rfind("."):] if "." in name else ""
    known = ATTACHMENT_TYPES.get(extension)
    if known is None:
        raise RuleError("附件只能是 PDF、DOCX 或图片（PNG、JPG）")
    if not content:
        raise RuleError("附件是空文件")
    if len(content) > max_mb * MB:
        raise RuleError(f"附件不能超过{max_mb} MB")
    content_type, magic = known
    if not content.startswith(magic):
        raise RuleError(f"附件内容与扩展名（{extension}）不符")
    return content_type


def check_ballot(candidates: Sequence[str], picked: Sequence[tuple[str, str]]
                 ) -> dict[str, AnnualGrade]:
    """Every candidate exactly once, each with one of the four choices; else RuleError."""
    allowed = {c.value: c for c in BALLOT_CHOICES}
    choices = dict(picked)
    if len(choices) != len(picked):
        raise RuleError("同一被测评人只能选择一次")
    unknown = [c for c in choices if c not in set(candidates)]
    if unknown:
        raise RuleError("选票中有不属于本次测评的人员")
    missing = [c for c in candidates if c not in choices]
    if missing:
        raise RuleError(f"请对全部{len(candidates)}名被测评人投票，还有{len(missing)}名未选择")
    ballot: dict[str, AnnualGrade] = {}
    for candidate, choice in choices.items():
        grade = allowed.get(choice)
        if grade is None:
            raise RuleError("测评等次只能是优秀、称职、基本称职或不称职")
        ballot[candidate] = grade
    return ballot


def turnout(cast: int, voters: int) -> Decimal:
    """Ballots cast / voters as a percentage with one decimal (0 with no voters)."""
    if cast < 0 or voters < 0 or cast > voters:
        raise RuleError("参评人数有误")
    if voters == 0:
        return Decimal(0)
    return (Decimal(cast) * 100 / voters).quantize(Decimal("0.1"), ROUND_HALF_UP)


def vote_line(counts: Mapping[AnnualGrade, int], cast: int, voters: int) -> str:
    """The explanation's line: the counts of one person and the vote's turnout."""
    parts = "，".join(f"{c.label}{counts.get(c, 0)}票" for c in BALLOT_CHOICES)
    return (f"民主测评（仅列票数，不计入得分）：{parts}；应参评{voters}人，"
            f"实参评{cast}人，参评率{turnout(cast, voters)}%")

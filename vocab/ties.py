"""Equal scores and grade proposals: the tie-break steps, how a tie across a line is settled,
and which rule decided a proposed grade."""

from __future__ import annotations

from vocab.labelled import LabelledEnum


class TieKey(LabelledEnum):
    """One step of the order of equal scores; the label says who comes first."""

    rated = "rated", "评价得分高者在前"
    deductions = "deductions", "减分（含政治素质负面清单扣分）少者在前"
    employee_no = "employee_no", "人员编号小者在前"


class TieSettlement(LabelledEnum):
    """How a group of equal scores that a quota or the top-50% line cuts is settled."""

    review = "review", "并列跨线，由综合研判逐一决定"
    automatic = "automatic", "按设置的并列顺序自动决定"


class GradeRule(LabelledEnum):
    """The rule that decided a proposed grade (stated in the proposal's reasons)."""

    band = "band", "分数段"
    quota = "quota", "等次名额"
    top_half = "top_half", "入围择优"
    conduct_cap = "conduct_cap", "政治素质负面清单"
    tie = "tie", "并列跨线"

"""Appraisal periods: their kind and the stages of their cycle."""

from __future__ import annotations

from enum import StrEnum

from vocab.labelled import LabelledEnum, labels


class PeriodKind(StrEnum):
    quarter = "quarter"
    year = "year"


class PeriodState(LabelledEnum):
    planning = "planning", "计划"
    executing = "executing", "执行"
    declaring = "declaring", "实绩申报"
    rating = "rating", "评价"
    reviewing = "reviewing", "综合研判"
    publicizing = "publicizing", "实绩公示"
    feedback = "feedback", "反馈谈话"
    closed = "closed", "已关闭"


PERIOD_STATE_LABELS = labels(PeriodState)

"""Grades: the quarterly ones (平时考核) and the annual ones (年度考核), best first."""

from __future__ import annotations

from vocab.labelled import LabelledEnum


class QuarterlyGrade(LabelledEnum):
    good = "good", "好"
    fairly_good = "fairly_good", "较好"
    average = "average", "一般"
    poor = "poor", "较差"


class AnnualGrade(LabelledEnum):
    excellent = "excellent", "优秀"
    competent = "competent", "称职"
    basically_competent = "basically_competent", "基本称职"
    incompetent = "incompetent", "不称职"
    not_graded = "not_graded", "不定等次"


class Grade(LabelledEnum):
    """Any grade a result holds: the quarterly ones, then the annual ones."""

    good = QuarterlyGrade.good.value, QuarterlyGrade.good.label
    fairly_good = QuarterlyGrade.fairly_good.value, QuarterlyGrade.fairly_good.label
    average = QuarterlyGrade.average.value, QuarterlyGrade.average.label
    poor = QuarterlyGrade.poor.value, QuarterlyGrade.poor.label
    excellent = AnnualGrade.excellent.value, AnnualGrade.excellent.label
    competent = AnnualGrade.competent.value, AnnualGrade.competent.label
    basically_competent = (AnnualGrade.basically_competent.value,
                           AnnualGrade.basically_competent.label)
    incompetent = AnnualGrade.incompetent.value, AnnualGrade.incompetent.label
    not_graded = AnnualGrade.not_graded.value, AnnualGrade.not_graded.label


# Looked up with the stored text (``row.grade``), hence keyed by plain strings.
GRADE_LABELS: dict[str, str] = {grade.value: grade.label for grade in Grade}
ALL_GRADES = tuple(GRADE_LABELS)


class ResultStatus(LabelledEnum):
    """Whether a period's result carries a score, rank and grade (``PersonResult.status``)."""

    appraised = "appraised", "已考核"  # scored, ranked and graded in the unit
    unrated = "unrated", "未评价"  # nobody rated the person: no score, rank or grade, never 0
    # Nobody manages the person inside the unit (the principal leader): appraised by the level
    # above, outside the unit's ranking, quotas, care list and interviews.
    by_higher_level = "by_higher_level", "由上级考核"

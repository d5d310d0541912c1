"""City oversight: experience reports, the stages they are about, the groups of units compared."""

from __future__ import annotations

from vocab.labelled import LabelledEnum, labels


class ExperienceKind(LabelledEnum):
    experience = "experience", "经验做法"
    problem = "problem", "问题建议"


EXPERIENCE_KIND_LABELS = labels(ExperienceKind)


class CycleStage(LabelledEnum):
    """The stage of the cycle a submission is about."""

    plan = "plan", "计划"
    execute = "execute", "执行"
    evaluate = "evaluate", "评价"
    feedback = "feedback", "反馈"
    results_use = "results_use", "结果运用"


CYCLE_STAGE_LABELS = labels(CycleStage)


class UnitGroup(LabelledEnum):
    """The kinds of unit the city compares: the commission, parks, county bureaus, towns and
    sub-districts."""

    commission = "commission", "纪检监察机关"
    park = "park", "产业园区"
    county_bureau = "county_bureau", "县级机关单位"
    town = "town", "乡镇（街道）"

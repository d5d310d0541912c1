"""The plan: indicator schemes, their records, and tasks."""

from __future__ import annotations

from enum import StrEnum

from vocab.labelled import LabelledEnum, labels


class SchemeStatus(LabelledEnum):
    draft = "draft", "草稿"
    published = "published", "已发布"


class IndicatorKind(LabelledEnum):
    category = "category", "分类"
    rated = "rated", "评价指标"
    credit = "credit", "加分项"
    deduction = "deduction", "减分项"
    conduct_standard = "conduct_standard", "政治素质负面清单"


INDICATOR_KIND_LABELS = labels(IndicatorKind)


class AppliesTo(LabelledEnum):
    everyone = "everyone", "全员"
    # only posts whose responsibility letter names the indicator
    posts = "posts", "岗位责任书"


class RecordStatus(LabelledEnum):
    claimed = "claimed", "待确认"  # recorded, awaiting confirmation (credits)
    confirmed = "confirmed", "已确认"
    rejected = "rejected", "未通过"
    withdrawn = "withdrawn", "已撤回"


class TaskSource(LabelledEnum):
    central = "central", "党中央决策部署"
    provincial = "provincial", "省委决策部署"
    municipal = "municipal", "市委决策部署"
    plenary = "plenary", "全会工作安排"
    ad_hoc = "ad_hoc", "临时交办"


TASK_SOURCE_LABELS = labels(TaskSource)


class TaskStatus(LabelledEnum):
    not_started = "not_started", "未开始"
    in_progress = "in_progress", "推进中"
    done = "done", "已完成"
    cancelled = "cancelled", "已取消"


TASK_STATUS_LABELS = labels(TaskStatus)


class TaskLevel(StrEnum):
    tenant = "tenant"  # the unit's own target (组织绩效)
    unit = "unit"  # decomposed to a department (考事)
    person = "person"  # decomposed to a person (考人)

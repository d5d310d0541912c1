"""Background jobs, the report files they render, and bonus runs."""

from __future__ import annotations

from enum import StrEnum

from vocab.labelled import LabelledEnum, labels


class JobKind(StrEnum):
    bonus_run = "bonus_run"
    export = "export"


class JobStatus(LabelledEnum):
    queued = "queued", "排队中"
    running = "running", "进行中"
    done = "done", "已完成"
    failed = "failed", "失败"


JOB_STATUS_LABELS = labels(JobStatus)


class ReportFormat(StrEnum):
    pdf = "pdf"
    xlsx = "xlsx"


class BonusRunStatus(LabelledEnum):
    draft = "draft", "草稿"
    confirmed = "confirmed", "已确认"


BONUS_RUN_STATUS_LABELS = labels(BonusRunStatus)


class BonusBase(LabelledEnum):
    # people with a positive coefficient (参与分配人数), the default of rules.bonus
    headcount = "headcount", "参与分配人数"
    # everybody in the department, those at coefficient 0 included
    headcount_all = "headcount_all", "部门总人数"
    # a configured number per department (编制数 ...), given with the run
    configured = "configured", "配置的分配基数"


BONUS_BASE_LABELS = labels(BonusBase)


class MissingResult(StrEnum):
    # not paid; listed with a note
    exclude = "exclude"
    # paid as if graded ``missing_grade``
    assume = "assume"

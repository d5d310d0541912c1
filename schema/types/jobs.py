"""GraphQL types of background jobs and their report files."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.types import Info

from models import Job as JobRow
from resolvers import jobs
from resolvers.bonus import runs as bonus
from resolvers.reports import REGISTRY
from resolvers.reports import ReportKind as ReportKindValue
from schema.context import GraphQLContext, loader_for
from schema.descriptions import CREATED_AT_DOC, ID_DOC
from schema.enums import labelled_enum
from schema.types.bonus import BonusRun
from vocab import jobs as values

GInfo = Info[GraphQLContext, None]

JobKind = labelled_enum(values.JobKind, "JobKind", "后台任务类型", {
    "bonus_run": "奖金分配计算", "export": "报表导出"})
JobStatus = labelled_enum(values.JobStatus, "JobStatus", "后台任务状态")
ReportFormat = labelled_enum(values.ReportFormat, "ReportFormat", "报表文件格式", {
    "pdf": "PDF 文件", "xlsx": "Excel 表格（.xlsx）"})
ReportKind = labelled_enum(ReportKindValue, "ReportKind", "报表种类",
                           {kind.name: spec.label for kind, spec in REGISTRY.items()})


@strawberry.type(description="导出的报表文件；下载：GET url（携带同样的 Bearer 令牌）")
class ReportFile:
    format: ReportFormat = strawberry.field(description="文件格式")  # type: ignore[valid-type]
    filename: str = strawberry.field(description="文件名")
    size: int = strawberry.field(description="文件大小（字节）")
    pages: int | None = strawberry.field(description="PDF 的页数；其他格式为 null")
    url: str = strawberry.field(description="下载地址（GET，携带同样的 Bearer 令牌）")


@strawberry.type(description="后台任务：奖金计算或报表导出")
class Job:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    kind: JobKind = strawberry.field(description="任务类型")  # type: ignore[valid-type]
    status: JobStatus = strawberry.field(description="任务状态")  # type: ignore[valid-type]
    status_label: str = strawberry.field(description="状态的中文名")
    progress: int = strawberry.field(description="进度 0-100")
    error: str | None = strawberry.field(description="失败原因（中文）")
    attempts: int = strawberry.field(description="开始执行的次数（工作进程中断后会重新执行）")
    created_at: datetime = strawberry.field(description=CREATED_AT_DOC)
    started_at: datetime | None = strawberry.field(description="开始执行时间；尚未开始为 null")
    finished_at: datetime | None = strawberry.field(description="结束时间；未结束为 null")
    result_id: strawberry.ID | None = strawberry.field(
        description="结果对象的 id（如奖金分配方案）；没有为 null")

    @strawberry.field(description="奖金计算任务的结果")
    async def bonus_run(self, info: GInfo) -> BonusRun | None:
        if self.kind != values.JobKind.bonus_run or self.result_id is None:
            return None
        loader = loader_for(info.context, bonus.runs_by_ids)
        row = await loader.load(uuid.UUID(self.result_id))
        return BonusRun.of(row) if row else None

    @strawberry.field(description="导出任务生成的文件")
    async def files(self, info: GInfo) -> list[ReportFile]:
        if self.kind != values.JobKind.export:
            return []
        loader = loader_for(info.context, jobs.files_by_job)
        found = await loader.load(uuid.UUID(self.id))
        return [ReportFile(format=fmt, filename=name, size=size, pages=pages,
                           url=f"/reports/{self.id}?format={fmt}")
                for fmt, name, size, pages in found]

    @classmethod
    def of(cls, row: JobRow) -> Job:
        return cls(id=strawberry.ID(str(row.id)), kind=row.kind, status=row.status,
                   status_label=values.JOB_STATUS_LABELS[values.JobStatus(row.status)],
                   progress=row.progress, error=row.error, attempts=row.attempts,
                   created_at=row.created_at, started_at=row.started_at,
                   finished_at=row.finished_at,
                   result_id=strawberry.ID(str(row.result_id)) if row.result_id else None)

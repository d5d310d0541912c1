"""GraphQL types of the sign-off chain (逐级审核, issue 17)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from models import SignoffStep as StepRow
from resolvers.appraisal.signoff import Level, Scope, SignoffState
from schema.descriptions import ID_DOC
from schema.enums import labelled_enum
from vocab.signoff import SignoffAction as SignoffActionValue
from vocab.signoff import SignoffRole as SignoffRoleValue

SignoffRole = labelled_enum(
    SignoffRoleValue, "SignoffRole",
    "逐级审核某一级的审核角色：" + "、".join(r.label for r in SignoffRoleValue)
    + "（科室负责人、分管领导按部门审核，考核委员会、主要领导对全单位审核）")
SignoffAction = labelled_enum(SignoffActionValue, "SignoffAction",
                              "逐级审核的操作：通过（提交上一级）、退回（退回下一级）或"
                              "重新计算后重新审核（得分和拟定等次重新计算，各范围回到第一级）")


@strawberry.type(description="逐级审核的一级")
class SignoffLevel:
    index: int = strawberry.field(description="级别序号，从0开始（0为第一级）")
    name: str = strawberry.field(description="级别名称，如“科室负责人审核”")
    role: SignoffRole = strawberry.field(  # type: ignore[valid-type]
        description="在这一级审核的角色")
    role_label: str = strawberry.field(description="审核角色的中文名")
    per_department: bool = strawberry.field(
        description="是否按部门审核（科室负责人、分管领导）；否则对全单位审核")

    @classmethod
    def of(cls, level: Level) -> SignoffLevel:
        return cls(index=level.index, name=level.name, role=level.role,
                   role_label=level.role.label, per_department=level.per_department)


@strawberry.type(description="逐级审核的一步：某一级通过或退回，谁、何时、意见或退回理由")
class SignoffStep:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    level: int = strawberry.field(description="操作的级别序号")
    level_name: str = strawberry.field(description="操作的级别名称")
    to_level: int = strawberry.field(
        description="操作后该范围所处的级别序号；等于级数时表示已全部通过")
    action: SignoffAction = strawberry.field(  # type: ignore[valid-type]
        description="通过、退回或重新计算后重新审核")
    action_label: str = strawberry.field(
        description="操作的中文名（通过、退回、重新计算后重新审核）")
    actor_name: str = strawberry.field(description="操作人（姓名或账号名称）")
    note: str = strawberry.field(description="通过时的意见（可为空），或退回的理由")
    at: datetime = strawberry.field(description="操作时间（ISO 8601，带时区）")

    @classmethod
    def of(cls, row: StepRow, levels: list[Level]) -> SignoffStep:
        names = [lv.name for lv in levels]
        action = SignoffActionValue(row.action)
        return cls(id=strawberry.ID(str(row.id)), level=row.level,
                   level_name=names[row.level] if row.level < len(names) else "",
                   to_level=row.to_level, action=action, action_label=action.label,
                   actor_name=row.actor_name, note=row.note, at=row.created_at)


@strawberry.type(description=(
    "逐级审核的一个范围：一个部门（按部门审核的级别），或全单位（全单位审核的级别），"
    "及其所处级别和审核记录"))
class SignoffScope:
    department_id: strawberry.ID | None = strawberry.field(
        description="部门 id；全单位为 null（签核、退回时作为 scope 传回）")
    name: str = strawberry.field(description="范围名称：部门名称或“全单位”")
    level: int = strawberry.field(description="当前应审核的级别序号；等于级数时表示已全部通过")
    level_name: str | None = strawberry.field(
        description="当前应审核的级别名称；已全部通过或等待各部门时为 null")
    waiting: bool = strawberry.field(
        description="全单位范围：还有部门未完成按部门审核的级别，暂不能审核")
    done: bool = strawberry.field(description="该范围是否已通过其全部级别")
    people: int = strawberry.field(description="范围内参加考核（有等次）的人数")
    can_sign_off: bool = strawberry.field(description="当前用户现在能否通过并提交上一级")
    can_return: bool = strawberry.field(description="当前用户现在能否退回该范围")
    returned_reason: str | None = strawberry.field(
        description="最近一步是退回时的退回理由（当前级别据此修改）；否则为 null")
    history: list[SignoffStep] = strawberry.field(description="审核记录，按时间先后")

    @classmethod
    def of(cls, state: SignoffState, scope: Scope, actions: tuple[bool, bool]) -> SignoffScope:
        level = state.current(scope)
        per_department_done = (scope.department_id is not None
                               and scope.level >= state.department_levels)
        returned = scope.returned
        return cls(department_id=strawberry.ID(str(scope.department_id))
                   if scope.department_id else None,
                   name=scope.name, level=scope.level,
                   level_name=level.name if level is not None else None,
                   waiting=scope.waiting,
                   done=per_department_done or scope.level >= len(state.levels),
                   people=scope.people, can_sign_off=actions[0], can_return=actions[1],
                   returned_reason=returned.note if returned is not None else None,
                   history=[SignoffStep.of(s, state.levels) for s in scope.history])


@strawberry.type(description=(
    "本周期的逐级审核：各级（单位设置 review.signoff_chain）、各范围所处级别和审核记录。"
    "默认只有一级（综合研判），与确认等次相同"))
class SignoffChain:
    period_id: strawberry.ID = strawberry.field(description="考核周期 id")
    levels: list[SignoffLevel] = strawberry.field(description="各级，第一级在前")
    scopes: list[SignoffScope] = strawberry.field(
        description="各范围：按部门审核的各部门（按组织机构顺序），最后为全单位")
    done: bool = strawberry.field(description="是否已全部通过（等次已确认）")
    is_default: bool = strawberry.field(
        description="是否为默认的一级审核（综合研判，可直接确认等次）")

"""GraphQL types of accounts, tokens, the caller and the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from models import Account as AccountRow
from models import ApiToken as TokenRow
from models import AuditEntry as AuditRow
from resolvers.one_time_files import OneTimeLink
from resolvers.org import identity
from resolvers.org import structure as org
from schema.context import GraphQLContext, loader_for
from schema.descriptions import CREATED_AT_DOC, ID_DOC
from schema.enums import Role
from schema.types.org import Person
from vocab.audit import ACTIONS, ENTITIES, action_label, entity_label

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="登录账号")
class Account:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    username: str = strawberry.field(description="用户名（本单位内唯一）")
    display_name: str = strawberry.field(description="显示名称")
    disabled: bool = strawberry.field(description="已停用（不能登录）")
    person_id: strawberry.ID | None = strawberry.field(
        description="对应的人员 id；不对应人员的账号（如系统管理员）为 null")
    must_change_password: bool = strawberry.field(
        description="初始密码或被重置的密码：须先修改密码才能使用其他功能")
    totp_enabled: bool = strawberry.field(default=False,
                                          description="已启用双因素认证（动态验证码）")
    email: str | None = strawberry.field(
        default=None, description="接收通知的电子邮箱（本人在“消息通知”中设置）；未设置为 null")

    @strawberry.field(description="账号的角色")
    async def roles(self, info: GInfo) -> list[Role]:  # type: ignore[valid-type]
        roles = loader_for(info.context, identity.roles_by_account)
        return list(await roles.load(uuid.UUID(self.id)))

    @strawberry.field(description="对应的人员；没有时为 null")
    async def person(self, info: GInfo) -> Person | None:
        if self.person_id is None:
            return None
        row = await loader_for(info.context, org.people_by_ids).load(uuid.UUID(self.person_id))
        return Person.of(row) if row else None

    @classmethod
    def of(cls, row: AccountRow) -> Account:
        return cls(id=strawberry.ID(str(row.id)), username=row.username,
                   display_name=row.display_name, disabled=row.disabled,
                   person_id=strawberry.ID(str(row.person_id)) if row.person_id else None,
                   must_change_password=row.must_change_password,
                   totp_enabled=row.totp_enabled_at is not None, email=row.email or None)


@strawberry.type(description="单位门户或办公系统的接口令牌")
class ApiToken:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    name: str = strawberry.field(description="令牌名称（如使用它的系统）")
    roles: list[Role] = strawberry.field(  # type: ignore[valid-type]
        description="令牌的角色（决定可调用的接口和可见范围）")
    created_at: datetime = strawberry.field(description=CREATED_AT_DOC)
    revoked_at: datetime | None = strawberry.field(description="吊销时间；未吊销为 null")

    @classmethod
    def of(cls, row: TokenRow) -> ApiToken:
        return cls(id=strawberry.ID(str(row.id)), name=row.name, roles=list(row.roles),
                   created_at=row.created_at, revoked_at=row.revoked_at)


@strawberry.type(description="只能下载一次的文件（如初始密码表）：下载后即销毁")
class OneTimeFile:
    url: str = strawberry.field(description="下载地址（GET，带登录令牌；只有创建者可下载一次）")
    filename: str = strawberry.field(description="文件名")
    expires_at: datetime = strawberry.field(description="过期时间，过期后文件销毁")

    @classmethod
    def of(cls, link: OneTimeLink) -> OneTimeFile:
        return cls(url=link.path, filename=link.filename, expires_at=link.expires_at)


@strawberry.type(description="审计日志条目")
class AuditEntry:
    id: strawberry.ID = strawberry.field(description=ID_DOC)
    at: datetime = strawberry.field(description="操作时间（带时区）")
    actor: str = strawberry.field(
        description="操作人标识（account:<id>、token:<id>、system、anonymous；"
                    "提出异议记为 objector，不记录提出人）")
    action: str = strawberry.field(description="操作名称（如 period.advance）")
    entity: str = strawberry.field(description="被操作的对象类型（表名）")
    entity_id: str = strawberry.field(description="被操作对象的 id")
    before: JSON | None = strawberry.field(description="修改前的值（JSON）；新建时为 null")
    after: JSON | None = strawberry.field(description="修改后的值（JSON）；删除时为 null")
    reason: str = strawberry.field(description="操作理由；未填写为空串")

    @strawberry.field(description="操作的中文名（如“推进考核阶段”）；词表中没有的旧操作为操作名称本身")
    def action_label(self) -> str:
        return action_label(self.action)

    @strawberry.field(description="被操作对象类型的中文名（如“部门”）；未知类型为类型名本身")
    def entity_label(self) -> str:
        return entity_label(self.entity)

    @strawberry.field(description="操作人的姓名（账号或接口令牌名称）；系统和匿名登录尝试为空；"
                               "提出异议为“异议提出人（不记录身份）”")
    async def actor_name(self, info: Info[GraphQLContext, None]) -> str | None:
        return await loader_for(info.context, identity.names_by_subject).load(self.actor)

    @classmethod
    def of(cls, row: AuditRow) -> AuditEntry:
        return cls(id=strawberry.ID(str(row.id)), at=row.at, actor=row.actor, action=row.action,
                   entity=row.entity, entity_id=row.entity_id,
                   before=cast(JSON, row.before), after=cast(JSON, row.after), reason=row.reason)


@strawberry.type(description="审计日志中的一个代码及其中文名")
class AuditCode:
    code: str = strawberry.field(description="代码（操作名称或对象类型），用于筛选")
    label: str = strawberry.field(description="中文名")


@strawberry.type(description="审计日志的词表：可筛选的操作和对象类型")
class AuditVocabulary:
    actions: list[AuditCode] = strawberry.field(description="全部操作，按代码排序")
    entities: list[AuditCode] = strawberry.field(description="全部对象类型，按代码排序")

    @classmethod
    def all(cls) -> AuditVocabulary:
        return cls(actions=[AuditCode(code=c, label=label) for c, label in ACTIONS.items()],
                   entities=[AuditCode(code=c, label=label) for c, label in ENTITIES.items()])

"""Mutations of login, accounts, roles, API tokens and tenant provisioning."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from resolvers.errors import UserFacingError
from resolvers.org import identity, login, platform, sessions, totp
from schema.context import GraphQLContext
from schema.descriptions import INPUT_DOC, USER_ERRORS_DOC
from schema.enums import Role, TenantKind
from schema.errors import UserError, attempt, errors_of
from schema.ids import NO_ID, parse_id
from schema.types.identity import Account, ApiToken
from schema.types.org import Tenant

GInfo = Info[GraphQLContext, None]


@strawberry.type(description="登录的结果")
class LoginPayload:
    token: str | None = strawberry.field(
        description="登录令牌（请求时放在 Authorization: Bearer 中）；失败时为 null")
    expires_at: datetime | None = strawberry.field(
        description="令牌的过期时间（闲置超时另计）；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)
    must_change_password: bool = strawberry.field(
        default=False, description="须先修改密码（初始密码、被重置或已过期）才能使用其他功能")
    password_expired: bool = strawberry.field(
        default=False, description="密码已超过单位规定的有效期")
    totp_enrollment_required: bool = strawberry.field(
        default=False, description="管理员须先绑定双因素认证（beginTotpEnrollment）")


@strawberry.type(description="会话操作（修改密码、续期、验证码登录）的结果")
class SessionPayload:
    token: str | None = strawberry.field(description="新的登录令牌（旧令牌随之失效时请改用它）")
    expires_at: datetime | None = strawberry.field(description="会话的过期时间；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)

    @classmethod
    def of(cls, issued: sessions.IssuedSession | None,
           errors: list[UserError]) -> SessionPayload:
        return cls(token=issued.token if issued else None,
                   expires_at=issued.expires_at if issued else None, user_errors=errors)


@strawberry.type(description="退出登录的结果")
class LogoutPayload:
    ok: bool = strawberry.field(description="是否已退出（令牌已失效）")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="重置密码的结果")
class ResetPasswordPayload:
    account: Account | None = strawberry.field(description="被重置的账号；失败时为 null")
    initial_password: str | None = strawberry.field(
        description="一次性初始密码，只在此返回一次；用户首次登录后须修改")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="重置单位管理员密码的结果（仅市委组织部）")
class TenantAdminPasswordPayload:
    tenant: Tenant | None = strawberry.field(description="该单位；失败时为 null")
    username: str | None = strawberry.field(description="被重置的管理员用户名；失败时为 null")
    initial_password: str | None = strawberry.field(
        description="一次性初始密码，只在此返回一次；管理员首次登录后须修改")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="绑定双因素认证的结果")
class TotpEnrollmentPayload:
    secret: str | None = strawberry.field(description="动态验证码密钥，只在此时返回一次")
    otpauth_uri: str | None = strawberry.field(
        description="供身份验证器扫码的 otpauth 链接，只返回一次")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.input(description="新建账号的内容")
class AccountInput:
    username: str = strawberry.field(description="用户名（本单位内唯一）")
    password: str = strawberry.field(
        description="初始密码（须符合本单位的密码规则；首次登录后须修改）")
    person_id: strawberry.ID | None = strawberry.field(
        default=None, description="对应的人员 id；不对应人员时不传")
    display_name: str = strawberry.field(default="", description="显示名称")
    roles: list[Role] = strawberry.field(  # type: ignore[valid-type]
        description="授予的角色（三员分立：系统、安全、审计管理员不得兼任）",
        default_factory=list)


@strawberry.type(description="保存账号的结果")
class AccountPayload:
    account: Account | None = strawberry.field(description="保存后的账号；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type(description="创建接口令牌的结果")
class ApiTokenPayload:
    token: str | None = strawberry.field(description="令牌明文，只在创建时返回一次")
    api_token: ApiToken | None = strawberry.field(
        description="令牌的信息（不含明文）；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.input(description="开通新单位的内容")
class ProvisionTenantInput:
    code: str = strawberry.field(description="单位代码（全市唯一，登录时填写）")
    name: str = strawberry.field(description="单位名称")
    kind: TenantKind = strawberry.field(description="单位类型")  # type: ignore[valid-type]
    admin_username: str = strawberry.field(description="单位管理员（组织人事部门）的用户名")
    admin_password: str = strawberry.field(description="单位管理员的初始密码（首次登录后须修改）")


@strawberry.type(description="开通单位的结果")
class TenantPayload:
    tenant: Tenant | None = strawberry.field(description="新开通的单位；失败时为 null")
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS_DOC)


@strawberry.type
class IdentityMutation:
    @strawberry.mutation(description="用单位代码、用户名和密码登录，返回令牌")
    async def login(self, info: GInfo,
                    tenant_code: Annotated[str, strawberry.argument(
                        description="单位代码")],
                    username: Annotated[str, strawberry.argument(
                        description="用户名")],
                    password: Annotated[str, strawberry.argument(
                        description="密码")],
                    totp_code: Annotated[str | None, strawberry.argument(
                        description="动态验证码（已启用双因素认证的账号必填）"
                                    "")] = None) -> LoginPayload:
        result = await login.login(info.context, tenant_code, username, password, totp_code)
        if isinstance(result, UserFacingError):
            return LoginPayload(token=None, expires_at=None, user_errors=errors_of(result))
        return LoginPayload(token=result.token, expires_at=result.expires_at, user_errors=[],
                            must_change_password=result.must_change_password,
                            password_expired=result.password_expired,
                            totp_enrollment_required=result.totp_enrollment_required)

    @strawberry.mutation(description="退出登录：本次登录的令牌随即失效")
    async def logout(self, info: GInfo) -> LogoutPayload:
        _, errors = await attempt(info, lambda: sessions.logout(info.context))
        return LogoutPayload(ok=not errors, user_errors=errors)

    @strawberry.mutation(description="延长本次登录：返回有效期重新计算的新令牌")
    async def refresh_session(self, info: GInfo) -> SessionPayload:
        issued, errors = await attempt(info, lambda: sessions.refresh(info.context))
        return SessionPayload.of(issued, errors)

    @strawberry.mutation(description="修改本人密码：所有登录（含本次）随即失效，返回新令牌")
    async def change_password(self, info: GInfo,
                              current_password: Annotated[str, strawberry.argument(
                                  description="当前密码")],
                              new_password: Annotated[str, strawberry.argument(
                                  description="新密码（须符合本单位的密码规则）"
                                              "")]) -> SessionPayload:
        issued, errors = await attempt(info, lambda: sessions.change_password(
            info.context, current_password, new_password))
        return SessionPayload.of(issued, errors)

    @strawberry.mutation(description="重置账号密码：生成一次性初始密码（只返回一次），"
                                     "该账号的所有登录随即失效，首次登录须修改密码")
    async def reset_password(self, info: GInfo,
                             account_id: Annotated[strawberry.ID, strawberry.argument(
                                 description="账号 id")]
                             ) -> ResetPasswordPayload:
        reset, errors = await attempt(info, lambda: sessions.reset_password(
            info.context, parse_id(account_id) or NO_ID))
        return ResetPasswordPayload(account=Account.of(reset.account) if reset else None,
                                    initial_password=reset.password if reset else None,
                                    user_errors=errors)

    @strawberry.mutation(description="开始绑定双因素认证：生成密钥，只返回这一次")
    async def begin_totp_enrollment(self, info: GInfo) -> TotpEnrollmentPayload:
        enrollment, errors = await attempt(info, lambda: totp.begin_enrollment(info.context))
        return TotpEnrollmentPayload(secret=enrollment.secret if enrollment else None,
                                     otpauth_uri=enrollment.uri if enrollment else None,
                                     user_errors=errors)

    @strawberry.mutation(description="输入身份验证器上的动态验证码，确认启用双因素认证")
    async def confirm_totp_enrollment(self, info: GInfo,
                                      code: Annotated[str, strawberry.argument(
                                          description="身份验证器上的 6 位动态验证码"
                                                      "")]) -> AccountPayload:
        row, errors = await attempt(info, lambda: totp.confirm_enrollment(info.context, code))
        return AccountPayload(account=Account.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="重置账号的双因素认证（设备丢失时；安全管理员）")
    async def reset_totp(self, info: GInfo,
                         account_id: Annotated[strawberry.ID, strawberry.argument(
                             description="账号 id")]) -> AccountPayload:
        row, errors = await attempt(info, lambda: totp.reset(
            info.context, parse_id(account_id) or NO_ID))
        return AccountPayload(account=Account.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="新建账号并授予角色")
    async def create_account(self, info: GInfo,
                             input: Annotated[AccountInput, strawberry.argument(
                                 description=INPUT_DOC)]) -> AccountPayload:
        row, errors = await attempt(info, lambda: identity.create_account(
            info.context, identity.AccountInput(
                username=input.username, password=input.password,
                person_id=parse_id(input.person_id), display_name=input.display_name,
                roles=tuple(input.roles))))
        return AccountPayload(account=Account.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="授予角色")
    async def grant_role(self, info: GInfo,
                         account_id: Annotated[strawberry.ID, strawberry.argument(
                             description="账号 id")],
                         role: Annotated[Role, strawberry.argument(  # type: ignore[valid-type]
                             description="角色")]) -> AccountPayload:
        row, errors = await attempt(info, lambda: identity.grant_role(
            info.context, parse_id(account_id) or NO_ID, role))
        return AccountPayload(account=Account.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="收回角色")
    async def revoke_role(self, info: GInfo,
                          account_id: Annotated[strawberry.ID, strawberry.argument(
                              description="账号 id")],
                          role: Annotated[Role, strawberry.argument(  # type: ignore[valid-type]
                              description="角色")]) -> AccountPayload:
        row, errors = await attempt(info, lambda: identity.revoke_role(
            info.context, parse_id(account_id) or NO_ID, role))
        return AccountPayload(account=Account.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="停用或启用账号")
    async def set_account_disabled(self, info: GInfo,
                                   account_id: Annotated[strawberry.ID, strawberry.argument(
                                       description="账号 id")],
                                   disabled: Annotated[bool, strawberry.argument(
                                       description="true 停用，false 启用")]) -> AccountPayload:
        row, errors = await attempt(info, lambda: identity.set_account_disabled(
            info.context, parse_id(account_id) or NO_ID, disabled))
        return AccountPayload(account=Account.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="解除账号的登录限制：清除各地址登录失败的计数和等待（仅单位管理员）")
    async def unlock_account(self, info: GInfo,
                             account_id: Annotated[strawberry.ID, strawberry.argument(
                                 description="账号 id")]) -> AccountPayload:
        row, errors = await attempt(info, lambda: login.unlock_account(
            info.context, parse_id(account_id) or NO_ID))
        return AccountPayload(account=Account.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="为单位门户或办公系统创建接口令牌")
    async def create_api_token(self, info: GInfo,
                               name: Annotated[str, strawberry.argument(
                                   description="令牌名称（如使用它的系统）")],
                               roles: Annotated[list[Role], strawberry.argument(  # type: ignore[valid-type]
                                   description="令牌的角色（决定可调用的接口和可见范围）"
                                               "")]) -> ApiTokenPayload:
        issued, errors = await attempt(info, lambda: identity.create_api_token(
            info.context, name, roles))
        return ApiTokenPayload(token=issued.token if issued else None,
                               api_token=ApiToken.of(issued.row) if issued else None,
                               user_errors=errors)

    @strawberry.mutation(description="吊销接口令牌")
    async def revoke_api_token(self, info: GInfo,
                               id: Annotated[strawberry.ID, strawberry.argument(
                                   description="接口令牌 id")]) -> ApiTokenPayload:
        row, errors = await attempt(info, lambda: identity.revoke_api_token(
            info.context, parse_id(id) or NO_ID))
        return ApiTokenPayload(token=None, api_token=ApiToken.of(row) if row else None,
                               user_errors=errors)

    @strawberry.mutation(description="开通新单位（仅市委组织部）")
    async def provision_tenant(self, info: GInfo,
                               input: Annotated[ProvisionTenantInput, strawberry.argument(
                                   description=INPUT_DOC)]) -> TenantPayload:
        row, errors = await attempt(info, lambda: platform.provision(
            info.context, code=input.code, name=input.name, kind=input.kind,
            admin_username=input.admin_username, admin_password=input.admin_password))
        return TenantPayload(tenant=Tenant.of(row) if row else None, user_errors=errors)

    @strawberry.mutation(description="重置单位管理员的密码（仅市委组织部）：生成一次性初始密码"
                                     "（只返回一次），该账号的所有登录随即失效，首次登录须修改密码")
    async def reset_tenant_admin_password(
            self, info: GInfo,
            tenant_id: Annotated[strawberry.ID, strawberry.argument(description="单位 id")],
            username: Annotated[str | None, strawberry.argument(
                description="管理员用户名；不传为该单位开通时的管理员")] = None
    ) -> TenantAdminPasswordPayload:
        reset, errors = await attempt(info, lambda: platform.reset_admin_password(
            info.context, parse_id(tenant_id) or NO_ID, username))
        return TenantAdminPasswordPayload(
            tenant=Tenant.of(reset.tenant) if reset else None,
            username=reset.username if reset else None,
            initial_password=reset.password if reset else None, user_errors=errors)

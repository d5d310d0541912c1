"""Typed tenant configuration: every rule with a number is a setting with a documented default.

Stored in ``tenants.settings`` (JSONB) as a partial document; missing keys take the defaults
below, so a new default reaches every tenant that never changed it. Nothing here is a constant
of the code: a unit changes its rules through ``updateTenantSettings``.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from urllib.parse import urlsplit

from tenants.config_error import ConfigError as ConfigError  # re-exported: callers import it here
from tenants.notify_config import NotificationConfig as NotificationConfig
from tenants.notify_config import check_notifications
from tenants.review_config import ReviewConfig, check_review
from tenants.workflow_config import (
    CalibrationConfig,
    PublicityConfig,
    check_calibration,
    check_publicity,
)
from vocab.rating import RaterRole
from vocab.ties import TieKey, TieSettlement

T = TypeVar("T")


@dataclass(frozen=True)
class DeclarationConfig:
    max_items: int = 5  # 实绩申报最多5项
    title_max_length: int = 40
    content_max_length: int = 300  # 简明扼要
    self_assessment_max_length: int = 200


@dataclass(frozen=True)
class PeriodConfig:
    # "no rating before declarations close unless the tenant allows it"
    allow_rating_before_declarations_close: bool = False
    # The period cannot close while feedback interviews are missing, unless turned off.
    require_interviews_to_close: bool = True
    # "Computing refuses while required raters are missing" (DOMAIN, decisions on the rules):
    # leaving "rating" for "reviewing" is refused likewise while an appraised person lacks a
    # rater role, unless turned off (computeResults then still asks for ``proceed``).
    require_ratings_to_review: bool = True


@dataclass(frozen=True)
class RatingConfig:
    # Percent per rater role, summing to 100 (温江高新区: department head 40%).
    role_weights: dict[str, int] = field(default_factory=lambda: {
        "department_head": 40, "supervising_leader": 20, "principal_leader": 15,
        "peer": 15, "subordinate": 10})
    # "renormalize": a role with no rater for a person is left out and the others are scaled
    # up to 100%; "zero": the missing role counts 0. (Judged per indicator and dimension; see
    # rules.scoring.)
    missing_rater_rule: str = "renormalize"
    rounding_places: int = 2
    rounding_mode: str = "half_up"
    peers_per_person: int = 3
    # Rater assignment (rules.raters): direct reports rating a leader; external raters (people
    # not appraised, e.g. 村（社区）书记) rating each department head, 0 meaning all of them.
    # A role only gets raters when its weight is above 0.
    subordinates_per_person: int = 3
    external_raters_per_person: int = 0
    # Rater role -> the only rating dimensions (codes) it rates, e.g. 黄水镇:
    # {"external_rater": ["cooperation"]} (协同配合). Absent roles rate every dimension.
    role_dimensions: dict[str, list[str]] = field(default_factory=dict)
    # People nobody manages inside the unit (the principal leader) are appraised by the level
    # above (由上级考核, DOMAIN): no raters generated, outside the unit's ranking, quotas, care
    # list and interviews. True: the tenant names raters for them and they are appraised here.
    appraise_unmanaged_in_unit: bool = False


@dataclass(frozen=True)
class GradingConfig:
    good_quota_share: str = "0.40"  # 好 at most 40% of those appraised (floor, at least one)
    shortlist_share: str = "0.50"  # 入围择优: 好 only from the top 50%
    breach_cap: str = "average"  # a serious conduct breach caps the grade at 一般
    # [(score, grade)]: below the score the grade is at most that grade. Provincial practice:
    # 好 >= 90, 较好 80-89.99, 一般 60-79.99, 较差 < 60 (with the 好 quota and the top half).
    score_bands: list[tuple[str, str]] = field(default_factory=lambda: [
        ("60", "poor"), ("80", "average"), ("90", "fairly_good")])
    compare_groups_separately: bool = False
    # Equal scores are ordered by these steps in turn (DOMAIN "Ties"): higher rated part, fewer
    # deductions, lower employee number (人员编号). Any subset in any order; [] leaves them tied.
    tie_keys: list[str] = field(default_factory=lambda: [k.value for k in TieKey])
    # A tie cut by the 好 quota or the top-50% line: "review" (default, DOMAIN: flagged
    # 并列跨线，须研判 and decided in the review with a reason) or "automatic" (the order above
    # decides; a tie it cannot break still goes to the review).
    tie_settlement: str = TieSettlement.review.value


@dataclass(frozen=True)
class AnnualConfig:
    excellent_quota_share: str = "0.20"  # 优秀 about 20%, rounded half up, at least one
    shortlist_share: str = "0.50"
    good_quarters_share: str = "0.5"  # 好 in more than half of the quarters
    # 民主测评 in the rule (issue 17): the annual explanation shows the person's vote counts and
    # the turnout of the closed votes. Counts only, never the score (DOMAIN.md gives no weight).
    include_democratic_vote: bool = False
    duty_report_max_length: int = 5000  # 述职报告 text, characters
    duty_report_attachment_max_mb: int = 10  # one attachment (PDF, DOCX or an image)


@dataclass(frozen=True)
class CareConfig:
    bottom_share: str = "0.10"  # ranked in the bottom 10%
    # 明显退步 against the quarter before (rules.care). Defaults chosen to fire on realistic
    # data (issue 12: a fall from the 1st to the 59th place was not flagged with the old
    # "two grade steps, no rank test"): one grade step (好 -> 较好), or a rank drop of at least
    # 20% of the quarter's ranking (12 ranked: 3 places); the rank tests are off with 0.
    regression_steps: int = 1  # grade down by this many steps or more (1..3)
    rank_drop_share: str = "0.20"  # rank down by this share of those ranked or more; "0": off
    rank_drop: int = 0  # rank down by this many places or more; 0: off
    low_fit_threshold: int = 2  # person-post fit rated 1..5; at or below flags care
    poor_count: int = 2  # 较差 twice ...
    poor_window: int = 4  # ... within four quarters: long-term poor


@dataclass(frozen=True)
class FeedbackConfig:
    # Whoever manages a person records their interview (the department head; supervising and
    # principal leaders for the heads they manage). These roles may also record and read the
    # interviews of anyone in the unit but themselves, e.g. ["tenant_admin"] when the
    # organization department records on a head's behalf. Default: nobody else.
    recorder_roles: list[str] = field(default_factory=list)
    require_all_topics: bool = True  # 四必谈: all four topics ticked, each with notes
    text_max_length: int = 2000  # per text field of an interview or a care/results-use record


@dataclass(frozen=True)
class PromotionRule:
    """Promotion candidates (职务提拔): e.g. three consecutive quarters rated 好 and a 优秀 year."""

    consecutive_good: int = 3  # a run of this many consecutive quarters rated 好 ...
    excellent_years: int = 1  # ... and this many years rated 优秀 ...
    years: int = 1  # ... within the last `years` years, ending at the year considered
    blocked_by_poor: bool = True  # any 较差 quarter or annual grade below 称职 in the window


@dataclass(frozen=True)
class RankAdvancementRule(PromotionRule):
    """Rank advancement candidates (职级晋升): two consecutive 好, no 优秀 year required."""

    consecutive_good: int = 2
    excellent_years: int = 0


@dataclass(frozen=True)
class ResultsUseConfig:
    promotion: PromotionRule = field(default_factory=PromotionRule)
    rank_advancement: RankAdvancementRule = field(default_factory=RankAdvancementRule)
    # Promotion deferral suggested (暂缓晋升) for a year graded below 称职 or with this many
    # quarters rated 较差 (0: quarters never suggest it).
    deferral_poor_quarters: int = 1
    training_weakest_dimensions: int = 2  # per unit, the weakest rating dimensions listed
    training_min_people: int = 1  # a dimension needs scores of this many people in the unit


@dataclass(frozen=True)
class DepartmentResultConfig:
    """Department results (组织绩效, 考事): the formula of ``rules.department_results`` and their
    use. The seed asks that the department's result and its people's results be linked; the
    numbers below are this product's defaults, not the seed's."""

    task_points: str = "100"  # all tasks due in the period done: 100 points
    overdue_item_points: str = "2"  # per overdue item not rectified ...
    overdue_cap: str = "20"  # ... at most 20 points off
    indicator_cap: str = "10"  # unit-level credits minus deductions count at most ±10
    # [(threshold, level)] best first; below the last threshold: lowest_level.
    level_bands: list[tuple[str, str]] = field(default_factory=lambda: [
        ("90", "A"), ("80", "B"), ("60", "C")])
    lowest_level: str = "D"
    # Allocate the 好 quota to departments by their result (rules.department_quota); off: one
    # unit-wide quota as before.
    allocate_good_quota: bool = False
    # Level -> weight of a department's headcount in that allocation (a better result: more).
    good_quota_coefficients: dict[str, str] = field(default_factory=lambda: {
        "A": "1.2", "B": "1.0", "C": "0.8", "D": "0.5"})
    # People in no department with a result (e.g. the leadership team) share places as one
    # group with this coefficient.
    no_result_coefficient: str = "1.0"


# The floor of the audit retention (six months); the database's purge function refuses less too.
MIN_AUDIT_RETENTION_DAYS = 180


@dataclass(frozen=True)
class AdminSecurityConfig:
    # 网络安全法 Art. 21 and GB/T 22239-2019: network logs kept at least six months; older
    # audit records are purged once a day (workers/audit_purge.py). Never below 180.
    audit_retention_days: int = 180
    # Second factor (TOTP) for administrators (tenant_admin and the three of 三员分立):
    # off by default; when on, they enroll and give a code at every login.
    totp_for_admins: bool = False


@dataclass(frozen=True)
class AccountSecurityConfig:
    """Identity authentication (GB/T 22239-2019 level 3, 身份鉴别). The password rule itself is
    ``rules.password_policy``; these are its settings and those of the login sessions."""

    password_min_length: int = 8  # 口令长度至少8位
    password_min_classes: int = 3  # 大写、小写、数字、特殊符号中至少3种
    password_forbid_username: bool = True  # 不得与用户名相同或包含用户名
    # Days after which a password must be changed at the next login; 0: never expires.
    password_max_age_days: int = 0
    # A session unused this long is ended (登录超时退出); the token must be refreshed or the
    # user logs in again.
    idle_timeout_minutes: int = 30


@dataclass(frozen=True)
class PortalConfig:
    """A unit's own portal served from another address (issue 14): the browser may call the
    API from these origins (CORS). Each is scheme://host[:port], no path, no wildcard; default
    none, so only the portal served by this app (same origin) can call it."""

    allowed_origins: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TenantConfig:
    declarations: DeclarationConfig = field(default_factory=DeclarationConfig)
    periods: PeriodConfig = field(default_factory=PeriodConfig)
    rating: RatingConfig = field(default_factory=RatingConfig)
    grading: GradingConfig = field(default_factory=GradingConfig)
    annual: AnnualConfig = field(default_factory=AnnualConfig)
    care: CareConfig = field(default_factory=CareConfig)
    feedback: FeedbackConfig = field(default_factory=FeedbackConfig)
    results_use: ResultsUseConfig = field(default_factory=ResultsUseConfig)
    department_results: DepartmentResultConfig = field(default_factory=DepartmentResultConfig)
    calibration: CalibrationConfig = field(default_factory=CalibrationConfig)
    account_security: AccountSecurityConfig = field(default_factory=AccountSecurityConfig)
    admin_security: AdminSecurityConfig = field(default_factory=AdminSecurityConfig)
    portal: PortalConfig = field(default_factory=PortalConfig)
    review: ReviewConfig = field(default_factory=ReviewConfig)
    notifications: NotificationConfig = field(default_factory=NotificationConfig)
    publicity: PublicityConfig = field(default_factory=PublicityConfig)

    def validate(self) -> None:
        weights = self.rating.role_weights
        if sum(weights.values()) != 100 or any(w < 0 for w in weights.values()):
            raise ConfigError("评价主体权重须为非负整数且合计为100%", "rating.role_weights")
        if self.rating.missing_rater_rule not in ("renormalize", "zero"):
            raise ConfigError("缺少评价主体时的规则只能是 renormalize 或 zero",
                              "rating.missing_rater_rule")
        if self.rating.rounding_mode not in ("half_up", "half_even", "down"):
            raise ConfigError("舍入方式只能是 half_up、half_even 或 down", "rating.rounding_mode")
        if not 0 <= self.rating.rounding_places <= 4:
            raise ConfigError("保留小数位数须在0到4之间", "rating.rounding_places")
        _check_rating(self.rating)
        if not 1 <= self.declarations.max_items <= 20:
            raise ConfigError("申报项数上限须在1到20之间", "declarations.max_items")
        for name, path, share in (
                ("好等次比例", "grading.good_quota_share", self.grading.good_quota_share),
                ("入围比例", "grading.shortlist_share", self.grading.shortlist_share),
                ("优秀等次比例", "annual.excellent_quota_share",
                 self.annual.excellent_quota_share),
                ("排名靠后比例", "care.bottom_share", self.care.bottom_share),
                ("名次下降比例", "care.rank_drop_share", self.care.rank_drop_share)):
            try:
                value = Decimal(share)
            except InvalidOperation as exc:
                raise ConfigError(f"{name}须为0到1之间的小数", path) from exc
            if not Decimal(0) <= value <= Decimal(1):
                raise ConfigError(f"{name}须为0到1之间的小数", path)
        _check_care_feedback_results_use(self)
        _check_annual_inputs(self.annual)
        _check_department_results(self.department_results)
        _check_ties(self.grading)
        check_calibration(self.calibration)
        _check_account_security(self.account_security)
        _check_admin_security(self.admin_security)
        _check_portal(self.portal)
        check_review(self.review)
        check_notifications(self.notifications)
        check_publicity(self.publicity)


def _check_annual_inputs(config: AnnualConfig) -> None:
    if not isinstance(config.include_democratic_vote, bool):
        raise ConfigError("年度等次说明是否列出民主测评票数须为 true 或 false",
                          "annual.include_democratic_vote")
    if not 100 <= config.duty_report_max_length <= 20000:
        raise ConfigError("述职报告字数上限须在100到20000之间", "annual.duty_report_max_length")
    if not 1 <= config.duty_report_attachment_max_mb <= 15:
        raise ConfigError("述职报告附件大小上限须在1到15 MB之间",
                          "annual.duty_report_attachment_max_mb")


def _check_account_security(config: AccountSecurityConfig) -> None:
    if not 8 <= config.password_min_length <= 64:
        raise ConfigError("密码最小长度须在8到64之间", "account_security.password_min_length")
    if not 1 <= config.password_min_classes <= 4:
        raise ConfigError("密码须包含的字符种类数须在1到4之间",
                          "account_security.password_min_classes")
    if not 0 <= config.password_max_age_days <= 3650:
        raise ConfigError("密码有效期须在0到3650天之间（0表示不过期）",
                          "account_security.password_max_age_days")
    if not 1 <= config.idle_timeout_minutes <= 24 * 60:
        raise ConfigError("登录空闲超时须在1到1440分钟之间",
                          "account_security.idle_timeout_minutes")


def _check_admin_security(config: AdminSecurityConfig) -> None:
    days = config.audit_retention_days
    if isinstance(days, bool) or not isinstance(days, int) or days < MIN_AUDIT_RETENTION_DAYS:
        raise ConfigError(f"审计日志保存期限不得少于{MIN_AUDIT_RETENTION_DAYS}天（网络安全法要求"
                          "网络日志留存不少于六个月）", "admin_security.audit_retention_days")
    if not isinstance(config.totp_for_admins, bool):
        raise ConfigError("管理员双因素认证开关须为 true 或 false",
                          "admin_security.totp_for_admins")


def origin_problem(origin: object) -> str | None:
    """Why a text is not an origin a browser sends (scheme://host[:port]), or None."""
    if not isinstance(origin, str):
        return "须为文本"
    parts = urlsplit(origin)
    try:
        port = parts.port
    except ValueError:
        return "端口无效"
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return "须以 http:// 或 https:// 开头并写明主机"
    if "*" in origin:
        return "不能使用通配符"
    if parts.path or parts.query or parts.fragment or origin.endswith(("/", "?", "#")):
        return "不能包含路径、查询或结尾的斜杠"
    if parts.username is not None or parts.password is not None:
        return "不能包含用户名或密码"
    if (parts.scheme, port) in (("http", 80), ("https", 443)):
        return "默认端口（80、443）不写，浏览器发送的来源不含它"
    # Exactly what a browser puts in its Origin header (lower case, port only when given).
    suffix = f":{port}" if port is not None else ""
    shown = f"[{host}]" if ":" in host else host
    if origin != f"{parts.scheme}://{shown}{suffix}":
        return "须为小写的 协议://主机[:端口]"
    return None


def _check_portal(portal: PortalConfig) -> None:
    if not isinstance(portal.allowed_origins, list):
        raise ConfigError("门户允许的来源须为列表，如 [\"https://portal.example.gov.cn\"]",
                          "portal.allowed_origins")
    for origin in portal.allowed_origins:
        problem = origin_problem(origin)
        if problem is not None:
            raise ConfigError(f"门户允许的来源「{origin}」无效：{problem}"
                              "（格式为 协议://主机[:端口]，如 https://portal.example.gov.cn）",
                              "portal.allowed_origins")


def _check_ties(grading: GradingConfig) -> None:
    keys = grading.tie_keys
    if (not isinstance(keys, list) or any(k not in set(TieKey) for k in keys)
            or len(set(keys)) != len(keys)):
        known = "、".join(f"{k.value}（{k.label}）" for k in TieKey)
        raise ConfigError(f"同分排序规则须为不重复的排序项列表，可选：{known}", "grading.tie_keys")
    if grading.tie_settlement not in set(TieSettlement):
        raise ConfigError("并列跨线的处理方式只能是 review（综合研判决定）"
                          "或 automatic（按排序规则）", "grading.tie_settlement")


# Roles a tenant may name as interview recorders besides whoever manages the person.
RECORDER_ROLES = ("tenant_admin", "principal_leader", "supervising_leader", "department_head",
                  "office")


def _check_care_feedback_results_use(config: TenantConfig) -> None:
    care, feedback, use = config.care, config.feedback, config.results_use
    if not 1 <= care.regression_steps <= 3:
        raise ConfigError("退步等次数须在1到3之间", "care.regression_steps")
    if care.rank_drop < 0:
        raise ConfigError("名次下降阈值不能为负（0表示不按名次判断退步）", "care.rank_drop")
    if not 0 <= care.low_fit_threshold <= 5:
        raise ConfigError("人岗契合度阈值须在0到5之间", "care.low_fit_threshold")
    if not 1 <= care.poor_count <= care.poor_window <= 20:
        raise ConfigError("长期较差的次数须至少为1，且不超过统计的季度数（至多20）",
                          "care.poor_count")
    bad = [r for r in feedback.recorder_roles if r not in RECORDER_ROLES]
    if bad:
        raise ConfigError(f"不能授权记录反馈谈话的角色：{'、'.join(map(str, bad))}",
                          "feedback.recorder_roles")
    if not 100 <= feedback.text_max_length <= 10000:
        raise ConfigError("谈话记录每项字数上限须在100到10000之间", "feedback.text_max_length")
    for name, path, rule in (("提拔", "results_use.promotion", use.promotion),
                             ("职级晋升", "results_use.rank_advancement", use.rank_advancement)):
        if not 1 <= rule.years <= 10 or not 0 <= rule.excellent_years <= rule.years:
            raise ConfigError(f"{name}人选规则：年数须在1到10之间，优秀年数不超过年数", path)
        if not 0 <= rule.consecutive_good <= 4 * rule.years:
            raise ConfigError(f"{name}人选规则：连续“好”的季度数须在0到{4 * rule.years}之间",
                              path)
    if not 0 <= use.deferral_poor_quarters <= 4:
        raise ConfigError("暂缓晋升的较差季度数须在0到4之间", "results_use.deferral_poor_quarters")
    if not 1 <= use.training_weakest_dimensions <= 10 or use.training_min_people < 1:
        raise ConfigError("培训需求：每个部门列出1到10个最弱维度，最少人数至少为1",
                          "results_use.training_weakest_dimensions")


def _check_department_results(config: DepartmentResultConfig) -> None:
    numbers = [config.task_points, config.overdue_item_points, config.overdue_cap,
               config.indicator_cap, config.no_result_coefficient,
               *config.good_quota_coefficients.values(), *(t for t, _ in config.level_bands)]
    try:
        if any(not Decimal(n).is_finite() or Decimal(n) < 0 for n in numbers):
            raise ConfigError("部门考核结果的分值、上限和系数须为非负数", "department_results")
    except (InvalidOperation, TypeError) as exc:
        raise ConfigError("部门考核结果的分值、上限和系数须为非负数", "department_results") from exc
    levels = [level for _, level in config.level_bands] + [config.lowest_level]
    if len(set(levels)) != len(levels) or not all(str(level).strip() for level in levels):
        raise ConfigError("部门考核结果档次名称不能为空且不得重复",
                          "department_results.level_bands")
    missing = [level for level in levels if level not in config.good_quota_coefficients]
    if missing:
        raise ConfigError(f"部门考核结果「{'、'.join(missing)}」未配置好等次名额分配系数",
                          "department_results.good_quota_coefficients")


def _check_rating(rating: RatingConfig) -> None:
    roles = set(RaterRole)
    unknown = [r for r in (*rating.role_weights, *rating.role_dimensions) if r not in roles]
    if unknown:
        raise ConfigError(f"未知的评价主体：{'、'.join(map(str, unknown))}", "rating.role_weights")
    for count in (rating.peers_per_person, rating.subordinates_per_person,
                  rating.external_raters_per_person):
        if not isinstance(count, int) or not 0 <= count <= 50:
            raise ConfigError("每人的同级、下级、外部评价人数须在0到50之间",
                              "rating.peers_per_person")
    for codes in rating.role_dimensions.values():
        if not isinstance(codes, list) or not codes or not all(isinstance(c, str) for c in codes):
            raise ConfigError("评价主体的评价维度须为非空的维度代码列表", "rating.role_dimensions")


def _merge(cls: type[T], data: dict[str, Any], prefix: str = "") -> T:
    assert is_dataclass(cls)
    default = cls()
    values: dict[str, Any] = {}
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ConfigError(f"未知的配置项：{'、'.join(sorted(unknown))}",
                          f"{prefix}{min(unknown)}")
    for f in fields(cls):
        if f.name not in data:
            continue
        current = getattr(default, f.name)
        if is_dataclass(current):
            values[f.name] = _merge(type(current), dict(data[f.name] or {}),
                                    f"{prefix}{f.name}.")
        else:
            values[f.name] = data[f.name]
    return replace(default, **values)


# Parsed configurations by their JSON text: every request reads its tenant's settings (the
# session's rules), and parsing them costs about half a millisecond. TenantConfig is frozen.
_PARSED: dict[str, TenantConfig] = {}
_PARSED_MAX = 1024


def load_config(settings: dict[str, Any] | None) -> TenantConfig:
    try:
        key = json.dumps(settings or {}, sort_keys=True)
    except (TypeError, ValueError):  # not JSON (a caller's own values): parse every time
        return _parse(settings)
    config = _PARSED.get(key)
    if config is None:
        config = _parse(settings)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = config
    return config


def _parse(settings: dict[str, Any] | None) -> TenantConfig:
    config = _merge(TenantConfig, dict(settings or {}))
    config.validate()
    return config


def as_document(config: TenantConfig) -> dict[str, Any]:
    return asdict(config)

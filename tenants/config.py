"""Typed tenant configuration: every rule with a number is a setting with a documented default.

Stored in ``tenants.settings`` (JSONB) as a partial document; missing keys take the defaults
below, so a new default reaches every tenant that never changed it. Nothing here is a constant
of the code: a unit changes its rules through ``updateTenantSettings``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

T = TypeVar("T")


class ConfigError(ValueError):
    pass


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


@dataclass(frozen=True)
class RatingConfig:
    # Percent per rater role, summing to 100 (温江高新区: department head 40%).
    role_weights: dict[str, int] = field(default_factory=lambda: {
        "department_head": 40, "supervising_leader": 20, "principal_leader": 15,
        "peer": 15, "subordinate": 10})
    # "renormalize": a role with no rater for a person is left out and the others are scaled
    # up to 100%; "zero": the missing role counts 0.
    missing_rater_rule: str = "renormalize"
    rounding_places: int = 2
    rounding_mode: str = "half_up"
    peers_per_person: int = 3


@dataclass(frozen=True)
class GradingConfig:
    good_quota_share: str = "0.40"  # 好 at most 40% of those appraised (floor, at least one)
    shortlist_share: str = "0.50"  # 入围择优: 好 only from the top 50%
    breach_cap: str = "average"  # a serious conduct breach caps the grade at 一般
    score_bands: list[tuple[str, str]] = field(default_factory=list)  # [(score, grade)]
    compare_groups_separately: bool = False


@dataclass(frozen=True)
class AnnualConfig:
    excellent_quota_share: str = "0.20"  # 优秀 about 20%, rounded half up, at least one
    shortlist_share: str = "0.50"
    good_quarters_share: str = "0.5"  # 好 in more than half of the quarters


@dataclass(frozen=True)
class CareConfig:
    bottom_share: str = "0.10"  # ranked in the bottom 10%
    regression_steps: int = 2  # grade down by two steps or more
    rank_drop: int = 0  # 0: off; otherwise a drop of this many places flags regression
    low_fit_threshold: int = 2  # person-post fit rated 1..5; at or below flags care
    poor_count: int = 2  # 较差 twice ...
    poor_window: int = 4  # ... within four quarters: long-term poor


@dataclass(frozen=True)
class TenantConfig:
    declarations: DeclarationConfig = field(default_factory=DeclarationConfig)
    periods: PeriodConfig = field(default_factory=PeriodConfig)
    rating: RatingConfig = field(default_factory=RatingConfig)
    grading: GradingConfig = field(default_factory=GradingConfig)
    annual: AnnualConfig = field(default_factory=AnnualConfig)
    care: CareConfig = field(default_factory=CareConfig)

    def validate(self) -> None:
        weights = self.rating.role_weights
        if sum(weights.values()) != 100 or any(w < 0 for w in weights.values()):
            raise ConfigError("评价主体权重须为非负整数且合计为100%")
        if self.rating.missing_rater_rule not in ("renormalize", "zero"):
            raise ConfigError("缺少评价主体时的规则只能是 renormalize 或 zero")
        if self.rating.rounding_mode not in ("half_up", "half_even", "down"):
            raise ConfigError("舍入方式只能是 half_up、half_even 或 down")
        if not 0 <= self.rating.rounding_places <= 4:
            raise ConfigError("保留小数位数须在0到4之间")
        if not 1 <= self.declarations.max_items <= 20:
            raise ConfigError("申报项数上限须在1到20之间")
        for name, share in (("好等次比例", self.grading.good_quota_share),
                            ("入围比例", self.grading.shortlist_share),
                            ("优秀等次比例", self.annual.excellent_quota_share),
                            ("排名靠后比例", self.care.bottom_share)):
            try:
                value = Decimal(share)
            except InvalidOperation as exc:
                raise ConfigError(f"{name}须为0到1之间的小数") from exc
            if not Decimal(0) <= value <= Decimal(1):
                raise ConfigError(f"{name}须为0到1之间的小数")


def _merge(cls: type[T], data: dict[str, Any]) -> T:
    assert is_dataclass(cls)
    default = cls()
    values: dict[str, Any] = {}
    names = {f.name for f in fields(cls)}
    unknown = set(data) - names
    if unknown:
        raise ConfigError(f"未知的配置项：{'、'.join(sorted(unknown))}")
    for f in fields(cls):
        if f.name not in data:
            continue
        current = getattr(default, f.name)
        if is_dataclass(current):
            values[f.name] = _merge(type(current), dict(data[f.name] or {}))
        else:
            values[f.name] = data[f.name]
    return replace(default, **values)


def load_config(settings: dict[str, Any] | None) -> TenantConfig:
    config = _merge(TenantConfig, dict(settings or {}))
    config.validate()
    return config


def as_document(config: TenantConfig) -> dict[str, Any]:
    return asdict(config)

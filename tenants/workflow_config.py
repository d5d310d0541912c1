"""Settings of the appraisal's workflow (issue 17): calibration (校准) and the publicity's
objections (异议); sections of ``tenants.config.TenantConfig``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tenants.config_error import ConfigError


@dataclass(frozen=True)
class CalibrationConfig:
    """Calibration (校准, issue 17): raters' leniency and the optional normalisation of each
    rater's ratings (``rules.calibration`` documents both). This product's defaults."""

    # A rater is flagged 宽松/严格 when their mean lies more than this many standard deviations
    # of the unit's ratings of the same rater role above/below that role's mean.
    flag_z: str = "1.0"
    # Raters with fewer ratings are neither judged nor normalised.
    min_ratings: int = 3
    # Normalise each rater's ratings to the unit's mean and spread of their role before the
    # score combines them; off: scores use the ratings as given (today's behaviour).
    normalize: bool = False


DEFAULT_HOW_TO_OBJECT = (
    "对公示结果有异议的，请在公示期内在“实绩公示”页面对相应人员点击“提出异议”，写明事实和理由；"
    "可选择仅向考核委员会署名。组织人事部门将核实后答复，异议未处理完毕前考核结果不关闭。")


@dataclass(frozen=True)
class PublicityConfig:
    """Publicity (实绩公示) and objections (异议): DOMAIN "Publicity and objections"."""

    # 公示期: working days (Monday to Friday) from the day of publication, Beijing time.
    objection_working_days: int = 5
    # How to object, shown with the publicity (一段文字).
    how_to_object: str = DEFAULT_HOW_TO_OBJECT
    objection_max_length: int = 1000  # the reasons of one objection, in characters


def check_publicity(config: PublicityConfig) -> None:
    days = config.objection_working_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 30:
        raise ConfigError("公示期须为1到30个工作日", "publicity.objection_working_days")
    text = config.how_to_object
    if not isinstance(text, str) or not text.strip() or len(text) > 1000:
        raise ConfigError("异议方式说明不能为空，且不超过1000字", "publicity.how_to_object")
    limit = config.objection_max_length
    if isinstance(limit, bool) or not isinstance(limit, int) or not 50 <= limit <= 2000:
        raise ConfigError("异议理由字数上限须在50到2000之间", "publicity.objection_max_length")


def check_calibration(config: CalibrationConfig) -> None:
    try:
        distance = Decimal(config.flag_z)
    except (InvalidOperation, TypeError) as exc:
        raise ConfigError("宽严判断的距离须为0到10之间的数", "calibration.flag_z") from exc
    if not distance.is_finite() or not Decimal(0) <= distance <= Decimal(10):
        raise ConfigError("宽严判断的距离须为0到10之间的数", "calibration.flag_z")
    if not isinstance(config.min_ratings, int) or not 1 <= config.min_ratings <= 1000:
        raise ConfigError("参与校准的最少评分数须在1到1000之间", "calibration.min_ratings")
    if not isinstance(config.normalize, bool):
        raise ConfigError("是否按评价人校准评分须为是或否", "calibration.normalize")

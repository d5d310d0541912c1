"""Indicator scheme templates per unit kind, and the pilot units' own, as pure data.

A new tenant gets the template of its kind as a draft scheme for the current year (its admin
adapts and publishes it); the demo loads each pilot unit's own template, built from what the
seed says of it, as a published scheme:

* 成都市纪委监委: the political-quality negative list (政治素质负面清单, 负面量化), judged first;
  work results against the central, provincial and municipal decisions and the plenary plans.
* 温江高新区: investment attraction (项目招引) as a credit: a lead counts only when the signed
  deal is confirmed.
* 邛崃市司法局: the post responsibility letter (岗位责任书): legal aid, community corrections,
  people's mediation, legal publicity and grassroots rule of law as indicators of their posts.
* 都江堰市委组织部: commendations (点赞事项, +) and error notices (错情通报, -).
* 双流区黄水镇: the cooperation dimension (协同配合), rated by peers (section heads) and the
  village/community secretaries (external raters).

Codes are short ASCII; names and notes are Chinese. ``tests/test_plans_templates.py`` checks
every template against ``rules.scheme_validation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from vocab.org import TenantKind

D = Decimal


@dataclass(frozen=True)
class TemplateDimension:
    code: str
    name: str
    weight: int
    rater_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class TemplateNode:
    code: str
    name: str
    kind: str  # category | rated | credit | deduction | conduct_standard
    weight: int | None = None
    cap: Decimal | None = None
    points: Decimal | None = None
    applies_to: str = "everyone"
    needs_confirmation: bool = False
    confirmation_note: str = ""
    serious: bool = False
    description: str = ""
    children: tuple[TemplateNode, ...] = ()


@dataclass(frozen=True)
class SchemeTemplate:
    key: str
    name: str  # "{year}年度" is put in front
    dimensions: tuple[TemplateDimension, ...]
    nodes: tuple[TemplateNode, ...]
    # Responsibility letters: post name -> (indicator code, target) lines.
    letters: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()


DEFAULT_DIMENSIONS = (
    TemplateDimension("task_completion", "任务完成情况", 50),
    TemplateDimension("difficulty", "工作难度", 20),
    TemplateDimension("innovation", "创新程度", 15),
    TemplateDimension("conduct", "作风表现", 15),
)


def _conduct(cap: int, *items: tuple[str, str, int, bool]) -> TemplateNode:
    return TemplateNode(
        "ZZ", "政治素质（负面清单，前置评价）", "category", cap=D(cap),
        description="采取负面量化方式，将政治要求细化为可观察、可评价的行为标准，先于其他指标评价",
        children=tuple(TemplateNode(code, name, "conduct_standard", points=D(points),
                                    serious=serious) for code, name, points, serious in items))


COMMON_CONDUCT = (
    ("ZZ01", "对党中央和上级决策部署执行打折扣、搞变通", 5, True),
    ("ZZ02", "在大是大非问题上立场不坚定、态度不鲜明", 5, True),
    ("ZZ03", "工作拖沓、执行不力", 2, False),
    ("ZZ04", "工作质效不高、敷衍塞责", 2, False),
)


def _rated(*items: tuple[str, str, int], applies_to: str = "everyone") -> tuple[TemplateNode, ...]:
    return tuple(TemplateNode(code, name, "rated", weight=weight, applies_to=applies_to)
                 for code, name, weight in items)


def _work(*children: TemplateNode) -> TemplateNode:
    return TemplateNode("SJ", "工作实绩", "category", weight=100, children=children)


def _credits(cap: int, *children: TemplateNode) -> TemplateNode:
    return TemplateNode("JF", "加分项", "category", cap=D(cap), children=children)


def _deductions(cap: int, *children: TemplateNode) -> TemplateNode:
    return TemplateNode("KF", "减分项", "category", cap=D(cap), children=children)


HONOUR = TemplateNode("JF01", "受到上级表彰或经验被推广", "credit", points=D(2),
                      needs_confirmation=True,
                      confirmation_note="凭表彰文件或推广通报，经组织人事部门确认")
MISTAKE = TemplateNode("KF01", "工作失误被通报", "deduction", points=D(2))
LATE = TemplateNode("KF02", "未按时间节点完成任务", "deduction", points=D(1))


COMMISSION = SchemeTemplate(
    key="discipline_commission",
    name="纪检监察机关公务员平时考核指标体系",
    dimensions=DEFAULT_DIMENSIONS,
    nodes=(
        _conduct(20, *COMMON_CONDUCT,
                 ("ZZ05", "对组织不忠诚不老实、不如实报告个人有关事项", 5, True),
                 ("ZZ06", "违反中央八项规定精神的苗头性、倾向性问题", 3, True),
                 ("ZZ07", "搞团团伙伙、拉帮结派的苗头", 5, True),
                 ("ZZ08", "纪法意识不强、保密纪律执行不严", 3, False)),
        _work(*_rated(("SJ01", "岗位职责履行（监督执纪问责）", 40),
                      ("SJ02", "党中央和省委、市委决策部署落实", 30),
                      ("SJ03", "中央纪委和省纪委、市纪委全会工作安排落实", 30))),
        _credits(10, HONOUR,
                 TemplateNode("JF02", "完成临时、突发任务表现突出", "credit", points=D(2),
                              needs_confirmation=True, confirmation_note="经分管领导确认")),
        _deductions(10, MISTAKE, LATE),
    ),
)

PARK = SchemeTemplate(
    key="industrial_park",
    name="产业园区公务员平时考核指标体系",
    dimensions=DEFAULT_DIMENSIONS,
    nodes=(
        _conduct(10, *COMMON_CONDUCT),
        _work(*_rated(("SJ01", "岗位职责履行", 50),
                      ("SJ02", "重点项目推进（优化提质、特色立园）", 30),
                      ("SJ03", "企业服务与营商环境（赋能增效、企业满园）", 20))),
        _credits(15,
                 TemplateNode("JF01", "项目招引（招商引资）", "credit", points=D(3), cap=D(12),
                              needs_confirmation=True,
                              confirmation_note="招商线索最终签约落地，经投资促进局确认后计分；"
                                                "仅有线索或意向不计分"),
                 TemplateNode("JF02", "受到上级表彰", "credit", points=D(2),
                              needs_confirmation=True, confirmation_note="凭表彰文件确认")),
        _deductions(10, MISTAKE, LATE),
    ),
)

COUNTY = SchemeTemplate(
    key="county_bureau",
    name="县级机关公务员平时考核指标体系",
    dimensions=DEFAULT_DIMENSIONS,
    nodes=(
        _conduct(10, *COMMON_CONDUCT),
        _work(*_rated(("SJ01", "岗位职责履行", 60),
                      ("SJ02", "党委政府部署任务完成", 40))),
        TemplateNode("DZ", "点赞事项", "category", cap=D(10), children=(
            TemplateNode("DZ01", "目标绩效落实获点赞", "credit", points=D(1)),
            TemplateNode("DZ02", "工作成果获上级肯定", "credit", points=D(2)),
        )),
        TemplateNode("CQ", "错情通报", "category", cap=D(10), children=(
            TemplateNode("CQ01", "工作失误错情", "deduction", points=D(1)),
            TemplateNode("CQ02", "文稿材料差错", "deduction", points=D("0.5")),
            TemplateNode("CQ03", "滞后事项未按期整改", "deduction", points=D(1)),
        )),
    ),
)

JUDICIAL_LETTER_CODES = (
    ("FLYZ", "法律援助", "法律援助岗", "全年受理、指派法律援助案件并按期结案，群众满意"),
    ("SQJZ", "社区矫正", "社区矫正岗", "社区矫正对象监管到位，无脱管漏管、重新违法犯罪"),
    ("RMTJ", "人民调解", "人民调解岗", "矛盾纠纷排查调处及时，调解成功率达到年度目标"),
    ("PFXC", "普法宣传", "普法宣传岗", "落实“八五”普法规划，按计划开展主题普法活动"),
    ("JCFZ", "基层法治建设", "基层法治建设岗",
     "指导村（社区）法治建设，创建民主法治示范村（社区）"),
)

JUDICIAL = SchemeTemplate(
    key="qlsfj",
    name="司法行政机关岗位责任书考核指标体系",
    dimensions=DEFAULT_DIMENSIONS,
    nodes=(
        _conduct(10, *COMMON_CONDUCT),
        _work(
            TemplateNode("GW", "岗位责任书指标", "category", weight=70, children=_rated(
                *((code, name, 20) for code, name, _post, _target in JUDICIAL_LETTER_CODES),
                applies_to="posts")),
            TemplateNode("SJ02", "综合工作与临时交办任务", "rated", weight=30),
        ),
        _credits(10, HONOUR),
        _deductions(10, MISTAKE, LATE),
    ),
    letters=(
        *((post, ((code, target),)) for code, _name, post, target in JUDICIAL_LETTER_CODES),
        ("所长", tuple((code, target) for code, _n, _p, target in JUDICIAL_LETTER_CODES
                      if code in ("SQJZ", "RMTJ", "JCFZ"))),
    ),
)

DUJIANGYAN = SchemeTemplate(
    key="djyzzb",
    name="组织部机关公务员平时考核指标体系（点赞事项及错情通报）",
    dimensions=DEFAULT_DIMENSIONS,
    nodes=COUNTY.nodes,
)

TOWNSHIP = SchemeTemplate(
    key="township",
    name="乡镇公务员平时考核指标体系（多源评价）",
    dimensions=(
        TemplateDimension("task_completion", "任务完成情况", 40),
        TemplateDimension("difficulty", "工作难度", 15),
        TemplateDimension("innovation", "创新程度", 15),
        TemplateDimension("conduct", "作风表现", 15),
        # 黄水镇: section heads and village/community secretaries rate the section heads.
        TemplateDimension("cooperation", "协同配合", 15, ("peer", "external_rater")),
    ),
    nodes=(
        _conduct(10, *COMMON_CONDUCT),
        _work(*_rated(("SJ01", "岗位职责履行", 50),
                      ("SJ02", "镇党委政府中心工作", 30),
                      ("SJ03", "服务村（社区）发展治理", 20))),
        _credits(10, HONOUR),
        _deductions(10, MISTAKE, LATE),
    ),
)

SUBDISTRICT = SchemeTemplate(
    key="subdistrict",
    name="街道公务员平时考核指标体系",
    dimensions=DEFAULT_DIMENSIONS,
    nodes=(
        _conduct(10, *COMMON_CONDUCT),
        _work(*_rated(("SJ01", "岗位职责履行", 50),
                      ("SJ02", "社区发展治理重点任务", 30),
                      ("SJ03", "民生服务与平安建设", 20))),
        _credits(10, HONOUR),
        _deductions(10, MISTAKE, LATE),
    ),
)

BY_KIND: dict[TenantKind, SchemeTemplate] = {
    TenantKind.discipline_commission: COMMISSION,
    TenantKind.industrial_park: PARK,
    TenantKind.county_bureau: COUNTY,
    TenantKind.township: TOWNSHIP,
    TenantKind.subdistrict: SUBDISTRICT,
}

# The pilot units whose own practice differs from their kind's template.
BY_DEMO_CODE: dict[str, SchemeTemplate] = {
    "qlsfj": JUDICIAL,
    "djyzzb": DUJIANGYAN,
}


def template_for_kind(kind: str) -> SchemeTemplate | None:
    """The template of a unit kind; ``None`` for the organization department (not appraised)."""
    try:
        return BY_KIND.get(TenantKind(kind))
    except ValueError:
        return None


def template_for_demo(code: str, kind: str) -> SchemeTemplate | None:
    return BY_DEMO_CODE.get(code) or template_for_kind(kind)


def walk(nodes: tuple[TemplateNode, ...], parent: str | None = None
         ) -> list[tuple[TemplateNode, str | None]]:
    """(node, parent code), parents first."""
    out: list[tuple[TemplateNode, str | None]] = []
    for node in nodes:
        out.append((node, parent))
        out.extend(walk(node.children, node.code))
    return out

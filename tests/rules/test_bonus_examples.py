"""Two-level bonus distribution (rules.bonus): hand-computed examples, refusals, formatting."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from rules.bonus import (
    DEFAULT_GRADE_COEFFICIENTS,
    Allocation,
    BonusRules,
    DepartmentInput,
    PersonInput,
    allocate,
    format_yuan,
)
from rules.errors import RuleError

D = Decimal


# --- the 西华街道 example, every cent by hand ------------------------------------------------

XIHUA_RULES = BonusRules(
    # department result -> department coefficient (the departments are graded 好/较好/一般)
    department_coefficients={"good": D("1.2"), "fairly_good": D("1.0"), "average": D("0.8")},
    # annual grades with the defaults: 优秀 1.2, 称职 1.0, 基本称职 0.5, 不称职 0, 不定等次 0
)


def _xihua() -> list[DepartmentInput]:
    p = PersonInput
    return [
        DepartmentInput(
            "d01",
            "good",
            (
                p("p01", "excellent", name="王建国"),
                p("p02", "competent", name="李晓梅"),
                p("p03", "competent", name="张伟"),
                p("p04", "basically_competent", name="刘洋"),
            ),
            name="党政办公室",
        ),
        DepartmentInput(
            "d02",
            "fairly_good",
            (
                p("p05", "excellent", name="陈静"),
                p("p06", "excellent", name="杨帆"),
                p("p07", "competent", name="赵磊"),
                p("p08", "competent", name="黄丽"),
                p("p09", "not_graded", name="周婷"),  # new this year: not graded
            ),
            name="社区发展治理办公室",
        ),
        DepartmentInput(
            "d03",
            "average",
            (
                p("p10", "excellent", name="吴刚"),
                p("p11", "competent", name="徐峰"),
                p("p12", "competent", name="孙强"),
                p("p13", "incompetent", name="马超"),
            ),
            name="综合行政执法队",
        ),
    ]


def test_xihua_example_by_hand() -> None:
    result = allocate(36_000_000, _xihua(), XIHUA_RULES)  # 360,000.00 元
    # Level 1. Headcount = people with a positive coefficient (p09, p13 are not counted).
    #   d01 党政办公室        好   1.2 × 4 = 4.8
    #   d02 社区发展治理办公室 较好 1.0 × 4 = 4.0
    #   d03 综合行政执法队     一般 0.8 × 3 = 2.4                          total 11.2
    #   d01 36,000,000 × 4.8/11.2 = 108,000,000/7  = 15,428,571 r 3/7   (≈ .429)
    #   d02 36,000,000 × 4.0/11.2 = 180,000,000/14 = 12,857,142 r 12/14 (≈ .857)
    #   d03 36,000,000 × 2.4/11.2 = 108,000,000/14 =  7,714,285 r 10/14 (≈ .714)
    #   integer parts 35,999,998: 2 cents left -> d02 (.857), d03 (.714)
    depts = [(d.department_id, d.weight, d.cents, d.rounding_cents) for d in result.departments]
    assert depts == [
        ("d01", Fraction("4.8"), 15_428_571, 0),
        ("d02", Fraction(4), 12_857_143, 1),
        ("d03", Fraction("2.4"), 7_714_286, 1),
    ]
    assert [d.exact_cents for d in result.departments] == [
        Fraction(108_000_000, 7),
        Fraction(180_000_000, 14),
        Fraction(108_000_000, 14),
    ]
    # Level 2.
    # d01: 15,428,571, coefficients 1.2 + 1.0 + 1.0 + 0.5 = 3.7
    #   p01 15,428,571 × 12/37 = 185,142,852/37 = 5,003,860 r 32/37
    #   p02 15,428,571 × 10/37 = 154,285,710/37 = 4,169,884 r 2/37
    #   p03 as p02                               4,169,884 r 2/37
    #   p04 15,428,571 ×  5/37 =  77,142,855/37 = 2,084,942 r 1/37
    #   integer parts 15,428,570: 1 cent left -> p01 (32/37)
    # d02: 12,857,143, coefficients 1.2 + 1.2 + 1.0 + 1.0 (+ p09 at 0) = 4.4
    #   p05 12,857,143 × 12/44 = 154,285,716/44 = 3,506,493 r 24/44
    #   p06 as p05                               3,506,493 r 24/44
    #   p07 12,857,143 × 10/44 = 128,571,430/44 = 2,922,077 r 42/44
    #   p08 as p07                               2,922,077 r 42/44
    #   integer parts 12,857,140: 3 cents left -> p07, p08 (42/44), then p05 and p06 tie
    #   (24/44, same coefficient) -> the smaller id, p05
    # d03: 7,714,286, coefficients 1.2 + 1.0 + 1.0 (+ p13 at 0) = 3.2
    #   p10 7,714,286 × 12/32 = 92,571,432/32 = 2,892,857 r 8/32
    #   p11 7,714,286 × 10/32 = 77,142,860/32 = 2,410,714 r 12/32
    #   p12 as p11                             2,410,714 r 12/32
    #   integer parts 7,714,285: 1 cent left -> p11 and p12 tie (12/32) -> p11
    people = [(p.person_id, p.cents, p.rounding_cents) for p in result.people]
    assert people == [
        ("p01", 5_003_861, 1),
        ("p02", 4_169_884, 0),
        ("p03", 4_169_884, 0),
        ("p04", 2_084_942, 0),
        ("p05", 3_506_494, 1),
        ("p06", 3_506_493, 0),
        ("p07", 2_922_078, 1),
        ("p08", 2_922_078, 1),
        ("p09", 0, 0),
        ("p10", 2_892_857, 0),
        ("p11", 2_410_715, 1),
        ("p12", 2_410_714, 0),
        ("p13", 0, 0),
    ]
    exact = {p.person_id: p.exact_cents for p in result.people}
    assert exact["p01"] == Fraction(185_142_852, 37)
    assert exact["p07"] == Fraction(128_571_430, 44)
    assert exact["p10"] == Fraction(92_571_432, 32)
    assert exact["p13"] == 0
    # Sums: 15,428,571 + 12,857,143 + 7,714,286 = 36,000,000.
    assert sum(p.cents for p in result.people) == 36_000_000
    assert not any(p.floor_applied or p.cap_applied for p in result.people)


def test_xihua_explanations_are_chinese_and_show_the_arithmetic() -> None:
    result = allocate(36_000_000, _xihua(), XIHUA_RULES)
    d01, d02, _ = result.departments
    assert d01.explanation == (
        "科室结果「好」系数 1.2 × 参与分配人数 4 = 权重 4.8；"
        "奖金池 360,000.00 元 × 4.8 / 权重合计 11.2 ≈ 154,285.7143 元；"
        "尾数舍去，实得 154,285.71 元"
    )
    assert d02.explanation.endswith("≈ 128,571.4286 元；舍入 +0.01 元，实得 128,571.43 元")
    lines = {p.person_id: p for p in result.people}
    assert lines["p01"].explanation == (
        "科室分配额 154,285.71 元 × 系数 1.2 / 科室系数合计 3.7 ≈ 50,038.6086 元；"
        "舍入 +0.01 元，实得 50,038.61 元"
    )
    assert lines["p10"].explanation == (
        "科室分配额 77,142.86 元 × 系数 1.2 / 科室系数合计 3.2 = 28,928.5725 元；"
        "尾数舍去，实得 28,928.57 元"
    )
    assert lines["p09"].explanation == (
        "等次「不定等次」系数 0，不参与分配（保底不适用），实得 0.00 元"
    )
    assert lines["p01"].name == "王建国"
    assert lines["p01"].coefficient == D("1.2")
    assert d01.name == "党政办公室"


def test_floor_and_cap_by_hand() -> None:
    # One department takes the whole pool of 130.01 元. Floor 17.00 元, cap 35.00 元.
    people = (
        PersonInput("a", "excellent"),  # 1.2
        PersonInput("b1", "competent"),  # 1.0
        PersonInput("b2", "competent"),  # 1.0
        PersonInput("c", "basically_competent"),  # 0.5
        PersonInput("d", "basically_competent"),  # 0.5
        PersonInput("e", "incompetent"),  # 0: gets 0, the floor does not apply
    )
    rules = BonusRules({"fairly_good": D(1)}, floor_cents=1_700, cap_cents=3_500)
    result = allocate(13_001, [DepartmentInput("d1", "fairly_good", people)], rules)
    # Plain proportion (sum 4.2): a 13,001 × 12/42 ≈ 3,714.6 > cap; c, d 13,001 × 5/42 ≈ 1,547.7
    # < floor. Fix a at 3,500 and c, d at 1,700: 13,001 - 3,500 - 3,400 = 6,101 for b1, b2
    # (sum 2.0): 3,050.5 each. Level λ = 3,050.5 per 1.0 confirms: a 3,660.6 > 3,500 stays
    # capped, c 1,525.25 < 1,700 stays at the floor. b1, b2 tie at .5 with the same
    # coefficient -> b1 (smaller id) gets the cent.
    got = {
        p.person_id: (p.cents, p.floor_applied, p.cap_applied, p.rounding_cents)
        for p in result.people
    }
    assert got == {
        "a": (3_500, False, True, 0),
        "b1": (3_051, False, False, 1),
        "b2": (3_050, False, False, 0),
        "c": (1_700, True, False, 0),
        "d": (1_700, True, False, 0),
        "e": (0, False, False, 0),
    }
    lines = {p.person_id: p for p in result.people}
    assert lines["b1"].exact_cents == Fraction(6_101, 2)
    assert lines["b1"].explanation == (
        "科室分配额 130.01 元扣除保底/封顶人员 69.00 元后余 61.01 元 × 系数 1.0 / "
        "其余人员系数合计 2.0 = 30.5050 元；舍入 +0.01 元，实得 30.51 元"
    )
    assert lines["a"].explanation == (
        "系数 1.2，按比例应得 = 36.6060 元，高于封顶 35.00 元，按封顶发放"
    )
    assert lines["c"].explanation == (
        "系数 0.5，按比例应得 = 15.2525 元，低于保底 17.00 元，按保底发放"
    )


def test_a_floor_or_cap_met_exactly_is_not_applied() -> None:
    rules = BonusRules({"A": D(1)}, {"three": D(3), "one": D(1)})
    people = (
        PersonInput("a", "three", cap_cents=100),
        PersonInput("b", "one", floor_cents=50),
        PersonInput("c", "one"),
        PersonInput("d", "three", cap_cents=150),
    )
    # Plain proportion (sum 8): a 350 × 3/8 = 131.25 > 100, so a is capped; the other 250 go
    # by 1 + 1 + 3 = 5: level 50. b gets exactly its floor and d exactly its cap: neither bound
    # changed anything, so neither counts as applied.
    result = allocate(350, [DepartmentInput("d", "A", people)], rules)
    got = [(p.person_id, p.cents, p.floor_applied, p.cap_applied) for p in result.people]
    assert got == [
        ("a", 100, False, True),
        ("b", 50, False, False),
        ("c", 50, False, False),
        ("d", 150, False, False),
    ]


def test_personal_floor_overrides_the_default() -> None:
    people = (PersonInput("a", "good", floor_cents=600), PersonInput("b", "good"))
    result = allocate(1_000, [DepartmentInput("d", "A", people)], BonusRules({"A": D(1)}))
    assert [(p.cents, p.floor_applied) for p in result.people] == [(600, True), (400, False)]


# --- rounding tie order ------------------------------------------------------------------


def test_department_tie_goes_to_the_larger_weight_then_the_smaller_id() -> None:
    rules = BonusRules({"low": D(1), "high": D(3)})
    one = (PersonInput("p", "good"),)
    # 2 cents by weights 1 and 3: exact 0.5 and 1.5, equal remainders -> the larger weight.
    result = allocate(
        2,
        [
            DepartmentInput("z", "high", one),
            DepartmentInput("a", "low", (PersonInput("q", "good"),)),
        ],
        rules,
    )
    assert [(d.department_id, d.cents) for d in result.departments] == [("a", 0), ("z", 2)]
    # Equal weights: 1 cent, 0.5 each -> the smaller id.
    result = allocate(
        1,
        [
            DepartmentInput("z", "low", one),
            DepartmentInput("a", "low", (PersonInput("q", "good"),)),
        ],
        rules,
    )
    assert [(d.department_id, d.cents) for d in result.departments] == [("a", 1), ("z", 0)]


def test_person_tie_goes_to_the_larger_coefficient() -> None:
    # 2 cents by 0.5 and 1.5 (table 1.5 for good): exact 0.5 and 1.5 -> 0 and 2.
    rules = BonusRules({"A": D(1)}, {"good": D("1.5"), "poor": D("0.5")})
    people = (PersonInput("a", "poor"), PersonInput("b", "good"))
    result = allocate(2, [DepartmentInput("d", "A", people)], rules)
    assert [(p.person_id, p.cents) for p in result.people] == [("a", 0), ("b", 2)]


# --- zero and edge cases -----------------------------------------------------------------


def test_pool_zero_gives_zero_everywhere() -> None:
    result = allocate(0, _xihua(), XIHUA_RULES)
    assert all(d.cents == 0 for d in result.departments)
    assert all(p.cents == 0 and p.exact_cents == 0 for p in result.people)


def test_no_departments() -> None:
    assert allocate(0, [], XIHUA_RULES) == Allocation(0, (), ())
    with pytest.raises(RuleError, match="没有科室"):
        allocate(100, [], XIHUA_RULES)


def test_departments_without_anybody_to_pay_get_nothing() -> None:
    depts = [
        DepartmentInput("empty", "good", (), base=D(10)),
        DepartmentInput("zeros", "good", (PersonInput("x", "incompetent"),)),
        DepartmentInput("paid", "average", (PersonInput("y", "poor"),)),
    ]
    result = allocate(12_345, depts, BonusRules({"good": D(1), "average": D("0.1")}))
    lines = {d.department_id: d for d in result.departments}
    assert (lines["empty"].cents, lines["zeros"].cents, lines["paid"].cents) == (0, 0, 12_345)
    assert lines["empty"].weight == 0
    assert lines["empty"].explanation == "科室无人员，不参与分配，分得 0.00 元"
    assert lines["zeros"].explanation == "科室人员系数均为 0，无人可分配，不参与分配，分得 0.00 元"
    assert [p.cents for p in result.people] == [12_345, 0]


def test_all_weights_zero_with_money_is_refused() -> None:
    depts = [DepartmentInput("d", "good", (PersonInput("x", "not_graded"),))]
    with pytest.raises(RuleError, match="权重均为 0"):
        allocate(1, depts, BonusRules({"good": D(1)}))


def test_configured_base_and_counting_zero_coefficients() -> None:
    depts = [
        DepartmentInput("a", "A", (PersonInput("x", "good"), PersonInput("z", "incompetent"))),
        DepartmentInput("b", "A", (PersonInput("y", "good"),), base=D("3")),
    ]
    result = allocate(400, depts, BonusRules({"A": D(1)}))
    assert [d.cents for d in result.departments] == [100, 300]  # weights 1 (x only) and 3
    assert "分配基数 3.0" in result.departments[1].explanation
    counting = BonusRules({"A": D(1)}, headcount_includes_zero=True)
    assert [d.cents for d in allocate(500, depts, counting).departments] == [200, 300]


# --- refusals ----------------------------------------------------------------------------


def test_floors_above_the_department_part_are_refused() -> None:
    people = tuple(PersonInput(f"p{i}", "good") for i in range(3))
    rules = BonusRules({"A": D(1)}, floor_cents=400)
    with pytest.raises(
        RuleError, match=r"科室「党政办公室」保底合计 12\.00 元超过科室分配额 11\.99 元"
    ):
        allocate(1_199, [DepartmentInput("d", "A", people, name="党政办公室")], rules)
    assert (
        sum(p.cents for p in allocate(1_200, [DepartmentInput("d", "A", people)], rules).people)
        == 1_200
    )


def test_money_left_over_when_everybody_is_capped_is_refused() -> None:
    people = tuple(PersonInput(f"p{i}", "good") for i in range(3))
    rules = BonusRules({"A": D(1)}, cap_cents=100)
    with pytest.raises(RuleError, match=r"剩余 0\.01 元无法分配"):
        allocate(301, [DepartmentInput("d", "A", people)], rules)


def test_every_infeasible_department_is_listed() -> None:
    rules = BonusRules({"A": D(1)}, floor_cents=1_000)
    depts = [DepartmentInput(f"d{i}", "A", (PersonInput(f"p{i}", "good"),)) for i in range(7)]
    with pytest.raises(RuleError) as exc:
        allocate(7 * 999, depts, rules)  # 9.99 元 each, below the floor of 10.00 元
    assert "科室「d0」" in str(exc.value)
    assert "另有 2 个科室同样无法分配" in str(exc.value)


@pytest.mark.parametrize(
    ("pool", "depts", "rules", "message"),
    [
        (-1, [], BonusRules({}), "奖金池应为非负整数"),
        (1.5, [], BonusRules({}), "奖金池应为非负整数"),
        (1, [DepartmentInput("d", "X", ())], BonusRules({"A": D(1)}), "未配置科室系数"),
        (
            1,
            [DepartmentInput("d", "A", (PersonInput("p", "gold"),))],
            BonusRules({"A": D(1)}),
            "未配置奖金系数",
        ),
        (1, [DepartmentInput("d", "A", ())], BonusRules({"A": D(-1)}), "不能为负数"),
        (1, [DepartmentInput("d", "A", ())], BonusRules({"A": D("NaN")}), "有限数"),
        (
            1,
            [DepartmentInput("d", "A", (PersonInput("p", "good", floor_cents=5, cap_cents=4),))],
            BonusRules({"A": D(1)}),
            "保底 0.05 元高于封顶 0.04 元",
        ),
        (
            1,
            [DepartmentInput("d", "A", (PersonInput("p", "good"),)), DepartmentInput("d", "A", ())],
            BonusRules({"A": D(1)}),
            "科室编号「d」重复",
        ),
        (
            1,
            [
                DepartmentInput("d", "A", (PersonInput("p", "good"),)),
                DepartmentInput("e", "A", (PersonInput("p", "good"),)),
            ],
            BonusRules({"A": D(1)}),
            "人员编号「p」重复",
        ),
        (1, [], BonusRules({"A": D(1)}, floor_cents=-1), "默认保底"),
    ],
    ids=[
        "negative-pool",
        "float-pool",
        "unknown-result",
        "unknown-grade",
        "negative-coefficient",
        "nan-coefficient",
        "floor-above-cap",
        "duplicate-department",
        "duplicate-person",
        "negative-default-floor",
    ],
)
def test_invalid_input_is_refused_in_chinese(
    pool: int, depts: list[DepartmentInput], rules: BonusRules, message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        allocate(pool, depts, rules)


def test_rule_error_is_a_value_error() -> None:
    assert issubclass(RuleError, ValueError)


# --- formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "0.00"), (5, "0.05"), (123_456, "1,234.56"), (36_000_000, "360,000.00"), (-150, "-1.50")],
)
def test_format_yuan(cents: int, text: str) -> None:
    assert format_yuan(cents) == text


def test_default_grade_coefficients() -> None:
    assert DEFAULT_GRADE_COEFFICIENTS["good"] == D("1.2")
    assert DEFAULT_GRADE_COEFFICIENTS["fairly_good"] == D("1.0")
    assert DEFAULT_GRADE_COEFFICIENTS["average"] == D("0.8")
    assert DEFAULT_GRADE_COEFFICIENTS["poor"] == D("0.5")
    assert DEFAULT_GRADE_COEFFICIENTS["incompetent"] == 0
    assert DEFAULT_GRADE_COEFFICIENTS["not_graded"] == 0

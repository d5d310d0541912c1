from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.points import capped_totals

D = Decimal


def test_caps_by_hand() -> None:
    totals = {t.key: t for t in capped_totals(
        [("点赞", D(3)), ("点赞", D(3)), ("错情", D(1)), ("无上限", D(7))],
        {"点赞": D(5), "错情": D(2), "无上限": None})}
    assert totals["点赞"].counted == D(5)
    assert totals["点赞"].capped
    assert totals["错情"].counted == D(1)
    assert totals["无上限"].counted == D(7)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.decimals(0, 50, places=2))),
       st.dictionaries(st.sampled_from("abc"), st.one_of(st.none(), st.decimals(0, 30, places=1))))
def test_never_above_cap_never_above_raw(points: list[tuple[str, Decimal]],
                                         caps: dict[str, Decimal | None]) -> None:
    for total in capped_totals(points, caps):
        assert total.counted <= total.raw
        if total.cap is not None:
            assert total.counted <= total.cap
        assert total.raw == sum((v for k, v in points if k == total.key), D(0))

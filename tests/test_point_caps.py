"""Caps everywhere: a person's point totals show the raw sum and what the score counts (the
category's cap applied), and the counted value is the score's own.

County bureau template: the credit category DZ (点赞事项) is capped at 10 points; its indicators
DZ01 and DZ02 have no cap of their own. P006 gets 7 + 7 = 14 raw: 10 count.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_ratings_support import (
    COMPUTE,
    YEAR,
    add_record,
    advance,
    people,
    rate_all,
    rating_period,
)

SUMMARY = """query($p:ID!,$q:ID){ personPointSummary(personId:$p, year:2026, periodId:$q) {
  periodId creditRawTotal creditCountedTotal deductionRawTotal deductionCountedTotal
  conductRawTotal conductCountedTotal
  categories { kind code name cap rawTotal countedTotal indicators { indicatorCode raw counted
  categoryCode categoryRawTotal categoryCountedTotal } } } }"""
TOTALS = """query($p:ID!){ personPointTotals(personId:$p, year:2026) { indicatorCode raw counted
  categoryCode categoryCap categoryRawTotal categoryCountedTotal } }"""
RESULT = """query($p:ID!,$q:ID!){ personResult(periodId:$p, personId:$q) { score
  explanation { kind source delta text } } }"""


def test_totals_show_raw_and_the_capped_value_the_score_counts(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    period = rating_period(api, settings, code)
    ids = people(settings, code)
    add_record(settings, code, period, "P006", "DZ01", date(YEAR, 2, 10), points="7")
    add_record(settings, code, period, "P006", "DZ02", date(YEAR, 3, 1), points="7")
    add_record(settings, code, period, "P006", "CQ01", date(YEAR, 3, 5), points="2")

    body = api.as_(code, "admin", SUMMARY, {"p": ids["P006"], "q": period})
    summary = body["data"]["personPointSummary"]
    assert summary["periodId"] == period
    assert (Decimal(summary["creditRawTotal"]), Decimal(summary["creditCountedTotal"])) == (
        Decimal("14.00"), Decimal("10.00"))
    assert (Decimal(summary["deductionRawTotal"]),
            Decimal(summary["deductionCountedTotal"])) == (2, 2)
    [credits] = [c for c in summary["categories"] if c["kind"] == "credit"]
    assert (credits["code"], credits["name"], Decimal(credits["cap"])) == ("DZ", "点赞事项", 10)
    assert (Decimal(credits["rawTotal"]), Decimal(credits["countedTotal"])) == (14, 10)
    assert {(i["indicatorCode"], Decimal(i["raw"]), Decimal(i["counted"]),
             Decimal(i["categoryCountedTotal"])) for i in credits["indicators"]} == {
        ("DZ01", 7, 7, 10), ("DZ02", 7, 7, 10)}

    # The year's totals per indicator name their category's raw and counted totals too.
    totals = {t["indicatorCode"]: t for t in api.as_(code, "ganbu", TOTALS, {"p": ids["P006"]})[
        "data"]["personPointTotals"]}
    assert (Decimal(totals["DZ01"]["categoryRawTotal"]),
            Decimal(totals["DZ01"]["categoryCountedTotal"]),
            Decimal(totals["DZ01"]["categoryCap"])) == (14, 10, 10)
    year = api.as_(code, "ganbu", SUMMARY, {"p": ids["P006"], "q": None})["data"][
        "personPointSummary"]
    assert (year["periodId"], Decimal(year["creditCountedTotal"])) == (None, 10)
    # A colleague sees nothing.
    assert api.as_(code, "ganbu2", SUMMARY, {"p": ids["P006"], "q": period})["data"][
        "personPointSummary"] is None

    # The score counts exactly the counted value: its credit lines and cap lines add up to it.
    rate_all(settings, code, period, lambda no: Decimal(85))
    advance(api, code, period, "reviewing")
    computed = api.as_(code, "admin", COMPUTE, {"p": period})["data"]["computeResults"]
    assert computed["userErrors"] == [], computed
    lines = api.as_(code, "admin", RESULT, {"p": period, "q": ids["P006"]})["data"][
        "personResult"]["explanation"]
    credited = sum((Decimal(x["delta"]) for x in lines
                    if x["kind"] in ("credit", "credit_cap")), Decimal(0))
    assert credited == Decimal(summary["creditCountedTotal"]) == 10
    [cap_line] = [x for x in lines if x["kind"] == "credit_cap"]
    assert cap_line["text"] == "加分类别「点赞事项」超出上限 10.00 分，超出的 4.00 分不计"

"""Bulk rating (issue 12, point 9): a rater's whole grid read in one query and saved in one
mutation, all or nothing, with errors naming person, indicator and dimension."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.settings import Settings
from tests.conftest import Api
from tests.test_ratings_support import (
    advance,
    create_period,
    declare,
    generate,
    people,
    publish_template,
    rate_all,
)

FORMS = ("query($p:ID!){ myRatingForms(periodId:$p) { personId personName unitName role roleLabel "
         "indicators { id code name } dimensions { code name } cells { indicatorId dimension "
         "value comment } declarationItems { title } } }")
GRID = ("mutation($i:SaveRatingGridInput!){ saveRatingGrid(input:$i) { forms { personId "
        "cells { indicatorId dimension value comment } } userErrors { code message field row } } }")
NAMES = ("query($p:ID!){ myRatingAssignments(periodId:$p) { personId personName ratedCount } }")


def rating_period(api: Api, settings: Settings, code: str) -> str:
    publish_template(settings, code)
    period = create_period(api, code)
    advance(api, code, period, "declaring")
    generate(api, code, period)
    declare(settings, code, period, "P006", [("办结法律援助案件12件", "全部按期结案")])
    advance(api, code, period, "rating")
    return period


def rows_of(forms: list[dict[str, Any]], value: str) -> list[dict[str, Any]]:
    return [{"personId": f["personId"],
             "cells": [{"indicatorId": i["id"], "dimension": d["code"], "value": value}
                       for i in f["indicators"] for d in f["dimensions"]]} for f in forms]


def test_a_department_head_saves_thirty_people_in_one_call_all_or_nothing(
        api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=100)
    period = rating_period(api, settings, code)
    ids = people(settings, code)
    numbers = {pid: no for no, pid in ids.items()}
    forms = api.as_(code, "kezhang", FORMS, {"p": period})["data"]["myRatingForms"]
    assert len(forms) >= 30
    assert {f["role"] for f in forms} <= {"department_head", "peer", "subordinate"}
    p006 = next(f for f in forms if f["personId"] == ids["P006"])
    assert [i["title"] for i in p006["declarationItems"]] == ["办结法律援助案件12件"]
    thirty = forms[:30]
    rows = rows_of(thirty, "85.5")

    # One bad cell (row 17, cell 5) refuses the whole grid: nothing is saved for anybody.
    bad = [dict(row, cells=list(row["cells"])) for row in rows]
    bad[17]["cells"][5] = {**bad[17]["cells"][5], "value": "100.5"}
    body = api.as_(code, "kezhang", GRID, {"i": {"periodId": period, "rows": bad}})
    payload = body["data"]["saveRatingGrid"]
    assert payload["forms"] == []
    [error] = payload["userErrors"]
    form = thirty[17]
    cell = bad[17]["cells"][5]
    indicator = next(i["name"] for i in form["indicators"] if i["id"] == cell["indicatorId"])
    dimension = next(d["name"] for d in form["dimensions"] if d["code"] == cell["dimension"])
    assert error == {
        "code": "INVALID", "field": "rows.17.cells.5.value", "row": 17,
        "message": f"{form['personName']}（{numbers[form['personId']]}）指标「{indicator}」"
                   f"维度「{dimension}」：评分须在0到100之间，最多保留两位小数"}
    counts = api.as_(code, "kezhang", NAMES, {"p": period})["data"]["myRatingAssignments"]
    assert {c["ratedCount"] for c in counts} == {0}

    # Several faults at once: each named; a person the head does not rate refuses the grid too.
    wrong = [dict(row, cells=list(row["cells"])) for row in rows]
    wrong[0]["cells"].append(dict(wrong[0]["cells"][0]))  # the same cell twice
    wrong[1]["cells"][0] = {**wrong[1]["cells"][0], "dimension": "cooperation"}
    wrong.append({"personId": ids["P001"], "cells": []})  # the principal leader
    errors = api.as_(code, "kezhang", GRID, {"i": {"periodId": period, "rows": wrong}})[
        "data"]["saveRatingGrid"]["userErrors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("DUPLICATE", f"rows.0.cells.{len(wrong[0]['cells']) - 1}"),
        ("INVALID", "rows.1.cells.0.dimension"),
        ("FORBIDDEN", "rows.30.personId")]
    assert f"（{numbers[thirty[0]['personId']]}）" in errors[0]["message"]
    role = thirty[1]["roleLabel"]
    assert f"维度「cooperation」：您以{role}身份评价，不评价此维度" in errors[1]["message"]
    counts = api.as_(code, "kezhang", NAMES, {"p": period})["data"]["myRatingAssignments"]
    assert {c["ratedCount"] for c in counts} == {0}

    # The good grid: thirty people saved in one call.
    body = api.as_(code, "kezhang", GRID, {"i": {"periodId": period, "rows": rows}})
    payload = body["data"]["saveRatingGrid"]
    assert payload["userErrors"] == []
    assert len(payload["forms"]) == 30
    assert all({c["value"] for c in f["cells"]} == {"85.5"} for f in payload["forms"])
    counts = {c["personId"]: c["ratedCount"]
              for c in api.as_(code, "kezhang", NAMES, {"p": period})["data"][
                  "myRatingAssignments"]}
    assert all(counts[r["personId"]] == len(r["cells"]) > 0 for r in rows)
    assert all(counts[f["personId"]] == 0 for f in forms[30:])
    # Read back in one query: the saved cells are in everyone's form.
    again = api.as_(code, "kezhang", FORMS, {"p": period})["data"]["myRatingForms"]
    assert sum(len(f["cells"]) for f in again) == sum(len(r["cells"]) for r in rows)


def test_the_grid_is_closed_to_others(api: Api, settings: Settings, make_tenant: Any) -> None:
    code = make_tenant(people=12)
    period = rating_period(api, settings, code)
    ids = people(settings, code)
    anonymous = api.call(FORMS, {"p": period})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    grid = {"i": {"periodId": period, "rows": [{"personId": ids["P006"], "cells": []}]}}
    assert api.call(GRID, grid)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # Another tenant's head sees no forms and cannot save into this period.
    other = make_tenant(people=12)
    assert api.as_(other, "kezhang", FORMS, {"p": period})["data"]["myRatingForms"] == []
    errors = api.as_(other, "kezhang", GRID, grid)["data"]["saveRatingGrid"]["userErrors"]
    assert [e["code"] for e in errors] == ["NOT_FOUND"]
    # The admin rates nobody: an empty grid to read, and a refusal to save.
    assert api.as_(code, "admin", FORMS, {"p": period})["data"]["myRatingForms"] == []
    errors = api.as_(code, "admin", GRID, grid)["data"]["saveRatingGrid"]["userErrors"]
    assert [e["code"] for e in errors] == ["FORBIDDEN"]
    # The grid is only open while rating (everyone rated, so the period may move on).
    rate_all(settings, code, period, lambda no: Decimal(85))
    advance(api, code, period, "reviewing")
    errors = api.as_(code, "kezhang", GRID, grid)["data"]["saveRatingGrid"]["userErrors"]
    assert [e["code"] for e in errors] == ["RULE_VIOLATION"]


def test_statements_do_not_grow_with_the_people_rated(
        api: Api, settings: Settings, make_tenant: Any, count_statements: list[str]) -> None:
    measured = []
    for size in (12, 100):
        code = make_tenant(people=size)
        period = rating_period(api, settings, code)
        api.login(code, "kezhang")
        count_statements.clear()
        forms = api.as_(code, "kezhang", FORMS, {"p": period})["data"]["myRatingForms"]
        read = len(count_statements)
        rows = rows_of(forms, "90")
        count_statements.clear()
        body = api.as_(code, "kezhang", GRID, {"i": {"periodId": period, "rows": rows}})
        assert body["data"]["saveRatingGrid"]["userErrors"] == []
        # One audit entry per person rated (as a single save writes), all in one statement.
        audits = [s for s in count_statements if s.startswith("INSERT INTO audit_log")]
        assert len(audits) == 1
        assert audits[0].count("%(entity_id__") == len(forms)
        measured.append((len(forms), read, len(count_statements)))
    (small, read_small, write_small), (large, read_large, write_large) = measured
    assert large > 3 * small > 0, measured
    assert read_small == read_large, measured
    assert write_small == write_large, measured

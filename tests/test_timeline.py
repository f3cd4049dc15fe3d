"""Where and when, in the core: the date facets the timeline draws, the date range, the map's
outlines and the province selection carried across the two namings."""
from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from searchapp.models import SearchRequest
from searchapp.places.gazetteer import _package_data_dir, gazetteer
from searchapp.places.geo import carry_provinces, merged_members, outlines
from tests.conftest import sample
from tests.test_cli import run


def months(result) -> dict[str, int]:  # noqa: ANN001 - SearchResult
    return {f.value: f.count for f in result.facets["month"]}


def test_search_json_has_the_month_facet_in_chronological_order(seed_index_dir: Path) -> None:
    out = run("search", "lãnh đạo", "--json", index=seed_index_dir)
    assert out.returncode == 0, out.stderr
    month = json.loads(out.stdout)["facets"]["month"]
    assert month == [{"value": "2022-01", "count": 1}, {"value": "2022-03", "count": 2},
                     {"value": "2022-06", "count": 1}, {"value": "2023-03", "count": 1}]


def test_the_month_facet_ignores_the_date_range_and_the_other_facets_do_not(engine) -> None:  # noqa: ANN001
    whole = engine.search(SearchRequest("lãnh đạo"))
    ranged = engine.search(SearchRequest("lãnh đạo", date_from=date(2022, 3, 1), date_to=date(2022, 6, 30)))
    assert ranged.total == 3
    assert months(ranged) == months(whole)  # the whole timeline stays in view
    assert sum(f.count for f in ranged.facets["year"]) == 3  # the other facets count what is shown
    assert {f.value: f.count for f in ranged.facets["province"]} == {"Cần Thơ": 1, "Hà Nội": 1, "Hải Phòng": 1}


def test_the_month_facet_follows_the_other_facets(engine) -> None:  # noqa: ANN001
    result = engine.search(SearchRequest("lãnh đạo", provinces=["Cần Thơ"]))
    assert months(result) == {"2022-03": 1, "2023-03": 1}
    assert months(engine.search(SearchRequest("lãnh đạo", years=[2022]))) == {"2022-01": 1, "2022-03": 2,
                                                                               "2022-06": 1}


def test_short_spans_also_count_days(engine) -> None:  # noqa: ANN001
    march = engine.search(SearchRequest("lãnh đạo", years=[2022], date_from=date(2022, 3, 1)))
    long_span = engine.search(SearchRequest("lãnh đạo"))
    assert "day" not in long_span.facets  # fifteen months: months are enough
    short = engine.search(SearchRequest("lãnh đạo", provinces=["Hải Phòng", "Cần Thơ"], years=[2022]))
    assert [(f.value, f.count) for f in short.facets["day"]] == [("2022-03-17", 1), ("2022-03-23", 1)]
    assert march.total == 3


def test_the_date_range_takes_whole_days(engine) -> None:  # noqa: ANN001
    # 000 is dated 17/03/2022 19:48: a range ending that day holds it, one starting the next day does not.
    day = date(2022, 3, 17)
    ending = engine.search(SearchRequest("lãnh đạo", date_from=day, date_to=day))
    assert [h.path for h in ending.hits] == [sample("000")]
    after = engine.search(SearchRequest("lãnh đạo", date_from=date(2022, 3, 18), date_to=date(2022, 3, 31)))
    assert [h.path for h in after.hits] == [sample("002")]
    assert engine.search(SearchRequest("lãnh đạo", date_to=date(2021, 12, 31))).total == 0


def test_results_without_dates_have_an_empty_month_facet(engine) -> None:  # noqa: ANN001
    nothing = engine.search(SearchRequest("lãnh đạo", date_to=date(2000, 1, 1), provinces=["Kon Tum"]))
    assert nothing.total == 0 and nothing.facets["month"] == []


# The map's data --------------------------------------------------------------------------


def test_outlines_cover_the_63_provinces_and_agree_with_the_gazetteer() -> None:
    shapes = outlines()
    gaz = gazetteer()
    assert sorted(shapes.rings) == sorted(gaz.old_names)
    assert all(shapes.rings[name] for name in gaz.old_names)
    assert shapes.merged == gaz.old_to_new
    assert sorted(merged_members()) == sorted(gaz.new_names)
    west, south, east, north = shapes.bounds()
    assert 102 < west < 103 and 8 < south < 9 and 114 < east < 115 and 23 < north < 24


def test_merged_borders_leave_out_the_lines_between_merged_provinces() -> None:
    shapes = outlines()
    named, merged = set(shapes.borders(False)), set(shapes.borders(True))
    assert merged < named
    for i in named - merged:  # every dropped line lies inside one merged province
        assert len(shapes.sides[i]) == 2 and len({shapes.merged[p] for p in shapes.sides[i]}) == 1
    # Sóc Trăng and Hậu Giang went into Cần Thơ: no border between them any more.
    between = [i for i, side in enumerate(shapes.sides) if set(side) == {"Hậu Giang", "Sóc Trăng"}]
    assert between and not set(between) & merged


def test_hoang_sa_and_truong_sa_are_drawn_at_the_gazetteer_coordinates() -> None:
    islands = {i.name: i for i in outlines().islands}
    uri = f"file:{_package_data_dir() / 'dataset.db'}?mode=ro"
    with sqlite3.connect(uri, uri=True) as db:
        rows = db.execute("SELECT wardShort, provinceShort, wardLon, wardLat FROM admin_units"
                          " WHERE wardShort IN ('Hoàng Sa', 'Trường Sa')").fetchall()
    assert len(rows) == 2
    for name, province, lon, lat in rows:
        island = islands[name]
        assert (island.province, island.merged, island.lon, island.lat) == (province, province, lon, lat)
        assert island.far
    assert islands["Hoàng Sa"].province == "Đà Nẵng" and islands["Trường Sa"].province == "Khánh Hòa"


# Carrying a selection across the namings ------------------------------------------------------


def test_named_provinces_become_the_ones_they_merged_into() -> None:
    assert carry_provinces(["Sóc Trăng", "Hà Nội", "Hậu Giang"], to_merged=True) == ["Cần Thơ", "Hà Nội"]


def test_going_back_restores_the_named_selection_made_before() -> None:
    before = ["Sóc Trăng", "Hà Nội"]
    merged = carry_provinces(before, to_merged=True)
    assert carry_provinces(merged, to_merged=False, before=before) == before


def test_a_merged_province_chosen_in_the_merged_naming_goes_back_as_all_its_parts() -> None:
    back = carry_provinces(["Cần Thơ", "Huế"], to_merged=False, before=["Hà Nội"])
    assert back == ["Cần Thơ", "Hậu Giang", "Sóc Trăng", "Thừa Thiên Huế"]


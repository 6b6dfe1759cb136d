"""The value normalizers every parser shares."""
import datetime as dt

import pytest

from trials.etl.vocab import country_code, join_phases, parse_age_years, parse_date


@pytest.mark.parametrize("text, expected", [
    ("2024-08", (dt.date(2024, 8, 1), "month")),
    ("2013-12-31", (dt.date(2013, 12, 31), "day")),
    ("2019", (dt.date(2019, 1, 1), "year")),
    ("August 2024", (dt.date(2024, 8, 1), "month")),
    ("December 31, 2013", (dt.date(2013, 12, 31), "day")),
    (None, (None, None)),
])
def test_dates_keep_their_precision(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text, years", [
    ("18 Years", 18.0), ("6 Months", 0.5), ("1 Year", 1.0), ("2 Weeks", 0.0383), ("30 Days", 0.0821),
    ("N/A", None), (None, None),
])
def test_ages_are_years(text, years):
    assert parse_age_years(text) == years


@pytest.mark.parametrize("bad", ["soon", "18 Parsecs"])
def test_unreadable_values_raise(bad):
    with pytest.raises(ValueError):
        parse_date(bad)
    with pytest.raises(ValueError):
        parse_age_years(bad)


@pytest.mark.parametrize("name, code", [
    ("Iran, Islamic Republic of", "IR"), ("Korea, Republic of", "KR"), ("United States", "US"),
    ("Russian Federation", "RU"), ("Turkey", "TR"), ("Czechia", "CZ"), ("Czech Republic", "CZ"),
    ("Taiwan", "TW"), ("Palestinian Territories, Occupied", "PS"), ("Vietnam", "VN"),
    ("Macedonia, The Former Yugoslav Republic of", "MK"), ("Tanzania", "TZ"), ("Atlantis", None),
])
def test_registry_country_spellings_map_to_iso(name, code):
    assert country_code(name) == code


def test_phases_join_in_registry_order():
    assert join_phases(["PHASE2", "PHASE1"]) == "PHASE1/PHASE2"
    assert join_phases(["NA"]) == "NA"
    assert join_phases([]) is None


def test_every_country_in_the_real_records_maps(shared_data):
    import json
    import re

    names = set()
    for path in (shared_data / "ctgov_v2_json").glob("*.json"):
        locations = json.loads(path.read_bytes())["protocolSection"].get("contactsLocationsModule", {})
        names.update(site["country"] for site in locations.get("locations", []) if site.get("country"))
    for path in (shared_data / "ctgov_xml").glob("*.xml"):
        names.update(re.findall(r"<country>([^<]+)</country>", path.read_text(encoding="utf-8")))
    assert len(names) > 90
    assert sorted(name for name in names if country_code(name) is None) == []

"""The census configuration (reference/workforce/census.toml) is read and checked: every section
names its source, and a bad value stops Grip with the key named."""

from __future__ import annotations

from datetime import date

import pytest

from grip.workforce.census import RULES_FILE, CensusConfigError, load_census_rules


def test_the_shipped_configuration_follows_the_census():
    rules = load_census_rules()
    assert rules.census_date(2025) == date(2025, 9, 30)
    assert {"SW", "ASYE", "SSW"} <= rules.social_worker_roles and not {"FSW", "PA"} & rules.social_worker_roles
    assert rules.agency_types == {"AGENCY"} and rules.covered_by == {"AGENCY"}
    assert set(rules.sources) == {"census_day", "social_workers", "agency", "vacancies", "sickness", "rounding"}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('roles = ["SW",', 'roles = ["WIZARD", "SW",', "social_workers.roles: 'WIZARD' is not a worker_role code"),
        ("month = 9", "month = 13", "census_day.month: a whole number from 1 to 12"),
        ('filled_by = ["PERMANENT", "SECONDMENT"]', 'filled_by = ["PERMANENT", "AGENCY"]', "vacancies: a basis cannot"),
        ("days_in_fte = true", 'days_in_fte = "yes"', "sickness.days_in_fte: true or false"),
    ],
)
def test_a_bad_value_is_refused_with_its_key_named(tmp_path, old, new, message):
    text = RULES_FILE.read_text()
    assert old in text
    bad = tmp_path / "census.toml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(CensusConfigError, match=message.replace("(", r"\(")):
        load_census_rules(bad)

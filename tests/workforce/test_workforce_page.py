"""The workforce page: its figures are grip.workforce.census's (the one definition) for the
authority, each service area and team; it agrees with the team establishment page; each figure
opens onto the people or posts behind it, in scope, and that is audited; the published figures
beside it are the DfE files' (numbers hand-read from the CSV); the trend is 24 month-ends.

The small authority is tests/workforce/test_census.py's (its figures are worked by hand there):
30 Sep 2025, the authority has 3 social workers in post (Ann 0.6, Cat 0.8, Fay 1.0 = 2.4 FTE),
vacancies P2, P3, P5, P7, P9 = 4.5 FTE (rate 65.2%); team A has vacancies P2, P3, P9 = 3.0 FTE
and Ann 0.6 + Fay 1.0 = 1.6 FTE in post.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from grip.access.roles import Role
from grip.audit.models import AuditEntry
from grip.workforce import benchmarks
from grip.workforce.census import census_on
from grip.workforce.overview import SHOWN, month_ends
from tests.allocation.conftest import user_with
from tests.cases.factories import WorkerFactory
from tests.workforce.test_census import SEPTEMBER, authority  # noqa: F401 - the hand-worked authority

pytestmark = pytest.mark.django_db
D = Decimal
ON = f"on={SEPTEMBER.isoformat()}"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def director():
    return user_with("director", Role.DIRECTOR)


def _page(client, user, query=""):
    client.force_login(user)
    response = client.get(f"{reverse('workforce:overview')}?{ON}&{query}")
    assert response.status_code == 200
    return response.content.decode()


def _value(html: str, key: str) -> str:
    row = re.search(rf'data-measure="{key}".*?data-testid="value">(.*?)</td>', html, re.S)
    text = re.sub(r"<span.*?</span>|<[^>]+>", "", row[1]).strip()
    return None if text == "No figure" else D(text)


def test_the_authority_s_figures_are_the_census_s_for_the_same_day(client, director, authority):  # noqa: F811
    """Every measure shown for the authority is census_on(30 Sep 2025)'s, and the hand-worked ones
    read: 2.4 FTE in post, 4.5 FTE vacant, 65.2% vacancy rate."""
    html = _page(client, director)
    census = census_on(SEPTEMBER)
    for key in SHOWN:
        expected = census[key].value
        assert _value(html, key) == expected, key
    assert (_value(html, "fte_in_post"), _value(html, "vacancies"), _value(html, "vacancy_rate")) == (
        D("2.4"),
        D("4.5"),
        D("65.2"),
    )


def test_a_team_s_figures_on_the_workforce_page_are_its_census(client, director, authority):  # noqa: F811
    """Team A, 30 Sep 2025: 1.6 FTE in post, 3.0 vacant (hand-worked above), as census_on(teams=[A])."""
    html = _page(client, director, f"team={authority.a.pk}")
    census = census_on(SEPTEMBER, teams=[authority.a.pk])
    for key in SHOWN:
        expected = census[key].value
        assert _value(html, key) == expected, key
    assert (_value(html, "fte_in_post"), _value(html, "vacancies")) == (D("1.6"), D("3.0"))


def test_the_workforce_page_and_the_team_establishment_page_agree_today(client, director, authority):  # noqa: F811
    """Today (no date asked for) team A's vacancies on the workforce page are the vacant FTE the
    team's establishment page states: P2, P3, P9 = 3.0 FTE vacant, P3 covered by agency (Dan).
    (They disagreed until the establishment page counted an agency-covered post as a vacancy.)"""
    client.force_login(director)
    workforce = client.get(f"{reverse('workforce:overview')}?team={authority.a.pk}").content.decode()
    establishment = client.get(f"{reverse('workforce:team')}?team={authority.a.pk}").content.decode()
    summary = re.search(r'data-testid="team-summary">(.*?)</p>', establishment, re.S)[1]
    vacant_fte = re.search(r"vacant \(([\d.]+) FTE\)", summary)[1]
    assert _value(workforce, "vacancies") == D(vacant_fte) == D("3.0")


def test_each_figure_opens_onto_the_people_behind_it_and_that_is_audited(client, director, authority):  # noqa: F811
    """Headcount 3 on 30 Sep 2025 (Ann, Cat, Fay): the list has 3 rows, and the audit log has the
    workers listed; vacancies 4.5 FTE: 5 posts whose FTE add to 4.5."""
    client.force_login(director)
    url = reverse("workforce:behind")
    html = client.get(f"{url}?measure=headcount&{ON}").content.decode()
    rows = re.findall(r'data-testid="counted" data-worker="(\d*)"', html)
    assert len(rows) == 3
    assert sorted(int(r) for r in rows) == sorted(authority.w[n].pk for n in ("ann", "cat", "fay"))
    entry = AuditEntry.objects.filter(verb="workforce_list_viewed").latest("pk")
    assert entry.payload["workers"] == sorted(int(r) for r in rows)
    html = client.get(f"{url}?measure=vacancies&{ON}").content.decode()
    posts = re.findall(r'data-testid="counted" data-worker="\d*" data-post="(\d+)"', html)
    assert len(posts) == 5
    fte = re.findall(
        r'govuk-table__cell--numeric">([\d.]+)</td>\s*<td class="govuk-table__cell govuk-table__cell--numeric">', html
    )
    assert sum(D(f) for f in fte) == D("4.5")


def test_a_team_manager_sees_their_own_team_only(client, authority):  # noqa: F811
    """A team manager of team A: the page shows team A (no authority, no team B); asking for team
    B's figures or list is "not found"."""
    manager = user_with("tm-a", Role.TEAM_MANAGER, WorkerFactory(team=authority.a, role="TM"))
    html = _page(client, manager)
    assert re.findall(r'data-testid="unit" data-unit="(\w+)"', html) == [f"team{authority.a.pk}"]
    assert client.get(f"{reverse('workforce:overview')}?team={authority.b.pk}").status_code == 404
    assert client.get(f"{reverse('workforce:behind')}?measure=headcount&team={authority.b.pk}").status_code == 404
    assert client.get(f"{reverse('workforce:behind')}?measure=headcount").status_code == 200  # their team


def test_a_social_worker_finds_no_workforce_page(client, authority):  # noqa: F811
    client.force_login(user_with("sw", Role.SOCIAL_WORKER, WorkerFactory(team=authority.a)))
    assert client.get(reverse("workforce:overview")).status_code == 404  # as every page refuses


def test_the_trend_is_the_census_at_each_of_24_month_ends(client, director, authority):  # noqa: F811
    """As at 30 Sep 2025 the trend runs from 31 Oct 2023 to 30 Sep 2025 (24 month-ends); on
    31 Mar 2025 the FTE in post is 3.8 (hand-worked in test_census), on 30 Sep 2025 2.4."""
    assert month_ends(SEPTEMBER)[0] == date(2023, 10, 31) and month_ends(SEPTEMBER)[-1] == SEPTEMBER
    assert month_ends(date(2025, 9, 29))[-1] == date(2025, 8, 31)
    html = _page(client, director)
    months = re.findall(r'data-testid="month" data-on="([\d-]+)"', html)
    assert len(months) == 24 and months[0] == "2023-10-31"
    march = re.search(r'data-on="2025-03-31">.*?</tr>', html, re.S)[0]
    assert D(re.search(r'fte_in_post&amp;on=2025-03-31">([\d.]+)<', march)[1]) == D("3.8")


def test_a_change_to_the_workforce_shows_at_once_despite_the_cache(client, director, authority):  # noqa: F811
    """The page is cached; recording Cat's leaving on 1 Sep 2025 (she is then not in post on 30 Sep)
    takes the FTE in post from 2.4 to 1.6 (Ann 0.6 + Fay 1.0) on the next request."""
    assert _value(_page(client, director), "fte_in_post") == D("2.4")
    cat = authority.w["cat"]
    cat.left_on, cat.leaving_reason = date(2025, 9, 1), "1"
    cat.save()
    assert _value(_page(client, director), "fte_in_post") == D("1.6")


@pytest.mark.skipif(not benchmarks.available(), reason="the DfE published files are not here (GRIP_SHARED_DIR)")
def test_the_published_figures_are_the_dfe_files(client, director, authority):  # noqa: F811
    """Hand-read from csww_indicators_2017_to_2025.csv, 2025: Birmingham (330) vacancy_rate_fte 17.1,
    agency_rate_fte 12.4; England vacancy_rate_fte 14.2; West Midlands region. Birmingham's first
    statistical neighbour in sn_model_2025_wide.csv is 892 Nottingham."""
    found = benchmarks.workforce_benchmarks("330")
    assert found.year == 2025
    assert (found.authority.name, found.authority["vacancy_rate"], found.authority["agency_rate"]) == (
        "Birmingham",
        D("17.1"),
        D("12.4"),
    )
    assert found.england["vacancy_rate"] == D("14.2")
    assert found.region.name == "West Midlands"
    assert len(found.neighbours) == 10 and found.neighbours[0].name == "Nottingham"
    html = _page(client, director)
    row = re.search(r'data-measure="vacancy_rate".*?</tr>', html, re.S)[0]
    assert 'data-testid="published">17.1<' in row and 'data-testid="england">14.2<' in row

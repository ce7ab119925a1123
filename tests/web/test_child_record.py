from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from grip.access.models import RoleGrant  # noqa: E402
from grip.access.roles import Role  # noqa: E402
from tests.cases.factories import (
    AllocationFactory,
    ChildProtectionPlanFactory,
    CINEpisodeFactory,
    ContactFactory,
    WorkerFactory,
    at,
    child_with_a_full_journey,
)
from tests.people.factories import (
    ChildFactory,
    PersonFactory,
    RelationshipFactory,
    UnbornChildFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(db):
    """A quality assurance lead: a whole-authority role, so scope does not hide the test children
    (scope itself is tested in tests/access)."""
    user = get_user_model().objects.create_user(username="qa1", password="x")
    RoleGrant.objects.create(user=user, role=Role.QUALITY_ASSURANCE_LEAD)
    return user


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def record_url(person) -> str:
    return reverse("web:child-record", args=[person.pk])


def test_record_needs_sign_in(client):
    child = ChildFactory()

    response = client.get(record_url(child))

    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


def test_record_is_not_found_for_an_adult_or_a_missing_id(signed_in):
    adult = PersonFactory()

    assert signed_in.get(record_url(adult)).status_code == 404
    response = signed_in.get(reverse("web:child-record", args=[adult.pk + 1000]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_record_shows_details_stage_lead_worker_and_journey(signed_in):
    child = ChildFactory(
        first_name="Mia",
        last_name="Jones",
        la_child_id="LA777",
        upn="A123456789012",
        nhs_number="9434765919",
        date_of_birth=date(2015, 5, 1),
        sex="F",
        ethnicity="WBRI",
        disabilities=["HEAR", "VIS"],
        address="1 High Street",
        postcode="B1 1AA",
    )
    worker = WorkerFactory(first_name="Ada", last_name="Okafor", team__name="Assessment East")
    day = timezone.localdate() - timedelta(days=10)
    ContactFactory(child=child, received_at=at(day), decided_by=worker)
    CINEpisodeFactory(child=child, referral_date=day)
    AllocationFactory(child=child, worker=worker, started_on=day)
    mother = PersonFactory(first_name="Sara", last_name="Jones")
    brother = ChildFactory(first_name="Leo", last_name="Jones")
    RelationshipFactory(person=child, relative=mother)
    RelationshipFactory(person=child, relative=brother, relationship_type="SIBLING")

    response = signed_in.get(record_url(child), {"show": "all"})  # every event, not only the key ones

    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Mia Jones – Grip" in html
    for text in [
        "LA777",
        "A123456789012",
        "9434765919",
        "1 May 2015",
        "Female",
        "White British",
        "Hearing, Vision",
        "1 High Street, B1 1AA",
        "Child in need",
        "Ada Okafor, Assessment East",
    ]:
        assert text in html, text
    assert "Not allocated" not in html
    assert 'class="govuk-summary-card"' in html
    # Family: the brother is a child, so links to his record; the mother does not.
    assert f'href="{record_url(brother)}">Leo Jones</a>' in html
    assert "Sara Jones" in html and record_url(mother) not in html
    # Journey, newest first, as an MOJ timeline.
    assert 'class="moj-timeline"' in html
    titles = [
        "Allocated to Ada Okafor (Assessment East)",
        "Referral",
        "Contact received",
    ]
    positions = [html.index(f'<h3 class="moj-timeline__title">{t}</h3>') for t in titles]
    assert positions == sorted(positions)
    assert f'<time datetime="{day.isoformat()}">{day.day} {day:%B %Y}</time>' in html
    assert "Source: Police" in html
    assert "by Ada Okafor" in html


def test_an_open_case_without_a_lead_worker_is_flagged_not_allocated(signed_in):
    child = ChildFactory()
    episode = CINEpisodeFactory(child=child)
    ChildProtectionPlanFactory(episode=episode)

    html = signed_in.get(record_url(child)).content.decode()

    assert "Child protection plan" in html
    assert "govuk-tag--red" in html and "Not allocated" in html


def test_a_closed_case_is_not_flagged(signed_in):
    child = ChildFactory()
    CINEpisodeFactory(
        child=child,
        referral_date=date(2024, 1, 8),
        closure_date=date(2024, 3, 1),
        closure_reason="RC8",
    )

    html = signed_in.get(record_url(child)).content.decode()

    assert "Closed" in html
    assert "Not allocated" not in html
    assert "No open case" in html


def test_an_unborn_child_shows_the_expected_date_of_birth(signed_in):
    child = UnbornChildFactory()

    html = signed_in.get(record_url(child)).content.decode()

    expected = child.expected_date_of_birth
    assert "Expected date of birth" in html
    assert f"{expected.day} {expected:%B %Y} (unborn)" in html
    assert "Nothing has been recorded yet." in html


def test_record_page_takes_a_fixed_number_of_queries(signed_in, django_assert_max_num_queries):
    child = child_with_a_full_journey(repeat=10)
    RelationshipFactory(person=child)

    # session, user, roles, child in scope, audit entry (savepoint, head, insert, head update, release),
    # stage, lead worker, family, 21 for the journey, sliding session save (savepoint, update, release);
    # the summary: what is due (the timescale engine for this child: a query per kind of record its
    # rules start and stop at, whatever their number, and the lead worker), the plan, last seen (1)
    with django_assert_max_num_queries(54):
        response = signed_in.get(record_url(child), {"show": "all"})

    assert response.status_code == 200
    # 300: each strategy discussion shows twice, as requested and as held (issue 11); a case note and a
    # management decision made in supervision each round; early help's assessment twice (started,
    # completed) and a team around the family meeting
    assert response.content.decode().count('class="moj-timeline__item"') == 300


def test_search_finds_children_by_name_and_la_child_id(signed_in):
    child = ChildFactory(first_name="Mia", last_name="Jones", la_child_id="LA777")
    PersonFactory(first_name="Mia", last_name="Jones")  # an adult: never listed
    CINEpisodeFactory(child=child)

    for query in ["mia", "Jones", "mia jo", "la777"]:
        html = signed_in.get(reverse("web:child-search"), {"q": query}).content.decode()
        assert f'href="{record_url(child)}">Mia Jones</a>' in html, query
        assert "1 child found" in html
        assert "LA777" in html
        assert "Child in need" in html


def test_search_says_when_nothing_matches(signed_in):
    html = signed_in.get(reverse("web:child-search"), {"q": "Nobody"}).content.decode()

    assert "No children found." in html

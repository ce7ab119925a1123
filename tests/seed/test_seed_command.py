"""`grip seed` end to end: writes a valid authority, refuses to overwrite by accident, writes England."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from django.core.management import CommandError, call_command

from grip.allocation.models import Allocation
from grip.cases.models import (
    CarePlan,
    ChildProtectionPlan,
    CINEpisode,
    CoreGroupMeeting,
    HealthAssessment,
    LookedAfterEpisode,
    Visit,
)
from grip.frontdoor.models import Contact
from grip.people.models import Person
from grip.workforce.models import Supervision, Worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_small_writes_an_authority_the_database_accepts():
    call_command("seed", "--profile", "small", "--seed", "5", "--end-date", "2026-03-31")
    children = Person.objects.exclude(la_child_id=None)
    assert children.count() > 200
    assert Contact.objects.count() > 100
    assert CINEpisode.objects.filter(closure_date=None).exists()
    assert ChildProtectionPlan.objects.exists() and LookedAfterEpisode.objects.exists()
    assert Visit.objects.exists() and Allocation.objects.exists() and Worker.objects.exists()
    # The records statutory timescales are measured on, none of them dated after the end.
    end = date(2026, 3, 31)
    for model, field in [
        (HealthAssessment, "held_on"),
        (CarePlan, "made_on"),
        (CoreGroupMeeting, "held_on"),
        (Supervision, "held_on"),
    ]:
        assert model.objects.exists(), model.__name__
        assert not model.objects.filter(**{f"{field}__gt": end}).exists(), model.__name__
    assert HealthAssessment.objects.filter(assessment_type="IHA").exists()
    assert HealthAssessment.objects.filter(assessment_type="RHA").exists()
    # Keys handed out by the database after a seed carry on past the generated ones.
    person = Person.objects.create(
        first_name="New", last_name="Child", la_child_id="NEW1", date_of_birth=date(2020, 1, 1)
    )
    assert person.pk > Person.objects.exclude(pk=person.pk).order_by("-pk").values_list("pk", flat=True)[0]


def test_seed_refuses_to_overwrite_without_replace_and_changes_nothing():
    call_command("seed", "--profile", "small", "--seed", "5", "--end-date", "2026-03-31")
    before = Person.objects.count()
    with pytest.raises(CommandError, match="--replace"):
        call_command("seed", "--profile", "small", "--seed", "6", "--end-date", "2026-03-31")
    assert Person.objects.count() == before


def test_seed_replace_gives_the_same_authority_for_the_same_seed():
    call_command("seed", "--profile", "small", "--seed", "5", "--end-date", "2026-03-31")
    first = list(Contact.objects.order_by("pk").values_list("reference", "received_at", "outcome"))
    call_command("seed", "--profile", "small", "--seed", "5", "--end-date", "2026-03-31", "--replace")
    assert list(Contact.objects.order_by("pk").values_list("reference", "received_at", "outcome")) == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--profile", "huge"], "No profile 'huge'"),
        (["--end-date", "31/03/2026"], "YYYY-MM-DD"),
        (["--years", "0"], "between 1 and 10"),
    ],
)
def test_seed_refuses_bad_options_clearly(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("seed", *args)
    assert not Person.objects.exists()


def test_seed_england_writes_parquet_per_authority(tmp_path):
    call_command(
        "seed",
        "--profile",
        "england",
        "--authorities",
        "2",
        "--scale",
        "0.05",
        "--end-date",
        "2026-03-31",
        "--output",
        str(tmp_path),
    )
    contacts = pl.read_parquet(tmp_path / "frontdoor_contact" / "*.parquet")
    assert contacts["la_code"].n_unique() == 2
    episodes = pl.read_parquet(tmp_path / "cases_cinepisode" / "*.parquet")
    assert episodes.height > 0 and {"referral_date", "closure_reason", "la_code"} <= set(episodes.columns)
    assert not Person.objects.exists()  # England goes to files, not the database


def test_seed_replace_is_refused_once_the_audit_log_records_work_on_the_children():
    from django.contrib.auth import get_user_model

    from grip.audit.services import record

    call_command("seed", "--profile", "small", "--seed", "5", "--end-date", "2026-03-31")
    child = Person.objects.exclude(la_child_id=None).first()
    record(actor=get_user_model().objects.create_user(username="viewer"), verb="viewed", child=child)
    before = Person.objects.count()
    with pytest.raises(CommandError, match="audit log already records"):
        call_command("seed", "--profile", "small", "--seed", "6", "--end-date", "2026-03-31", "--replace")
    assert Person.objects.count() == before

"""Journey records are never hard-deleted by a cascade: deleting a record that others hang from
(an episode with its plans, a contact with its checks, a child with relatives) is refused, so a
child's history cannot be wiped from one row."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.db.models import ProtectedError

from grip.cases.models import ChildProtectionConference, CINEpisode, CINPlan
from tests.cases.factories import (
    ChildProtectionConferenceFactory,
    CINEpisodeFactory,
    CINPlanFactory,
    ContactFactory,
)

JOURNEY_APPS = ("people", "frontdoor", "cases", "allocation")
# Links that may cascade or be emptied: they are not part of a child's history.
NOT_HISTORY = {
    "frontdoor.PartnerApiToken.organisation",  # an organisation's API keys go with it
    "frontdoor.Contact.working_on_by",  # "who is looking at it now", a lock that lapses anyway
}


@pytest.mark.django_db
def test_deleting_a_cin_episode_with_a_plan_is_refused_and_keeps_both():
    plan = CINPlanFactory()
    conference = ChildProtectionConferenceFactory(episode=plan.episode)

    with pytest.raises(ProtectedError):
        plan.episode.delete()

    assert CINEpisode.objects.filter(pk=plan.episode_id).exists()
    assert CINPlan.objects.filter(pk=plan.pk).exists()
    assert ChildProtectionConference.objects.filter(pk=conference.pk).exists()


@pytest.mark.django_db
def test_deleting_a_contact_with_a_mash_check_or_a_referral_is_refused():
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from grip.frontdoor.models import MashCheck

    contact = ContactFactory()
    MashCheck.objects.create(
        contact=contact,
        agency="POLICE",
        requested_at=timezone.now(),
        requested_by=get_user_model().objects.create_user(username="fd"),
    )
    episode = CINEpisodeFactory(child=contact.child, contact=contact)

    with pytest.raises(ProtectedError):
        contact.delete()
    with pytest.raises(ProtectedError):
        CINEpisode.objects.get(pk=episode.pk).contact.delete()
    assert MashCheck.objects.filter(contact=contact).exists()


def _journey_links():
    for app in JOURNEY_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):  # django-simple-history's copies never constrain
                continue
            for field in model._meta.get_fields():
                if isinstance(field, models.ForeignKey | models.OneToOneField) and not field.auto_created:
                    yield f"{model._meta.app_label}.{model.__name__}.{field.name}", field


def test_no_journey_relationship_cascades_or_empties_on_delete():
    wiping = sorted(
        name
        for name, field in _journey_links()
        if field.remote_field.on_delete in (models.CASCADE, models.SET_NULL) and name not in NOT_HISTORY
    )
    assert not wiping, f"These links would delete or forget history when the record they point at goes: {wiping}"

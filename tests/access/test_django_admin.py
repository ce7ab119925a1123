"""The Django admin (docs/adr/0016): a system administrator's tool only, with no child's record or
journey record in it to read, change or delete, and every change it makes in the audit log."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from grip.access.models import RoleGrant
from grip.access.roles import Role
from grip.audit.models import AuditEntry
from grip.cases.models import CINEpisode
from grip.people.models import Person
from grip.workforce.models import Team

pytestmark = pytest.mark.django_db
JOURNEY_APPS = ("people", "frontdoor", "cases", "allocation", "audit")


@pytest.fixture
def superuser_administrator(world):
    """The most powerful account there is: Django superuser and staff, and system administrator."""
    user = world.users[Role.SYSTEM_ADMINISTRATOR]
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_no_child_or_journey_model_is_in_the_admin():
    registered = [
        m._meta.label
        for app in JOURNEY_APPS
        for m in apps.get_app_config(app).get_models()
        if admin.site.is_registered(m)
    ]
    assert registered == []


@pytest.mark.parametrize("key", ["child", "episode"])
def test_a_superuser_administrator_cannot_change_or_delete_a_child_or_journey_record(
    client, world, superuser_administrator, key
):
    child = world.children["own"]
    record = child if key == "child" else CINEpisode.objects.get(child=child)
    base = f"/admin/{record._meta.app_label}/{record._meta.model_name}"
    client.force_login(superuser_administrator)
    assert client.get("/admin/").status_code == 200  # the admin itself is theirs

    assert client.get(f"{base}/").status_code == 404
    assert client.get(f"{base}/{record.pk}/change/").status_code == 404
    assert client.post(f"{base}/{record.pk}/change/", {"last_name": "Changed"}).status_code == 404
    assert client.post(f"{base}/{record.pk}/delete/", {"post": "yes"}).status_code == 404
    assert client.post(f"{base}/add/", {}).status_code == 404

    assert type(record).objects.filter(pk=record.pk).exists()
    assert Person.objects.get(pk=child.pk).last_name == "Scope"


@pytest.mark.parametrize("role", sorted(set(Role) - {Role.SYSTEM_ADMINISTRATOR}))
def test_other_roles_get_no_admin_even_with_djangos_superuser_flag(client, world, role):
    user = world.users[role]
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)

    for path in ("/admin/", "/admin/workforce/team/", f"/admin/workforce/team/{Team.objects.first().pk}/change/"):
        assert client.get(path).status_code == 404, path
    assert b"Admin" not in client.get(reverse("web:home")).content.split(b"<main")[0]


def test_signed_out_visitors_are_sent_to_grips_own_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    login = client.get(response.url)
    assert login.status_code == 302 and login.url.startswith(reverse("web:login"))


def test_a_superuser_with_no_role_gets_no_admin(client, world):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser(username="root", password="x" * 16)
    client.force_login(user)
    assert client.get("/admin/").status_code == 404


def test_what_the_admin_changes_is_in_the_audit_log(client, world, superuser_administrator):
    team = Team.objects.get(name="North A")
    client.force_login(superuser_administrator)
    response = client.post(
        f"/admin/workforce/team/{team.pk}/change/",
        {
            "name": "North A",
            "service_area": team.service_area_id,
            "function": team.function,
            "establishment_fte": "9.5",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    entry = AuditEntry.objects.filter(verb="admin_changed").latest("id")
    assert entry.actor == superuser_administrator and entry.target_id == str(team.pk)
    assert entry.payload == {"fields": ["establishment_fte"]}


def test_registering_a_journey_model_in_the_admin_is_refused():
    with pytest.raises(ImproperlyConfigured, match="not in the Django admin"):
        admin.site.register(CINEpisode)
    assert not admin.site.is_registered(CINEpisode)


def test_a_system_administrator_needs_no_django_flags(client, world):
    user = world.users[Role.SYSTEM_ADMINISTRATOR]
    assert not user.is_staff and not user.is_superuser
    assert RoleGrant.objects.filter(user=user, role=Role.SYSTEM_ADMINISTRATOR).exists()
    client.force_login(user)
    assert client.get("/admin/workforce/team/").status_code == 200

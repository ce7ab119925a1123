import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import reverse

from grip.access.models import RoleGrant
from grip.access.roles import Role

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(db):
    user = get_user_model().objects.create_user(username="sw1", password=PASSWORD, first_name="Sam", last_name="Worker")
    RoleGrant.objects.create(user=user, role=Role.SOCIAL_WORKER)
    return user


@pytest.mark.django_db
def test_login_page_renders_with_govuk_classes(client):
    response = client.get(reverse("web:login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-template' in html
    assert "govuk-service-navigation" in html
    assert "govuk-phase-banner" in html
    assert 'class="govuk-input' in html
    assert 'name="username"' in html and 'name="password"' in html
    assert "govuk/govuk-frontend.min.css" in html
    assert "govuk-error-summary" not in html


@pytest.mark.django_db
def test_wrong_password_shows_error_summary_and_stays_on_login(client, user):
    response = client.post(reverse("web:login"), {"username": "sw1", "password": "wrong"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "There is a problem" in html
    assert 'href="#id_username"' in html
    assert "<title>Error: Sign in" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_right_password_signs_in_and_redirects_home(client, user):
    response = client.post(reverse("web:login"), {"username": "sw1", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("web:home")


@pytest.mark.django_db
def test_home_redirects_to_login_when_signed_out(client):
    response = client.get(reverse("web:home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("web:login"))


@pytest.mark.django_db
def test_home_renders_when_signed_in(client, user, settings):
    client.force_login(user)

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-service-navigation__service-name" in html
    assert settings.GRIP_AUTHORITY_NAME.replace("'", "&#39;") in html
    assert "Sam Worker" in html
    assert f'action="{reverse("web:logout")}"' in html
    assert reverse("web:child-search") in html


@pytest.mark.django_db
def test_sign_out_is_a_post(client, user):
    client.force_login(user)

    response = client.post(reverse("web:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_child_search_page_has_a_get_form(client, user):
    client.force_login(user)

    response = client.get(reverse("web:child-search"), {"q": "Smith"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="get"' in html
    assert 'name="q"' in html and 'value="Smith"' in html
    assert "Search by name, LA child ID, UPN or NHS number" in html
    assert "govuk-breadcrumbs" in html


@pytest.mark.django_db
def test_unknown_page_uses_the_govuk_404(client, user):
    client.force_login(user)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_stylesheets_are_found_by_the_static_finders():
    for path in ("govuk/govuk-frontend.min.css", "moj/moj-frontend.min.css", "grip.css"):
        assert finders.find(path), f"{path} missing: run `npm ci && npm run build` in frontend/"

"""Single sign-on with the council's identity provider (OpenID Connect), off unless configured.
No test touches the network: the provider's answers are stubbed at the backend's edges."""

import importlib
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.test import override_settings
from django.urls import NoReverseMatch, clear_url_caches, reverse

from config.settings import base
from config.settings.oidc import oidc_settings
from grip.accounts.models import CouncilAccount
from grip.accounts.oidc import CouncilAccountBackend
from grip.audit.models import AuditEntry

from .conftest import PASSWORD, make_user
from .settings_probe import settings_of

TENANT = "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555"
ENVIRONMENT = {
    "GRIP_OIDC_ENABLED": "1",
    "GRIP_OIDC_CLIENT_ID": "grip-client-id",
    "GRIP_OIDC_CLIENT_SECRET": "grip-client-secret",
    "GRIP_OIDC_AUTHORITY": f"{TENANT}/v2.0",
}
BACKEND = "grip.accounts.oidc.CouncilAccountBackend"


def reload_urls():
    import config.urls
    import grip.accounts.urls
    import grip.web.urls

    for module in (grip.accounts.urls, grip.web.urls, config.urls):
        importlib.reload(module)
    clear_url_caches()


@pytest.fixture
def sso_on():
    backends = [*base.AUTHENTICATION_BACKENDS[:2], BACKEND, *base.AUTHENTICATION_BACKENDS[2:]]
    with override_settings(**oidc_settings(ENVIRONMENT), AUTHENTICATION_BACKENDS=backends):
        reload_urls()
        yield
    reload_urls()


# --- Settings -------------------------------------------------------------------------------------


def test_off_by_default():
    assert oidc_settings({}) == {"GRIP_OIDC_ENABLED": False}
    assert base.GRIP_OIDC_ENABLED is False
    assert BACKEND not in base.AUTHENTICATION_BACKENDS


def test_an_entra_id_authority_gives_every_endpoint():
    oidc = oidc_settings(ENVIRONMENT)

    assert oidc["OIDC_OP_AUTHORIZATION_ENDPOINT"] == f"{TENANT}/oauth2/v2.0/authorize"
    assert oidc["OIDC_OP_TOKEN_ENDPOINT"] == f"{TENANT}/oauth2/v2.0/token"
    assert oidc["OIDC_OP_JWKS_ENDPOINT"] == f"{TENANT}/discovery/v2.0/keys"
    assert oidc["OIDC_OP_USER_ENDPOINT"] == "https://graph.microsoft.com/oidc/userinfo"
    assert (oidc["OIDC_RP_CLIENT_ID"], oidc["OIDC_RP_CLIENT_SECRET"]) == ("grip-client-id", "grip-client-secret")
    assert oidc["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert oidc["OIDC_CREATE_USER"] is False


def test_explicit_endpoints_serve_any_other_provider():
    environment = {k: v for k, v in ENVIRONMENT.items() if k != "GRIP_OIDC_AUTHORITY"}
    endpoints = {
        "GRIP_OIDC_AUTHORIZATION_ENDPOINT": "https://idp.example/auth",
        "GRIP_OIDC_TOKEN_ENDPOINT": "https://idp.example/token",
        "GRIP_OIDC_USER_ENDPOINT": "https://idp.example/userinfo",
        "GRIP_OIDC_JWKS_ENDPOINT": "https://idp.example/jwks",
    }

    oidc = oidc_settings(environment | endpoints | {"GRIP_OIDC_CREATE_USERS": "1"})

    assert oidc["OIDC_OP_AUTHORIZATION_ENDPOINT"] == "https://idp.example/auth"
    assert oidc["OIDC_OP_USER_ENDPOINT"] == "https://idp.example/userinfo"
    assert oidc["OIDC_CREATE_USER"] is True


def test_missing_configuration_is_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match="GRIP_OIDC_CLIENT_SECRET.*GRIP_OIDC_TOKEN_ENDPOINT"):
        oidc_settings({"GRIP_OIDC_ENABLED": "1", "GRIP_OIDC_CLIENT_ID": "x"})


def test_the_environment_switch_adds_the_backend_after_the_local_accounts():
    probed = settings_of("config.settings.test", ENVIRONMENT, ["AUTHENTICATION_BACKENDS", "OIDC_RP_CLIENT_ID"])

    assert probed["AUTHENTICATION_BACKENDS"] == [
        "axes.backends.AxesStandaloneBackend",
        "grip.accounts.backends.UserWithWorkerBackend",
        BACKEND,
        "rules.permissions.ObjectPermissionBackend",
    ]
    assert probed["OIDC_RP_CLIENT_ID"] == "grip-client-id"


# --- Pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_with_sso_off_there_is_no_button_and_no_oidc_url(client):
    html = client.get(reverse("web:login")).content.decode()

    assert "Sign in with your council account" not in html
    with pytest.raises(NoReverseMatch):
        reverse("web:oidc_authentication_callback")
    assert client.get("/oidc/callback/").status_code == 404


@pytest.mark.django_db
def test_with_sso_on_the_login_page_has_the_button_and_local_accounts_still_work(client, sso_on, social_worker):
    html = client.get(reverse("web:login") + "?next=/children/").content.decode()

    assert "Sign in with your council account" in html
    assert 'href="/oidc/authenticate/?next=/children/"' in html
    assert 'name="password"' in html
    assert reverse("web:oidc_authentication_callback") == "/oidc/callback/"
    response = client.post(reverse("web:login"), {"username": "sw1", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_button_sends_the_browser_to_the_provider(client, sso_on):
    response = client.get("/oidc/authenticate/")

    assert response.status_code == 302
    target = urlparse(response.url)
    query = parse_qs(target.query)
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{TENANT}/oauth2/v2.0/authorize"
    assert query["client_id"] == ["grip-client-id"]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"]


@pytest.mark.django_db
def test_a_failed_council_sign_in_comes_back_to_the_login_page_with_an_error(client, sso_on):
    response = client.get("/login/?sso=failed")

    html = response.content.decode()
    assert "Signing in with your council account did not work" in html
    assert "<title>Error: Sign in" in html


# --- The backend ----------------------------------------------------------------------------------


def stub_provider(monkeypatch, claims):
    """The provider's token, signature check and userinfo answers, without the network."""
    monkeypatch.setattr(
        CouncilAccountBackend, "get_token", lambda self, payload: {"id_token": "i", "access_token": "a"}
    )
    monkeypatch.setattr(CouncilAccountBackend, "verify_token", lambda self, token, **kwargs: {"sub": "x"})
    monkeypatch.setattr(CouncilAccountBackend, "get_userinfo", lambda self, access, id_token, payload: claims)


@pytest.mark.django_db
def test_the_callback_signs_in_the_grip_user_with_that_email(client, sso_on, social_worker, monkeypatch, audit_entries):
    stub_provider(monkeypatch, {"sub": "x", "email": "Sam.Worker@Example.gov.uk"})
    client.get("/oidc/authenticate/?next=/children/")
    state = next(iter(client.session["oidc_states"]))

    response = client.get("/oidc/callback/", {"code": "the-code", "state": state})

    assert response.status_code == 302 and response.url == "/children/"
    assert client.session["_auth_user_id"] == str(social_worker.pk)
    assert client.session["_auth_user_backend"] == BACKEND
    (signed_in,) = [e for e in audit_entries if e["verb"] == "signed_in"]
    assert signed_in["payload"] == {"method": "council account"}


@pytest.mark.django_db
def test_an_unknown_email_is_not_signed_in_and_no_user_is_made(client, sso_on, monkeypatch):
    stub_provider(monkeypatch, {"sub": "x", "email": "stranger@example.gov.uk"})
    client.get("/oidc/authenticate/")
    state = next(iter(client.session["oidc_states"]))

    response = client.get("/oidc/callback/", {"code": "the-code", "state": state})

    assert response.url == "/login/?sso=failed"
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="stranger@example.gov.uk").exists()


@pytest.mark.django_db
def test_users_are_matched_by_email_only_when_active(sso_on):
    active = make_user("a1", email="pat@example.gov.uk")
    retired = make_user("a2", email="old@example.gov.uk")
    retired.is_active = False
    retired.save()
    backend = CouncilAccountBackend()

    assert list(backend.filter_users_by_claims({"email": "PAT@example.gov.uk"})) == [active]
    assert list(backend.filter_users_by_claims({"email": "old@example.gov.uk"})) == []
    assert list(backend.filter_users_by_claims({})) == []


@pytest.mark.django_db
def test_a_worker_is_not_signed_in_with_their_council_account_from_their_leaving_date(sso_on, time_machine):
    from datetime import date

    from tests.cases.factories import WorkerFactory

    leaver = make_user("l1", email="lee@example.gov.uk")
    WorkerFactory(user=leaver, started_on=date(2020, 1, 6), left_on=date(2026, 7, 31))
    backend = CouncilAccountBackend()

    time_machine.move_to(date(2026, 7, 30))
    assert list(backend.filter_users_by_claims({"email": "lee@example.gov.uk"})) == [leaver]
    assert backend.get_user(leaver.pk) == leaver
    time_machine.move_to(date(2026, 7, 31))
    assert list(backend.filter_users_by_claims({"email": "lee@example.gov.uk"})) == []
    assert backend.get_user(leaver.pk) is None  # a session opened by single sign-on ends too


@pytest.mark.django_db
def test_users_are_created_only_when_the_council_asks(sso_on, monkeypatch):
    backend = CouncilAccountBackend()
    claims = {"sub": "x", "email": "new.person@example.gov.uk", "given_name": "New", "family_name": "Person"}
    monkeypatch.setattr(CouncilAccountBackend, "get_userinfo", lambda self, access, id_token, payload: claims)

    assert backend.get_or_create_user("a", "i", {"sub": "x"}) is None
    with override_settings(OIDC_CREATE_USER=True):
        user = backend.get_or_create_user("a", "i", {"sub": "x"})

    assert (user.email, user.get_full_name()) == ("new.person@example.gov.uk", "New Person")
    assert not user.has_usable_password()
    assert user.council_account.subject == "x"


# --- Matching on the subject, never on the e-mail claim once linked -------------------------------


def council_sign_in(monkeypatch, id_token: dict, userinfo: dict | None = None):
    """The user the backend signs in for these (fabricated, already verified) claims, or None."""
    info = userinfo if userinfo is not None else {k: v for k, v in id_token.items() if k in ("sub", "email")}
    monkeypatch.setattr(CouncilAccountBackend, "get_userinfo", lambda self, access, id_token, payload: info)
    backend = CouncilAccountBackend()
    try:
        return backend.get_or_create_user("a", "i", id_token)
    except SuspiciousOperation:
        return None


@pytest.mark.django_db
def test_the_callback_links_the_council_account_at_the_first_sign_in(client, sso_on, social_worker, monkeypatch):
    stub_provider(monkeypatch, {"sub": "x", "email": "sam.worker@example.gov.uk"})
    client.get("/oidc/authenticate/")
    state = next(iter(client.session["oidc_states"]))

    client.get("/oidc/callback/", {"code": "the-code", "state": state})

    link = CouncilAccount.objects.get()
    assert (link.user, link.subject, link.claim, link.linked_by) == (social_worker, "x", "sub", None)
    entry = AuditEntry.objects.get(verb="council_account_linked")
    assert entry.actor == social_worker
    assert entry.payload == {"claim": "sub", "subject": "x", "how": "at first sign-in"}


@pytest.mark.django_db
def test_once_linked_the_subject_decides_whatever_the_email_claim_says(sso_on, social_worker, monkeypatch):
    other = make_user("sw2", email="other.worker@example.gov.uk")
    assert council_sign_in(monkeypatch, {"sub": "subject-1", "email": "sam.worker@example.gov.uk"}) == social_worker

    # The directory changes the e-mail address on Sam's council account to a colleague's.
    again = council_sign_in(monkeypatch, {"sub": "subject-1", "email": "other.worker@example.gov.uk"})

    assert again == social_worker != other
    assert CouncilAccount.objects.count() == 1


@pytest.mark.django_db
def test_another_council_account_with_a_linked_users_email_cannot_take_it_over(sso_on, social_worker, monkeypatch):
    assert council_sign_in(monkeypatch, {"sub": "subject-1", "email": "sam.worker@example.gov.uk"}) == social_worker

    # Someone's council account is given Sam's e-mail address.
    intruder = council_sign_in(monkeypatch, {"sub": "subject-2", "email": "Sam.Worker@example.gov.uk"})

    assert intruder is None
    assert list(CouncilAccount.objects.values_list("subject", flat=True)) == ["subject-1"]


@pytest.mark.django_db
def test_a_linked_user_who_leaves_is_not_signed_in(sso_on, social_worker, monkeypatch):
    council_sign_in(monkeypatch, {"sub": "subject-1", "email": "sam.worker@example.gov.uk"})
    social_worker.is_active = False
    social_worker.save()

    assert council_sign_in(monkeypatch, {"sub": "subject-1", "email": "sam.worker@example.gov.uk"}) is None


@pytest.mark.django_db
def test_entra_ids_object_id_can_be_the_subject(sso_on, social_worker, monkeypatch, settings):
    settings.GRIP_OIDC_SUBJECT_CLAIM = "oid"
    id_token = {
        "sub": "pairwise-1",
        "oid": "00000000-0000-0000-0000-0000000000a1",
        "email": "sam.worker@example.gov.uk",
    }

    # Entra ID's userinfo has no oid: it comes from the ID token.
    assert council_sign_in(monkeypatch, id_token, {"sub": "pairwise-1", "email": "sam.worker@example.gov.uk"}) == (
        social_worker
    )
    assert CouncilAccount.objects.get().subject == "00000000-0000-0000-0000-0000000000a1"
    without_oid = {"sub": "pairwise-2", "email": "sam.worker@example.gov.uk"}
    assert council_sign_in(monkeypatch, without_oid) is None


@pytest.mark.django_db
def test_userinfo_about_someone_else_is_refused(sso_on, social_worker, monkeypatch):
    id_token = {"sub": "subject-9"}

    assert council_sign_in(monkeypatch, id_token, {"sub": "subject-1", "email": "sam.worker@example.gov.uk"}) is None
    assert not CouncilAccount.objects.exists()


@pytest.mark.django_db
def test_nobody_is_linked_when_two_users_share_the_email(sso_on, social_worker, monkeypatch):
    make_user("sw1-old", email="SAM.WORKER@example.gov.uk")

    assert council_sign_in(monkeypatch, {"sub": "subject-1", "email": "sam.worker@example.gov.uk"}) is None
    with override_settings(OIDC_CREATE_USER=True):  # nor is a third made
        assert council_sign_in(monkeypatch, {"sub": "subject-1", "email": "sam.worker@example.gov.uk"}) is None
    assert not CouncilAccount.objects.exists()
    assert get_user_model().objects.filter(email__iexact="sam.worker@example.gov.uk").count() == 2


def test_the_subject_claim_is_sub_unless_set():
    assert oidc_settings(ENVIRONMENT)["GRIP_OIDC_SUBJECT_CLAIM"] == "sub"
    assert oidc_settings(ENVIRONMENT | {"GRIP_OIDC_SUBJECT_CLAIM": "oid"})["GRIP_OIDC_SUBJECT_CLAIM"] == "oid"

"""Sign-in URLs. Included by grip.web.urls inside its "web" namespace, so the names are
web:login, web:logout, web:password-change, web:password-changed, web:two-factor (and its recovery
code, recovery codes and new app pages), web:second-factor-reset (for system administrators) and,
when single sign-on is on, web:oidc_authentication_init (/oidc/authenticate/) and
web:oidc_authentication_callback (/oidc/callback/, the redirect URI registered with the provider)."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from grip.access.capabilities import RESET_A_SECOND_FACTOR
from grip.access.decorators import PUBLIC, ROLES, SIGNED_IN, access_rule

from . import new_app, recovery, reset, two_factor, views

urlpatterns = [
    path("login/", access_rule(PUBLIC)(views.LoginView.as_view()), name="login"),
    path("logout/", access_rule(PUBLIC, method="POST")(auth_views.LogoutView.as_view()), name="logout"),
    path("account/password/", access_rule(SIGNED_IN)(views.PasswordChangeView.as_view()), name="password-change"),
    path(
        "account/password/changed/",
        access_rule(SIGNED_IN)(views.PasswordChangedView.as_view()),
        name="password-changed",
    ),
    # Everything under /account/two-factor/ is reachable before a code is entered (middleware.py),
    # so each of these pages asks for its own proof of the second factor.
    path("account/two-factor/", access_rule(SIGNED_IN)(two_factor.two_factor), name="two-factor"),
    path(
        "account/two-factor/recovery/",
        access_rule(SIGNED_IN)(recovery.recovery_sign_in),
        name="two-factor-recovery",
    ),
    path(
        "account/two-factor/recovery-codes/",
        access_rule(SIGNED_IN)(recovery.recovery_codes),
        name="recovery-codes",
    ),
    path("account/two-factor/new-app/", access_rule(SIGNED_IN)(new_app.new_app), name="two-factor-new-app"),
    path(
        "accounts/second-factor-reset/",
        access_rule(ROLES, roles=RESET_A_SECOND_FACTOR.roles)(reset.second_factor_reset),
        name="second-factor-reset",
    ),
]

if settings.GRIP_OIDC_ENABLED:
    from mozilla_django_oidc import views as oidc_views

    urlpatterns += [
        path(
            "oidc/authenticate/",
            access_rule(PUBLIC)(oidc_views.OIDCAuthenticationRequestView.as_view()),
            name="oidc_authentication_init",
        ),
        path(
            "oidc/callback/",
            access_rule(PUBLIC)(oidc_views.OIDCAuthenticationCallbackView.as_view()),
            name="oidc_authentication_callback",
        ),
    ]

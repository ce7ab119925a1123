"""Single sign-on (OpenID Connect) settings read from the environment. Not a settings module itself:
base.py calls ``oidc_settings(os.environ)`` and adds what it returns. See docs/sign-in.md.

Councils mostly use Microsoft Entra ID, whose endpoints follow from the tenant's authority
(``https://login.microsoftonline.com/<tenant id>/v2.0``), so GRIP_OIDC_AUTHORITY is enough there;
any other provider sets the endpoints explicitly. Nothing here touches the network.
"""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

ENTRA_USERINFO = "https://graph.microsoft.com/oidc/userinfo"
BACKEND = "grip.accounts.oidc.CouncilAccountBackend"
# (environment variable, setting, path under an Entra ID authority)
ENDPOINTS = [
    ("GRIP_OIDC_AUTHORIZATION_ENDPOINT", "OIDC_OP_AUTHORIZATION_ENDPOINT", "oauth2/v2.0/authorize"),
    ("GRIP_OIDC_TOKEN_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT", "oauth2/v2.0/token"),
    ("GRIP_OIDC_JWKS_ENDPOINT", "OIDC_OP_JWKS_ENDPOINT", "discovery/v2.0/keys"),
    ("GRIP_OIDC_USER_ENDPOINT", "OIDC_OP_USER_ENDPOINT", None),
]


def flag(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def oidc_settings(environ: Mapping[str, str]) -> dict:
    """The OIDC_* settings for mozilla-django-oidc, or just ``GRIP_OIDC_ENABLED = False``."""
    if not flag(environ, "GRIP_OIDC_ENABLED"):
        return {"GRIP_OIDC_ENABLED": False}
    missing = [name for name in ("GRIP_OIDC_CLIENT_ID", "GRIP_OIDC_CLIENT_SECRET") if not environ.get(name)]
    authority = environ.get("GRIP_OIDC_AUTHORITY", "").rstrip("/")
    tenant_root = authority.removesuffix("/v2.0")
    endpoints = {}
    for variable, setting, entra_path in ENDPOINTS:
        if environ.get(variable):
            endpoints[setting] = environ[variable]
        elif authority:
            endpoints[setting] = f"{tenant_root}/{entra_path}" if entra_path else ENTRA_USERINFO
        else:
            missing.append(f"{variable} (or GRIP_OIDC_AUTHORITY)")
    if missing:
        raise ImproperlyConfigured("GRIP_OIDC_ENABLED is set but these are missing: " + ", ".join(missing))
    return {
        "GRIP_OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": environ["GRIP_OIDC_CLIENT_ID"],
        "OIDC_RP_CLIENT_SECRET": environ["GRIP_OIDC_CLIENT_SECRET"],
        "OIDC_RP_SIGN_ALGO": environ.get("GRIP_OIDC_SIGN_ALGO", "RS256"),
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_USE_PKCE": True,
        "OIDC_CREATE_USER": flag(environ, "GRIP_OIDC_CREATE_USERS"),
        # The ID token claim that names the person for good: `sub`, or `oid` (Entra ID's object id).
        # Never the e-mail address, which the directory can change (grip.accounts.oidc).
        "GRIP_OIDC_SUBJECT_CLAIM": environ.get("GRIP_OIDC_SUBJECT_CLAIM", "").strip() or "sub",
        # The callback is named inside the "web" namespace (grip.accounts.urls is included there).
        "OIDC_AUTHENTICATION_CALLBACK_URL": "web:oidc_authentication_callback",
        "LOGIN_REDIRECT_URL_FAILURE": "/login/?sso=failed",
        # Whether a sign-in through the council's identity provider counts as the second factor
        # (only where the provider itself demands multi-factor sign-in, e.g. Entra Conditional Access).
        "GRIP_OIDC_SATISFIES_OTP": flag(environ, "GRIP_OIDC_SATISFIES_OTP"),
        **endpoints,
    }

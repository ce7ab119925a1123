"""Partner API tokens: one or more per partner organisation, sent as `Authorization: Bearer <key>`.

A key is 32 random bytes (URL-safe text), shown once when it is made; only its SHA-256 is kept
(frontdoor.PartnerApiToken), so a copy of the database gives nobody a working key. A revoked key,
an unknown one, or none at all is refused with 401 and a JSON error. A request that carries a
staff member's session but no token is refused too: the API never accepts sessions.
"""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from grip.audit import services as audit
from grip.frontdoor.models import PartnerApiToken, PartnerOrganisation

KEYWORD = "Bearer"
KEY_BYTES = 32
REFUSED = "This API key is not valid: it is unknown or has been revoked."


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic(durable=True)
def partner_token_create(*, organisation: PartnerOrganisation, name: str, by=None) -> tuple[PartnerApiToken, str]:
    """A new key for `organisation`: returns the token row and the key, which is never stored."""
    if not name.strip():
        raise ValueError("Say what the key is for, e.g. the police's case system.")
    key = secrets.token_urlsafe(KEY_BYTES)
    token = PartnerApiToken.objects.create(organisation=organisation, key_hash=key_hash(key), name=name.strip())
    audit.record(
        actor=by,
        verb="partner_token_created",
        target=token,
        payload={"organisation": organisation.pk, "name": token.name},
    )
    return token, key


@transaction.atomic(durable=True)
def partner_token_revoke(*, token: PartnerApiToken, by=None) -> PartnerApiToken:
    """Refuse this key from now on. Revoking a revoked key changes nothing."""
    token = PartnerApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=by, verb="partner_token_revoked", target=token, payload={"organisation": token.organisation_id}
        )
    return token


class PartnerTokenAuthentication(BaseAuthentication):
    """`request.auth` becomes the PartnerApiToken (with its organisation); `request.user` stays
    anonymous, because no member of staff is acting and no user account stands behind a key."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the key as: Authorization: Bearer <key>.")
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(REFUSED) from None
        token = (
            PartnerApiToken.objects.select_related("organisation")
            .filter(key_hash=key_hash(key), revoked_at__isnull=True)
            .first()
        )
        if token is None:
            raise AuthenticationFailed(REFUSED)
        return AnonymousUser(), token

    def authenticate_header(self, request) -> str:
        return f'{KEYWORD} realm="grip"'  # makes a refusal 401 (with this challenge), not 403


class HasPartnerToken(BasePermission):
    message = "Send your organisation's API key: Authorization: Bearer <key>."

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, PartnerApiToken)


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes the token (a bearer key)."""

    target_class = PartnerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Your organisation's API key, from the local authority: `Authorization: Bearer <key>`.",
        }

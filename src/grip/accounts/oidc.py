"""Sign-in with a council account (OpenID Connect, e.g. Microsoft Entra ID): see docs/sign-in.md.

A council account is linked to one Grip user by its subject, the ID token's immutable identifier
(`sub`, or Entra ID's `oid`: GRIP_OIDC_SUBJECT_CLAIM). The link is made once, at the first council
sign-in, to the one active Grip user whose e-mail address matches and who is not linked to another
council account; from then on only the subject counts, so a changed e-mail claim can neither lock
the person out nor sign in anyone else as them.
"""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from grip.access.leaving import has_left

from . import services
from .models import CouncilAccount

log = logging.getLogger(__name__)


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in the active Grip user linked to the council account (see the module's docstring).

    Nobody is created unless GRIP_OIDC_CREATE_USERS=1 (OIDC_CREATE_USER): an administrator adds
    people and their roles in Grip, and the council's directory only proves who they are.
    """

    @staticmethod
    def get_settings(attr, *args):
        if attr == "OIDC_CREATE_USER":  # never create users by default, whatever the library's default
            return getattr(settings, attr, False)
        return import_from_settings(attr, *args)

    @staticmethod
    def subject_claim() -> str:
        return getattr(settings, "GRIP_OIDC_SUBJECT_CLAIM", "sub")

    def get_or_create_user(self, access_token, id_token, payload):
        """The user for these claims, or None. `payload` is the ID token, its signature and nonce
        checked; the subject is read from it (Entra ID's userinfo has no `oid`)."""
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if "sub" in userinfo and "sub" in payload and userinfo["sub"] != payload["sub"]:
            # OpenID Connect Core 5.3.2: userinfo about someone else must not be used.
            raise SuspiciousOperation("The userinfo subject is not the ID token's subject")
        claim = self.subject_claim()
        subject = str(payload.get(claim) or "").strip()
        if not subject:
            raise SuspiciousOperation(f"The ID token has no {claim} claim")
        # The e-mail address and names from userinfo, or from the ID token when userinfo lacks them.
        claims = {**{k: payload[k] for k in ("email", "given_name", "family_name") if k in payload}, **userinfo}

        link = CouncilAccount.objects.select_related("user").filter(subject=subject, claim=claim).first()
        if link is not None:
            return link.user if link.user.is_active and not has_left(link.user) else None
        user = self.user_to_link(claims)
        if user is None and self.get_settings("OIDC_CREATE_USER", False) and not self.email_in_use(claims):
            user = self.create_user(claims)
        if user is None:
            return None
        try:
            services.council_account_link(
                user=user, subject=subject, claim=claim, request=getattr(self, "request", None)
            )
        except ValidationError as error:  # linked by a sign-in at the same moment
            raise SuspiciousOperation(" ".join(error.messages)) from error
        return user

    def user_to_link(self, claims):
        """At a council account's first sign-in: the one active user with its e-mail address, if
        they are not linked to another council account already (or None)."""
        users = list(self.filter_users_by_claims(claims)[:2])
        if len(users) != 1:
            if users:
                log.warning("council sign-in refused: more than one Grip user has that e-mail address")
            return None
        if CouncilAccount.objects.filter(user=users[0]).exists():
            log.warning("council sign-in refused: the Grip user with that e-mail is linked to another council account")
            return None
        return users[0]

    def email_in_use(self, claims) -> bool:
        email = (claims.get("email") or "").strip()
        return bool(email) and self.UserModel.objects.filter(email__iexact=email).exists()

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True).exclude(
            worker__left_on__lte=timezone.localdate()  # as Worker.has_left_by
        )

    def get_user(self, user_id):
        """The session's user, as Grip's own backend loads it: not once inactive or left."""
        user = self.UserModel.objects.select_related("worker__team").filter(pk=user_id).first()
        return user if user is not None and user.is_active and not has_left(user) else None

    def create_user(self, claims):
        user = super().create_user(claims)
        user.first_name = (claims.get("given_name") or "")[:150]
        user.last_name = (claims.get("family_name") or "")[:150]
        user.set_unusable_password()
        user.save()
        return user

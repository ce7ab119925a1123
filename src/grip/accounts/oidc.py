"""Sign-in with a council account (OpenID Connect, e.g. Microsoft Entra ID): see docs/sign-in.md."""

from django.conf import settings
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from grip.access.leaving import has_left


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Signs in the active Grip user whose email address matches the council account's.

    Nobody is created unless GRIP_OIDC_CREATE_USERS=1 (OIDC_CREATE_USER): an administrator adds
    people and their roles in Grip, and the council's directory only proves who they are.
    """

    @staticmethod
    def get_settings(attr, *args):
        if attr == "OIDC_CREATE_USER":  # never create users by default, whatever the library's default
            return getattr(settings, attr, False)
        return import_from_settings(attr, *args)

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True).exclude(
            worker__left_on__lte=timezone.localdate()
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

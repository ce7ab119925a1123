"""Django's model backend, loading the signed-in user with their worker and team in the same query:
scope (grip.access.scope) reads both on every page about a child. A worker whose leaving date has
come cannot sign in, and their session's user is no longer loaded (grip.access.leaving)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from grip.access.leaving import has_left


class UserWithWorkerBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("worker__team").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not has_left(user)

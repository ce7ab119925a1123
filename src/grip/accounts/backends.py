"""Django's model backend, loading the signed-in user with their worker and team in the same query:
scope (grip.access.scope) reads both on every page about a child."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserWithWorkerBackend(ModelBackend):
    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("worker__team").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "grip.accounts"
    label = "accounts"
    verbose_name = "Sign-in and accounts"

    def ready(self) -> None:
        from . import signals  # noqa: F401 (connects the sign-in audit receivers)

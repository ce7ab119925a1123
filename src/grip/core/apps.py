from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grip.core"
    label = "core"

    def ready(self) -> None:
        # The authority calendar is cached; changes to LocalClosureDay must clear that cache.
        from grip.core import calendar, lookups, security_log

        calendar.connect_signals()
        lookups.register()
        security_log.configure_structlog()
        security_log.connect_signals()

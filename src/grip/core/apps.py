from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "grip.core"
    label = "core"

    def ready(self) -> None:
        # The authority calendar is cached; changes to LocalClosureDay must clear that cache.
        from grip.core import calendar, lookups

        calendar.connect_signals()
        lookups.register()

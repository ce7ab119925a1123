from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "grip.workforce"
    label = "workforce"

    def ready(self) -> None:
        # The management decisions made in supervision are part of each child's journey (grip.cases.journey).
        from grip.cases.journey import register_source
        from grip.workforce.journey import supervision_decision_events

        register_source(kind="supervision_decision", source=supervision_decision_events)

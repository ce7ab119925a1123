from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "grip.caseloads"
    label = "caseloads"

    def ready(self) -> None:
        # The workforce census's caseload measure counts cases by this app's definition (ADR 0019).
        from grip.caseloads.counting import children_held
        from grip.workforce.census import register_cases_held

        register_cases_held(children_held)

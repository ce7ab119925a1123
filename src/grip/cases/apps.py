from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "grip.cases"
    label = "cases"

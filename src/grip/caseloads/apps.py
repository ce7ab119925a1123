from django.apps import AppConfig


class CaseloadsConfig(AppConfig):
    name = "grip.caseloads"
    label = "caseloads"

from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "grip.workforce"
    label = "workforce"

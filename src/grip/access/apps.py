from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "grip.access"
    label = "access"

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "grip.web"
    label = "web"

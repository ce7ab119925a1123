from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "grip.frontdoor"
    label = "frontdoor"

from django.apps import AppConfig


class ChasingConfig(AppConfig):
    name = "grip.chasing"
    verbose_name = "Chase lists and digests"

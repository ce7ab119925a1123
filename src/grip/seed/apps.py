from django.apps import AppConfig


class SeedConfig(AppConfig):
    name = "grip.seed"
    label = "seed"

from django.apps import AppConfig


class AllocationConfig(AppConfig):
    name = "grip.allocation"
    label = "allocation"

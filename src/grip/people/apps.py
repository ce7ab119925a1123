from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "grip.people"
    label = "people"

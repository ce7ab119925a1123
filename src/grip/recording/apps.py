from django.apps import AppConfig


class RecordingConfig(AppConfig):
    name = "grip.recording"
    label = "recording"

from django.apps import AppConfig


class QuirksConfig(AppConfig):
    name = "quirks"

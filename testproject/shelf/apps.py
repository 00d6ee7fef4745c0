from django.apps import AppConfig


class ShelfConfig(AppConfig):
    """A bookshop's stock, edited only through Django's admin (the real-site matrix)."""

    name = "shelf"
    default_auto_field = "django.db.models.BigAutoField"

from django.apps import AppConfig


class EmailsiteConfig(AppConfig):
    name = "emailsite"
    default_auto_field = "django.db.models.BigAutoField"

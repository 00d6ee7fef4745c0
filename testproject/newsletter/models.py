from django.db import models


class Subscription(models.Model):
    """An address that asked for the newsletter; it gets mail once the owner confirms."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.email

    @property
    def is_confirmed(self):
        return self.confirmed_at is not None

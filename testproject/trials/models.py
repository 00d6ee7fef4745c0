import math
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class Trial(models.Model):
    """A member's free trial: it starts on their first visit and lasts 14 days."""

    LENGTH = timedelta(days=14)

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    started_at = models.DateTimeField(default=timezone.now)

    @property
    def ends_at(self):
        return self.started_at + self.LENGTH

    def days_left(self):
        """Whole days left, rounded up: 1 on the last day, 0 once the trial has ended."""
        left = self.ends_at - timezone.now()
        return max(0, math.ceil(left / timedelta(days=1)))

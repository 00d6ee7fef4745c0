from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from trials.models import Trial

ENDING_SOON_DAYS = 3


@login_required
def status(request):
    trial, _ = Trial.objects.get_or_create(user=request.user)
    days_left = trial.days_left()
    context = {
        "trial": trial,
        "days_left": days_left,
        "ending_soon": 0 < days_left <= ENDING_SOON_DAYS,
    }
    return render(request, "trials/status.html", context)

from datetime import timedelta

from django.contrib import messages
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from newsletter.forms import SubscribeForm
from newsletter.models import Subscription

CONFIRM_SALT = "newsletter.confirm"
CONFIRM_MAX_AGE = timedelta(days=3)


def subscribe(request):
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscription, _ = Subscription.objects.get_or_create(email=form.cleaned_data["email"])
        if not subscription.is_confirmed:
            send_confirmation(request, subscription)
        # The same answer either way, so the form does not tell who is subscribed.
        messages.info(request, "Check your inbox: we sent you a link to confirm.")
        return redirect("newsletter:subscribe")
    return render(request, "newsletter/subscribe.html", {"form": form})


def send_confirmation(request, subscription):
    token = signing.dumps(subscription.email, salt=CONFIRM_SALT)
    link = request.build_absolute_uri(reverse("newsletter:confirm", args=[token]))
    context = {"link": link, "email": subscription.email}
    message = EmailMultiAlternatives(
        subject="Confirm your subscription",
        body=render_to_string("newsletter/email/confirm.txt", context, request=request),
        to=[subscription.email],
    )
    html = render_to_string("newsletter/email/confirm.html", context, request=request)
    message.attach_alternative(html, "text/html")
    message.send()


def confirm(request, token):
    try:
        email = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return render(request, "newsletter/invalid_link.html", status=400)
    Subscription.objects.filter(email=email, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    messages.success(request, "You are subscribed. Thank you for confirming your address.")
    return redirect("newsletter:subscribe")

from datetime import timedelta

from django.utils import timezone

from django_integration_kit import IntegrationTestCase, frozen_time
from newsletter.models import Subscription


class SubscribeTests(IntegrationTestCase):
    def subscribe(self, email):
        page = self.client.get(self.url("newsletter:subscribe"))
        with self.capture_emails() as outbox:
            response = self.submit_form(page, "#subscribe", email=email)
        return response, outbox

    def test_the_emailed_link_confirms_the_subscription(self):
        response, outbox = self.subscribe("ann@example.com")

        self.assertRedirects(response, self.url("newsletter:subscribe"))
        outbox.assert_sent(to="ann@example.com", subject="Confirm your subscription", count=1)
        [link] = outbox.links()
        assert link.startswith("http://testserver/newsletter/confirm/")
        assert not Subscription.objects.get(email="ann@example.com").is_confirmed

        confirmed = self.client.get(link, follow=True)

        self.assert_message(confirmed, "You are subscribed.")
        assert Subscription.objects.get(email="ann@example.com").is_confirmed

    def test_the_link_is_in_the_text_and_the_html_body(self):
        _, outbox = self.subscribe("ann@example.com")

        message = outbox.last
        [link] = outbox.links(message)
        assert link in message.body
        assert f'href="{link}"' in message.alternatives[0][0]

    def test_a_tampered_link_is_refused(self):
        _, outbox = self.subscribe("ann@example.com")

        response = self.client.get(outbox.links()[0].replace("/confirm/", "/confirm/x"))

        assert response.status_code == 400
        assert not Subscription.objects.get(email="ann@example.com").is_confirmed

    def test_a_link_older_than_three_days_is_refused(self):
        _, outbox = self.subscribe("ann@example.com")

        with frozen_time(timezone.now() + timedelta(days=3, minutes=1)):
            response = self.client.get(outbox.links()[0])

        assert response.status_code == 400
        self.assertContains(response, "invalid or has expired", status_code=400)

    def test_a_confirmed_address_gets_no_second_email(self):
        self.make(Subscription, email="ann@example.com", confirmed_at=timezone.now())

        response, outbox = self.subscribe("ann@example.com")

        self.assert_message(response, "Check your inbox")
        outbox.assert_sent(count=0)

    def test_a_bad_address_shows_the_form_error_and_sends_nothing(self):
        response, outbox = self.subscribe("not-an-address")

        self.assertContains(response, "Enter a valid email address.")
        outbox.assert_sent(count=0)
        assert not Subscription.objects.exists()

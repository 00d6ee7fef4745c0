from django_integration_kit import IntegrationTestCase
from trials.models import Trial


class TrialTests(IntegrationTestCase):
    def test_a_new_member_gets_fourteen_days(self):
        with self.frozen_time("2026-03-01 09:00"):
            self.login_as()
            response = self.client.get(self.url("trials:status"))

        self.assertContains(response, "Your free trial ends in 14 days, on 15 March 2026.")
        self.assertNotContains(response, "Choose a plan now")

    def test_members_are_warned_three_days_before_the_end(self):
        user = self.make_user()
        with self.frozen_time("2026-03-01 09:00") as clock:
            self.make(Trial, user=user)  # started_at defaults to timezone.now()
            clock.move_to("2026-03-12 09:00")
            self.login_as(user)
            response = self.client.get(self.url("trials:status"))

        self.assertContains(response, "Your free trial ends in 3 days")
        self.assertContains(response, "Choose a plan now to keep your projects.")

    def test_the_last_second_of_the_trial_still_counts(self):
        user = self.make_user()
        with self.frozen_time("2026-03-01 09:00") as clock:
            self.make(Trial, user=user)
            clock.move_to("2026-03-15 08:59:59")
            self.login_as(user)
            response = self.client.get(self.url("trials:status"))

        self.assertContains(response, "Your free trial ends in 1 day, on 15 March 2026.")

    def test_the_trial_ends_after_fourteen_days(self):
        user = self.make_user()
        with self.frozen_time("2026-03-01 09:00") as clock:
            self.make(Trial, user=user)
            clock.move_to("2026-03-15 09:00")
            self.login_as(user)
            response = self.client.get(self.url("trials:status"))

        self.assertContains(response, "Your free trial has ended. Choose a plan to keep going.")

    def test_only_members_have_a_trial(self):
        self.assert_login_required("trials:status")

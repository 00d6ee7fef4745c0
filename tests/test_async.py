"""The flows and form submission with Django's AsyncClient, against an async view."""

from django.test import AsyncClient

from django_integration_kit import (
    AsyncKitClient,
    IntegrationTestCase,
    assert_login_required,
    login,
    login_as,
    logout,
    signup,
    submit_form,
)


class AsyncFlowTests(IntegrationTestCase):
    async def test_the_seed_journey_with_the_async_client(self):
        client = self.async_client
        assert isinstance(client, AsyncKitClient)

        user = await signup(client, username="hasnat", password="strongPass123")
        response = await login(client, "hasnat", "strongPass123")
        dashboard = await client.get("/async-dashboard/")

        assert user.raw_password == "strongPass123"
        assert response["Location"] == "/dashboard/"
        assert "Welcome, hasnat" in dashboard.content.decode()

    async def test_login_as_and_logout_with_a_plain_async_client(self):
        client = AsyncClient()

        user = await login_as(client, username="alex")
        assert "Welcome, alex" in (await client.get("/async-dashboard/")).content.decode()

        await logout(client)
        await assert_login_required(client, "async_dashboard")
        assert user.username == "alex"

    async def test_submit_form_with_the_async_client(self):
        page = await self.async_client.get("/contact/")

        response = await submit_form(self.async_client, page, name="Bob")

        assert response.status_code == 302

    async def test_failures_raise_from_the_awaitable(self):
        try:
            await assert_login_required(self.async_client, "home")
        except AssertionError as error:
            assert str(error).startswith("GET / is not login-protected: it answered 200")
        else:
            raise AssertionError("assert_login_required() passed on a public page")

"""The shop, tested with the kit: on_commit and rollbacks for real, and a list without N+1."""

from decimal import Decimal

from django.core import mail
from django.db import transaction

from catalog.models import Category, Order, Payment, Product
from catalog.orders import place_order
from catalog.payments import DECLINED_CARD, PaymentDeclined
from django_integration_kit import IntegrationTestCase, IntegrationTransactionTestCase, make

GOOD_CARD = "4242 4242 4242 4242"


class OrderTests(IntegrationTransactionTestCase):
    """Orders commit for real here, so on_commit callbacks run and rollbacks really happen."""

    def setUp(self):
        self.load_fixture("fixtures/shop.json")
        self.teapot = Product.objects.get(slug="teapot")

    def order_page(self):
        return self.client.get(self.url("catalog:order", "teapot"))

    def test_the_confirmation_is_sent_after_the_commit_not_before(self):
        with transaction.atomic():
            order = place_order(
                self.teapot, email="ann@example.com", quantity=2, card_number=GOOD_CARD
            )
            self.assertEqual(mail.outbox, [])

        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, f"Order #{order.pk} confirmed")
        self.assertEqual(mail.outbox[0].to, ["ann@example.com"])

    def test_ordering_through_the_page_saves_the_order_and_emails_a_confirmation(self):
        response = self.submit_form(
            self.order_page(), email="ann@example.com", quantity="2", card_number=GOOD_CARD
        )

        order = Order.objects.get()
        self.assertRedirects(response, self.url("catalog:products"))
        self.assert_message(response, f"Order #{order.pk} placed", level="success")
        self.assertEqual(order.total, Decimal("40.00"))
        self.assertTrue(Payment.objects.get(order=order).captured)
        self.assertEqual([m.subject for m in mail.outbox], [f"Order #{order.pk} confirmed"])

    def test_a_declined_card_rolls_the_order_and_its_payment_back(self):
        response = self.submit_form(
            self.order_page(), email="ann@example.com", quantity="1", card_number=DECLINED_CARD
        )

        self.assertContains(response, "Your card was declined.")
        self.assert_message(response, "nothing was ordered", level="error")
        self.assertFalse(Order.objects.exists())
        self.assertFalse(Payment.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_a_declined_card_raises_and_leaves_no_rows(self):
        with self.assertRaises(PaymentDeclined):
            place_order(self.teapot, email="bo@example.com", quantity=1, card_number=DECLINED_CARD)

        self.assertEqual((Order.objects.count(), Payment.objects.count()), (0, 0))
        self.assertEqual(mail.outbox, [])


class ProductListTests(IntegrationTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.load_fixture("fixtures/shop.json")
        make(Product, _quantity=7)

    def test_the_list_runs_one_query_however_many_products_there_are(self):
        with self.assert_max_queries(1):
            response = self.client.get(self.url("catalog:products"))

        self.assertContains(response, "Espresso cup</a> in Kitchen: 4.50", html=False)
        for product in Product.objects.select_related("category"):
            self.assertContains(response, f"in {product.category.name}:")
        self.assertEqual(Category.objects.count(), 9)

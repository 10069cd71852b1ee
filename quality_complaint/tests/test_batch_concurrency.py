"""A bad lot's complaints registered by several agents at the same moment.

The other complaints of a lot are shared by everyone registering on it. Each
thread below has its own cursor on the real database, as two agents' requests
do; what they commit is removed when the class ends.
"""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

from odoo import Command, api
from odoo.tests.common import tagged

from .common import receive_lots, sell_and_deliver
from .common_concurrency import ConcurrencyCase, thread_env


@tagged("post_install", "-at_install")
class TestBatchDefectUnderConcurrentAgents(ConcurrencyCase):
    @classmethod
    def prepare(cls, env):
        vendor = env["res.partner"].create({"name": "Rush Parts", "is_company": True})
        customer = env["res.partner"].create({"name": "Rush Stores", "email": "rush@example.com"})
        cls.customer_id = customer.id
        product = env["product.product"].create(
            {"name": "Rush Toaster", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        cls.product_id = product.id
        receive_lots(env, vendor, product, {"RUSH-T1": 100})
        lot = env["stock.lot"].search([("product_id", "=", product.id)])
        cls.lot_id = lot.id
        cls.order_id = sell_and_deliver(env, customer, [(product, 50, lot, 20.0)]).id
        cls.urgent_id = env.ref("quality_complaint.grade_urgent").id
        cls.threshold = env.company.qc_batch_threshold

    @classmethod
    def cleanup(cls, env):
        if not getattr(cls, "product_id", None):
            return
        env["helpdesk.ticket"].with_context(active_test=False).search(
            [("product_id", "=", cls.product_id)]
        ).unlink()
        env["stock.lot"].browse(cls.lot_id).qc_batch_alert_date = False
        env["product.product"].browse(cls.product_id).active = False

    def setUp(self):
        super().setUp()
        self.addCleanup(self._remove_complaints)

    def _remove_complaints(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["helpdesk.ticket"].with_context(active_test=False).search(
                [("product_id", "=", self.product_id)]
            ).unlink()
            env["stock.lot"].browse(self.lot_id).qc_batch_alert_date = False

    def register(self, env, qty, label):
        ticket = env["helpdesk.ticket"].create(
            {
                "name": f"Toaster burns ({label})",
                "description": "<p>The toaster keeps heating after the bread pops up.</p>",
                "is_quality_complaint": True,
                "team_id": env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                "user_id": False,
                "partner_id": self.customer_id,
                "sale_order_id": self.order_id,
                "product_id": self.product_id,
                "lot_ids": [Command.set([self.lot_id])],
                "purchase_date": date.today() - timedelta(days=5),
                "affected_qty": qty,
                "occurrence": "Every morning.",
                "impact_level": "cosmetic",
                "defect_category_id": env.ref("quality_complaint.defect_category_function").id,
                "customer_request": "exchange",
            }
        )
        ticket.action_register_complaint()
        env.flush_all()
        return ticket.id

    def grades(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            tickets = env["helpdesk.ticket"].search(
                [("product_id", "=", self.product_id)], order="id"
            )
            return {ticket.id: ticket.grade_id.id for ticket in tickets}

    def run_regrade_cron(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["helpdesk.ticket"]._cron_regrade_batch_lots()

    def test_registrations_that_only_together_make_a_batch_defect_upgrade_the_lot(self):
        """8 units committed, two agents add 1 each at the same moment: neither
        sees 10, the scheduled batch re-grade (which both woke up) does."""
        with self.registry.cursor() as cr:
            first = self.register(thread_env(self.registry, cr), self.threshold - 2, "first")
        barrier = threading.Barrier(2, timeout=30)

        def agent(label):
            with self.registry.cursor() as cr:
                env = thread_env(self.registry, cr)
                cr.execute("SELECT 1")  # the transaction's snapshot: before the other's
                barrier.wait()
                return self.register(env, 1, label)

        with ThreadPoolExecutor(max_workers=2) as pool:
            ids = [f.result(timeout=60) for f in [pool.submit(agent, x) for x in ("a", "b")]]
        self.assertNotIn(self.urgent_id, self.grades().values(), "each saw 9 units")
        self.run_regrade_cron()
        grades = self.grades()
        self.assertEqual(set(grades), {first, *ids})
        self.assertEqual(set(grades.values()), {self.urgent_id}, "10 units: all urgent")

    def test_a_busy_complaint_of_the_lot_does_not_hold_up_the_registration(self):
        """An agent is saving a complaint of the lot when another registers the
        one that makes the lot a batch defect: the registration neither waits nor
        fails, its complaint is urgent, and the busy one is upgraded once free."""
        alerts_before = self.alerts()
        with self.registry.cursor() as cr:
            busy = self.register(thread_env(self.registry, cr), self.threshold - 1, "busy")
        holding, release = threading.Event(), threading.Event()

        def first_agent():
            with self.registry.cursor() as cr:
                env = thread_env(self.registry, cr)
                env["helpdesk.ticket"].browse(busy).occurrence = "Every morning, at 7."
                env.flush_all()
                holding.set()
                release.wait(timeout=30)

        with ThreadPoolExecutor(max_workers=2) as pool:
            held = pool.submit(first_agent)
            self.assertTrue(holding.wait(timeout=30))

            def second_agent():
                with self.registry.cursor() as cr:
                    start = time.monotonic()
                    ticket = self.register(thread_env(self.registry, cr), 1, "tipping")
                    return ticket, time.monotonic() - start

            tipping, seconds = pool.submit(second_agent).result(timeout=60)
            release.set()
            held.result(timeout=60)
        self.assertLess(seconds, 10, "the registration did not wait for the other agent")
        grades = self.grades()
        self.assertEqual(grades[tipping], self.urgent_id)
        self.assertNotEqual(grades[busy], self.urgent_id, "left to the batch re-grade")
        self.run_regrade_cron()
        self.assertEqual(self.grades()[busy], self.urgent_id)
        self.run_regrade_cron()
        self.assertEqual(self.alerts(), alerts_before + 1, "the quality manager is alerted once")

    def alerts(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            return env["mail.message"].search_count(
                [
                    ("model", "=", "stock.lot"),
                    ("res_id", "=", self.lot_id),
                    ("subject", "ilike", "Batch defect"),
                ]
            )

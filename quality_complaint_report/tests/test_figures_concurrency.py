"""Agents registering complaints at the same moment never wait for one another on
the daily figures, and two workers folding them at once fold each delta once.

Each thread has its own cursor on the real database, as two users' requests do;
what they commit is removed again when the class ends.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from odoo import api
from odoo.addons.quality_complaint.tests.common_concurrency import ConcurrencyCase, thread_env
from odoo.tests.common import tagged
from odoo.tools import SQL

from ..report.complaint_daily import figures_source

AGENTS = 4


@tagged("post_install", "-at_install")
class TestFiguresUnderConcurrentWriters(ConcurrencyCase):
    @classmethod
    def prepare(cls, env):
        product = env["product.product"].create({"name": "Rush-hour Kettle", "type": "consu"})
        cls.product_id = product.id
        partner = env["res.partner"].create(
            {"name": "Key Account Rush", "email": "rush@example.com"}
        )
        cls.partner_id = partner.id

    @classmethod
    def cleanup(cls, env):
        if not getattr(cls, "partner_id", None):
            return
        env["helpdesk.ticket"].with_context(active_test=False).search(
            [("product_id", "=", cls.product_id)]
        ).unlink()
        env["product.product"].browse(cls.product_id).unlink()
        env["res.partner"].browse(cls.partner_id).unlink()
        env["quality.complaint.daily"]._qc_fold(limit=10**9)

    def complaint_values(self, env, index):
        team = env.ref("quality_complaint.helpdesk_team_quality_complaints")
        return {
            "name": f"Kettle leaks, agent {index}",
            "description": "<p>The kettle leaks at the base after the first boil.</p>",
            "is_quality_complaint": True,
            "team_id": team.id,
            "partner_id": self.partner_id,
            "product_id": self.product_id,
            "purchase_date": (datetime.now() - timedelta(days=10)).date(),
            "affected_qty": 1,
            "occurrence": "At home, the first boil.",
            "impact_level": "minor_function",
            "defect_category_id": env.ref("quality_complaint.defect_category_function").id,
            "customer_request": "exchange",
        }

    def figures(self):
        with self.registry.cursor() as cr:
            cr.execute(
                SQL(
                    "SELECT COALESCE(SUM(complaint_count), 0), COALESCE(SUM(affected_qty), 0)"
                    " FROM %s f WHERE product_id = %s",
                    figures_source(),
                    self.product_id,
                )
            )
            return cr.fetchone()

    def test_agents_registering_at_once_all_commit_and_are_all_counted(self):
        barrier = threading.Barrier(AGENTS, timeout=30)

        def register(index):
            with self.registry.cursor() as cr:
                env = thread_env(self.registry, cr)
                # Every agent has read the figures' day before anyone writes: a
                # shared row of figures would make all but one fail at commit.
                cr.execute("SELECT count(*) FROM quality_complaint_daily_figures")
                barrier.wait()
                ticket = env["helpdesk.ticket"].create(self.complaint_values(env, index))
                ticket.action_register_complaint()
                env.flush_all()
                barrier.wait()
            return ticket.id

        with ThreadPoolExecutor(max_workers=AGENTS) as pool:
            futures = [pool.submit(register, index) for index in range(AGENTS)]
            ids = [future.result(timeout=60) for future in futures]
        self.assertEqual(len(set(ids)), AGENTS, "every agent's complaint was registered")
        self.assertEqual(self.figures(), (AGENTS, AGENTS))

    def test_two_workers_folding_at_once_fold_each_delta_once(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {})
            env["quality.complaint.daily"]._qc_fold(limit=10**9)
            for index in range(3):
                ticket = env["helpdesk.ticket"].create(self.complaint_values(env, index))
                ticket.action_register_complaint()
        expected = self.figures()
        barrier = threading.Barrier(2, timeout=30)

        def fold():
            with self.registry.cursor() as cr:
                env = thread_env(self.registry, cr)
                cr.execute("SELECT 1")
                barrier.wait()
                return env["quality.complaint.daily"]._cron_fold(batch_size=1)

        with ThreadPoolExecutor(max_workers=2) as pool:
            folded = [future.result(timeout=60) for future in [pool.submit(fold) for _i in "ab"]]
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM quality_complaint_daily_delta")
            left = cr.fetchone()[0]
        # One worker folded everything pending; the other found the lock taken,
        # or nothing left when it came.
        self.assertEqual(left, 0)
        self.assertEqual(min(folded), 0)
        self.assertGreaterEqual(max(folded), 1)
        self.assertEqual(self.figures(), expected, "each delta was added once")

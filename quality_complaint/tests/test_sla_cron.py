from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import tagged

from .common_sla import ComplaintGradingCase

# Queries of one cron batch that escalates breaches, whatever their number (the
# due clocks' lock in its savepoint, and the run's end for the owners included).
BREACH_BATCH_QUERIES = 17
# A run with nothing due: the lock of the due clocks, in its savepoint (two workers
# at once, deadline.py).
EMPTY_RUN_QUERIES = 3


@tagged("post_install", "-at_install")
class TestSlaCron(ComplaintGradingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_batch_threshold = 100000
        cls.Ticket = cls.env["helpdesk.ticket"]
        # The demo complaints are someone else's business in these tests.
        cls.Deadline = cls.env["quality.complaint.deadline"]
        cls.Deadline.search([("next_check", "!=", False)]).next_check = False

    def register_many(self, count, moment=None, **overrides):
        with freeze_time(moment or self.at(0, 9)):
            tickets = self.Ticket.create(
                [self.complaint_vals(affected_qty=1, **overrides) for _i in range(count)]
            )
            tickets.action_register_complaint()
        return tickets

    def run_cron(self, moment):
        with freeze_time(moment):
            return self.Deadline._cron_check()

    def escalation_mails(self, tickets):
        """Escalation e-mails that list one of ``tickets``."""
        mails = self.env["mail.mail"].search([("subject", "like", "missed the response deadline")])
        return mails.filtered(lambda m: any(t.number in m.body_html for t in tickets))

    def test_cron_flags_at_risk_then_breach_and_escalates_once(self):
        ticket = self.register_many(1, impact_level="cosmetic")
        self.assertEqual(self.run_cron(self.at(0, 14)), 0, "nothing due yet")
        self.assertEqual(ticket.sla_status, "on_track")
        self.run_cron(self.at(0, 15, 30))
        self.assertEqual(ticket.sla_status, "at_risk")
        self.assertEqual(ticket.sla_next_check, self.at(0, 17))
        warnings = ticket.message_ids.filtered(lambda m: "at risk" in (m.body or ""))
        self.assertEqual(len(warnings), 1)
        self.run_cron(self.at(0, 15, 35))
        self.assertEqual(len(ticket.message_ids.filtered(lambda m: "at risk" in (m.body or ""))), 1)
        self.run_cron(self.at(0, 17, 5))
        self.assertEqual(ticket.sla_status, "breached")
        self.assertEqual(ticket.sla_escalated_date, self.at(0, 17, 5))
        self.assertFalse(ticket.sla_next_check)
        mails = self.escalation_mails(ticket)
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.manager.partner_id, "not the customer")
        escalations = ticket.activity_ids.filtered(lambda a: a.user_id == self.manager)
        self.assertEqual(len(escalations), 1)
        self.assertEqual(escalations.summary, "Response deadline missed")

    def test_two_runs_send_one_email(self):
        tickets = self.register_many(3, impact_level="safety")
        self.assertEqual(self.run_cron(self.at(0, 11, 30)), 3)
        self.assertEqual(self.run_cron(self.at(0, 11, 30)), 0, "the second run finds nothing")
        self.run_cron(self.at(0, 12, 30))
        self.assertEqual(set(tickets.mapped("sla_status")), {"breached"})
        mails = self.escalation_mails(tickets)
        self.assertEqual(len(mails), 1, "one e-mail to the escalation user for the batch")
        for ticket in tickets:
            self.assertIn(ticket.number, mails.body_html)
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "in", tickets.ids),
                ("user_id", "=", self.manager.id),
                ("summary", "=", "Response deadline missed"),
            ]
        )
        self.assertEqual(len(activities), 3)

    def test_breach_found_at_regrading_is_escalated_by_the_cron(self):
        ticket = self.register_many(1, impact_level="cosmetic")
        with freeze_time(self.at(0, 12)):
            ticket.impact_level = "safety"
            self.assertEqual(ticket.sla_status, "breached")
            self.assertEqual(ticket.sla_next_check, self.at(0, 12))
        self.run_cron(self.at(0, 12, 5))
        self.assertEqual(len(self.escalation_mails(ticket)), 1)

    def test_a_new_breach_after_regrading_is_a_new_event(self):
        ticket = self.register_many(1, impact_level="safety")
        self.run_cron(self.at(0, 11, 30))
        self.assertEqual(len(self.escalation_mails(ticket)), 1)
        # Downgraded: the deadline moves to 17:00, the breach is over.
        with freeze_time(self.at(0, 12)):
            ticket.impact_level = "cosmetic"
        self.assertEqual(ticket.sla_status, "on_track")
        self.assertFalse(ticket.sla_escalated_date)
        self.run_cron(self.at(0, 12, 5))
        self.assertEqual(len(self.escalation_mails(ticket)), 1, "nothing new")
        self.run_cron(self.at(0, 17, 5))
        self.assertEqual(len(self.escalation_mails(ticket)), 2, "the new breach is escalated")

    def test_responded_and_paused_complaints_are_not_checked(self):
        responded, paused = self.register_many(2, impact_level="cosmetic")
        with freeze_time(self.at(0, 10)):
            responded.action_contacted_customer()
            paused.stage_id = self.awaiting
        self.assertEqual(self.run_cron(self.at(1, 12)), 0)
        self.assertEqual(responded.sla_status, "met")
        self.assertEqual(paused.sla_status, "on_track")
        self.assertFalse(self.escalation_mails(responded | paused))

    def test_grade_without_escalation_user_logs_the_breach(self):
        self.general.escalation_user_id = False
        ticket = self.register_many(1, impact_level="cosmetic")
        self.run_cron(self.at(0, 17, 30))
        self.assertEqual(ticket.sla_status, "breached")
        self.assertFalse(self.escalation_mails(ticket))
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "has no escalation user" in (m.body or ""))
        )

    def test_cron_cost_does_not_grow_with_open_complaints(self):
        self.register_many(2, impact_level="cosmetic")
        self.env.flush_all()
        with freeze_time(self.at(0, 10)):
            with self.assertQueryCount(EMPTY_RUN_QUERIES):
                self.assertEqual(self.Deadline._cron_check(), 0)
        self.register_many(25, impact_level="cosmetic")
        self.env.flush_all()
        with freeze_time(self.at(0, 10)), self.assertQueryCount(EMPTY_RUN_QUERIES):
            self.assertEqual(self.Deadline._cron_check(), 0)

    def test_breach_cost_per_batch_is_bounded(self):
        """Escalating 3 or 12 breaches costs the same bounded number of queries:
        activities, chatter notes and the digest are written set-based."""
        self.register_many(1, moment=self.at(0, 9), impact_level="safety")
        self.run_cron(self.at(0, 12))  # warm the caches
        self.register_many(3, moment=self.at(1, 9), impact_level="safety")
        self.env.flush_all()
        with freeze_time(self.at(1, 12)), self.assertQueryCount(BREACH_BATCH_QUERIES):
            self.assertEqual(self.Deadline._cron_check(), 3)
        self.register_many(12, moment=self.at(2, 9), impact_level="safety")
        self.env.flush_all()
        with freeze_time(self.at(2, 12)), self.assertQueryCount(BREACH_BATCH_QUERIES):
            self.assertEqual(self.Deadline._cron_check(), 12)

    def test_batch_size_splits_the_work(self):
        tickets = self.register_many(5, impact_level="safety")
        with freeze_time(self.at(0, 12)):
            self.assertEqual(self.Deadline._cron_check(batch_size=2), 5)
        self.assertEqual(set(tickets.mapped("sla_status")), {"breached"})
        mails = self.escalation_mails(tickets)
        self.assertEqual(len(mails), 3, "one e-mail per batch of 2")
        for ticket in tickets:
            self.assertEqual(len(self.escalation_mails(ticket)), 1, "each complaint once")

    def test_cron_is_scheduled_every_five_minutes(self):
        cron = self.env.ref("quality_complaint.ir_cron_deadline_check")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))


@tagged("post_install", "-at_install")
class TestSlaCronConcurrency(ComplaintGradingCase):
    def test_rows_locked_by_another_worker_are_skipped(self):
        """Two cron workers never take the same deadline: the second skips the rows
        the first holds and takes the others."""
        # Deadlines committed by a third party, visible to both workers.
        with self.registry.cursor() as setup:
            setup.execute(
                """INSERT INTO quality_complaint_deadline
                       (res_model, res_id, kind, company_id, start, unit, duration, deadline,
                        at_risk_date, status, next_check)
                   SELECT 'res.partner', -n, 'response', %s, %s, 'working_hours', 2, %s, %s,
                          'on_track', %s
                     FROM generate_series(1, 2) n
                   RETURNING id""",
                (self.company.id, self.at(0, 9), self.at(0, 11), self.at(0, 10), self.at(0, 10)),
            )
            held, free = sorted(row[0] for row in setup.fetchall())
        self.addCleanup(self._drop_deadlines, [held, free])
        first_worker = self.registry.cursor()
        second_worker = self.registry.cursor()
        try:
            first_worker.execute(
                "SELECT id FROM quality_complaint_deadline WHERE id = %s FOR UPDATE NOWAIT",
                (held,),
            )
            env = api.Environment(second_worker, SUPERUSER_ID, {})
            due = env["quality.complaint.deadline"]._lock_due(self.at(0, 12), 1000)
        finally:
            for cursor in (first_worker, second_worker):
                cursor.rollback()
                cursor.close()
        self.assertNotIn(held, due, "the other worker holds it")
        self.assertIn(free, due)

    def _drop_deadlines(self, ids):
        with self.registry.cursor() as cleanup:
            cleanup.execute("DELETE FROM quality_complaint_deadline WHERE id IN %s", (tuple(ids),))


@tagged("post_install", "-at_install")
class TestRegistrationCost(ComplaintGradingCase):
    def test_registration_queries_do_not_grow_with_the_batch(self):
        """Registering 3 or 12 complaints at once costs the same queries: grades,
        clocks, activities and the customer-message queue are written per batch."""
        self.company.qc_batch_threshold = 100000
        Ticket = self.env["helpdesk.ticket"]

        def batch(count):
            tickets = Ticket.create([self.complaint_vals(affected_qty=1) for _i in range(count)])
            self.env.flush_all()
            return tickets

        def queries_to_register(tickets):
            start = self.cr.sql_log_count
            tickets.action_register_complaint()
            self.env.flush_all()
            return self.cr.sql_log_count - start

        queries_to_register(batch(2))  # warm the caches
        self.assertEqual(queries_to_register(batch(12)), queries_to_register(batch(3)))
        twelve = Ticket.search([("complaint_state", "=", "registered")], order="id desc", limit=12)
        self.assertEqual(set(twelve.mapped("complaint_state")), {"registered"})
        self.assertTrue(all(twelve.mapped("response_deadline")))

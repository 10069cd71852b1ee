from freezegun import freeze_time

from odoo import api, fields, sql_db
from odoo.tests import get_db_name, tagged

from .common_sla import ComplaintGradingCase


@tagged("post_install", "-at_install")
class TestSlaCron(ComplaintGradingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_batch_threshold = 100000
        cls.Ticket = cls.env["helpdesk.ticket"]
        # The demo complaints are someone else's business in these tests.
        cls.Ticket.search([("sla_next_check", "!=", False)]).sla_next_check = False

    def register_many(self, count, moment=None, **overrides):
        with freeze_time(moment or self.at(0, 9)):
            tickets = self.Ticket.create(
                [self.complaint_vals(affected_qty=1, **overrides) for _i in range(count)]
            )
            tickets.action_register_complaint()
        return tickets

    def run_cron(self, moment):
        with freeze_time(moment):
            return self.Ticket._cron_sla_check()

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
            start = self.cr.sql_log_count
            self.Ticket._cron_sla_check()
            few = self.cr.sql_log_count - start
        self.register_many(25, impact_level="cosmetic")
        self.env.flush_all()
        with freeze_time(self.at(0, 10)), self.assertQueryCount(few):
            self.Ticket._cron_sla_check()
        self.assertLessEqual(few, 2)

    def test_breach_cost_per_batch_is_bounded(self):
        self.register_many(3, impact_level="safety")
        self.env.flush_all()
        with freeze_time(self.at(0, 12)):
            start = self.cr.sql_log_count
            self.Ticket._cron_sla_check()
            three = self.cr.sql_log_count - start
        self.register_many(12, moment=self.at(1, 9), impact_level="safety")
        self.env.flush_all()
        with freeze_time(self.at(1, 12)):
            start = self.cr.sql_log_count
            self.Ticket._cron_sla_check()
            twelve = self.cr.sql_log_count - start
        self.assertLess(twelve, three * 4)

    def test_batch_size_splits_the_work(self):
        tickets = self.register_many(5, impact_level="safety")
        with freeze_time(self.at(0, 12)):
            self.assertEqual(self.Ticket._cron_sla_check(batch_size=2), 5)
        self.assertEqual(set(tickets.mapped("sla_status")), {"breached"})
        mails = self.escalation_mails(tickets)
        self.assertEqual(len(mails), 3, "one e-mail per batch of 2")
        for ticket in tickets:
            self.assertEqual(len(self.escalation_mails(ticket)), 1, "each complaint once")

    def test_cron_is_scheduled_every_five_minutes(self):
        cron = self.env.ref("quality_complaint.ir_cron_complaint_sla")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (5, "minutes"))


@tagged("post_install", "-at_install")
class TestSlaCronConcurrency(ComplaintGradingCase):
    @classmethod
    def setUpClass(cls):
        # Another worker can only lock committed rows: commit two due complaints
        # before the test transaction starts, and delete them after the class.
        cls.committed_ids = cls._commit_due_tickets(2)
        cls.addClassCleanup(cls._delete_committed_tickets, cls.committed_ids)
        super().setUpClass()

    @staticmethod
    def _commit_due_tickets(count):
        with sql_db.db_connect(get_db_name()).cursor() as cr:
            env = api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True})
            tickets = env["helpdesk.ticket"].create(
                [
                    {"name": f"Committed complaint {i}", "description": "<p>Due.</p>"}
                    for i in range(count)
                ]
            )
            tickets.sla_next_check = fields.Datetime.now()
            return tickets.ids

    @staticmethod
    def _delete_committed_tickets(ids):
        with sql_db.db_connect(get_db_name()).cursor() as cr:
            api.Environment(cr, api.SUPERUSER_ID, {})["helpdesk.ticket"].browse(ids).unlink()

    def test_rows_locked_by_another_worker_are_skipped(self):
        Ticket = self.env["helpdesk.ticket"]
        held, free = Ticket.browse(self.committed_ids)
        mine = self.register(impact_level="cosmetic")
        other_worker = sql_db.db_connect(self.env.cr.dbname).cursor()
        try:
            other_worker.execute(
                "SELECT id FROM helpdesk_ticket WHERE id = %s FOR UPDATE NOWAIT",
                (held.id,),
            )
            due = Ticket._qc_sla_lock_due(self.at(30, 0), 1000)
        finally:
            other_worker.rollback()
            other_worker.close()
        self.assertNotIn(held.id, due, "the other worker holds it")
        self.assertIn(free.id, due)
        self.assertIn(mine.id, due)

"""Two cron workers check the deadlines at the same moment: each warning and each
escalation happens once, and neither worker fails."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID
from odoo.tests import tagged

from .common_concurrency import ConcurrencyCase

# Long before the demo's clocks: only this class's clocks are due then.
NOW = datetime(2020, 1, 8, 10, 0)
CHECK = NOW + timedelta(minutes=5)


@tagged("post_install", "-at_install")
class TestDeadlineConcurrency(ConcurrencyCase):
    """Urgent complaints (escalated to the demo's quality manager) whose response
    clocks are at risk or breached, checked by two workers at once."""

    @classmethod
    def prepare(cls, env):
        cls.manager = env.ref("quality_complaint.demo_user_quality_manager").id
        cls.mail_mark = env["mail.mail"].search([], order="id desc", limit=1).id or 0
        cls.customer = env["res.partner"].create({"name": "Cron Race Customer"}).id
        cls.ticket_ids = []

    @classmethod
    def cleanup(cls, env):
        env["helpdesk.ticket"].browse(getattr(cls, "ticket_ids", [])).exists().unlink()
        # the escalation digests e-mailed to the manager
        env["mail.mail"].search([("id", ">", getattr(cls, "mail_mark", 0))]).unlink()
        env["res.partner"].browse(getattr(cls, "customer", [])).exists().unlink()

    def due_complaints(self, at_risk, breached):
        """Committed complaints whose 24-hour response clock is at risk (started
        14 hours ago, at risk after 12) or breached (started 30 hours ago)."""

        def make(env):
            Ticket = env["helpdesk.ticket"]
            urgent = env.ref("quality_complaint.grade_urgent")
            tickets = Ticket.create(
                [
                    {
                        "name": f"Cron race {index}",
                        "description": "<p>Sparks from the plug.</p>",
                        "is_quality_complaint": True,
                        "team_id": env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                        "partner_id": self.customer,
                        "user_id": False,
                    }
                    for index in range(at_risk + breached)
                ]
            )
            self.ticket_ids.extend(tickets.ids)
            tickets.write({"grade_id": urgent.id})
            with freeze_time(NOW):
                values = {
                    ticket.id: ticket._qc_fresh_clock(
                        env.company,
                        NOW - timedelta(hours=14 if index < at_risk else 30),
                        1,
                        "days",
                        at_risk_percent=50,
                    )
                    for index, ticket in enumerate(tickets)
                }
                clocks = tickets._qc_deadline_plan("response", values)
            for ticket, clock in zip(tickets, clocks, strict=True):
                ticket.sla_deadline_id = clock
            return tickets[:at_risk].ids, tickets[at_risk:].ids

        return self.committed(make)

    def worker(self, batch_size=500, in_cron=False):
        """A cron worker that starts its job (its transaction has read), then runs
        the deadline check."""
        cron = self.committed(lambda env: env.ref("quality_complaint.ir_cron_deadline_check").id)

        def read(env):
            Deadline = env["quality.complaint.deadline"]
            Deadline.search_count([("next_check", "!=", False)])
            return Deadline.with_context(cron_id=cron) if in_cron else Deadline

        return (SUPERUSER_ID, read, lambda Deadline: Deadline._cron_check(batch_size=batch_size))

    def events(self, at_risk, breached):
        """Per complaint: (at-risk warnings logged, escalation activities, warned,
        escalated)."""

        def read(env):
            result = {}
            for ticket in env["helpdesk.ticket"].browse(at_risk + breached):
                warnings = ticket.message_ids.filtered(
                    lambda m: "Response deadline at risk" in (m.body or "")
                )
                escalations = ticket.activity_ids.filtered(
                    lambda a: (
                        a.summary == "Response deadline missed" and a.user_id.id == self.manager
                    )
                )
                clock = ticket.sla_deadline_id
                result[ticket.id] = (
                    len(warnings),
                    len(escalations),
                    bool(clock.warned_date),
                    bool(clock.escalated_date),
                )
            return result

        return self.committed(read)

    def assert_once(self, at_risk, breached):
        events = self.events(at_risk, breached)
        for ticket_id in at_risk:
            self.assertEqual(events[ticket_id], (1, 0, True, False), "warned once")
        for ticket_id in breached:
            self.assertEqual(events[ticket_id], (0, 1, False, True), "escalated once")

    def test_second_worker_skips_the_clocks_the_first_holds(self):
        at_risk, breached = self.due_complaints(2, 2)
        with freeze_time(CHECK), self.assertNoLogs(level="ERROR"):
            first, second = self.race(self.worker(), self.worker())
        self.assertIsNone(first.error)
        self.assertIsNone(second.error)
        self.assertEqual((first.value, second.value), (4, 0))
        self.assert_once(at_risk, breached)

    def test_worker_that_began_before_the_other_committed(self):
        """The second worker's job began before the first committed its batches:
        it checks nothing again and does not fail (no serialization error)."""
        at_risk, breached = self.due_complaints(3, 3)
        with freeze_time(CHECK), self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.worker(batch_size=2, in_cron=True),
                self.worker(batch_size=2, in_cron=True),
                hold=False,
            )
        self.assertIsNone(first.error)
        self.assertIsNone(second.error, "the second worker finds the work done")
        self.assertEqual((first.value, second.value), (6, 0))
        self.assert_once(at_risk, breached)

"""A lot becomes a batch defect: the other complaints on it are re-graded to
urgent, and their chatter and their assignee say why."""

from unittest.mock import patch

from freezegun import freeze_time

from odoo.tests import tagged

from .common_sla import ComplaintGradingCase

LOCK = "odoo.addons.quality_complaint.models.helpdesk_ticket.lock_nowait"


@tagged("post_install", "-at_install")
class TestBatchRegradeNotice(ComplaintGradingCase):
    def setUp(self):
        super().setUp()
        # 4 + 3 units on lot A in the morning, one of them contacted at noon.
        with freeze_time(self.at(0, 9)):
            self.first = self.register(impact_level="main_function", affected_qty=4)
            self.second = self.register(impact_level="cosmetic", affected_qty=3)
        self.assertEqual(self.first.grade_id, self.important)
        self.assertEqual(self.second.grade_id, self.general)
        self.assertEqual((self.first | self.second).user_id, self.supervisor)
        with freeze_time(self.at(0, 12)):
            self.second.with_user(self.supervisor).action_contacted_customer()
        self.assertEqual(self.second.sla_status, "met", "contacted within 8 h")
        self.contacted_deadline = self.second.response_deadline
        self.contacted_at = self.second.first_response_date
        self.notified_before = self.notifications(self.supervisor)

    def notifications(self, user):
        return self.env["mail.message"].search(
            [("message_type", "=", "user_notification"), ("partner_ids", "in", user.partner_id.ids)]
        )

    def register_tipping(self):
        """Bob's 3 units at 13:00 make 10 on lot A: a batch defect."""
        return self.register(
            impact_level="cosmetic",
            partner_id=self.bob.id,
            sale_order_id=self.order_bob.id,
            affected_qty=3,
        )

    def assert_told(self, tipping):
        siblings = self.first | self.second
        self.assertEqual(siblings.grade_id, self.urgent)
        for ticket in siblings:
            notes = ticket.message_ids.filtered(lambda m: "Re-graded" in (m.body or ""))
            self.assertEqual(len(notes), 1, f"{ticket.number}: one note says why")
            self.assertIn(tipping.number, notes.body, "the note names the tipping complaint")
            self.assertIn("batch defect", notes.body)
            self.assertIn(self.lot_a.name, notes.body)
            old = "Important" if ticket == self.first else "General"
            self.assertIn(f"from {old} to Urgent", notes.body)
        # The assignee of both is told once, of both, with the reason.
        new = self.notifications(self.supervisor) - self.notified_before
        regrade = new.filtered(lambda m: "re-graded" in (m.subject or ""))
        self.assertEqual(len(regrade), 1, "one notification for the assignee's batch")
        for ticket in siblings:
            self.assertIn(ticket.number, regrade.body)
        self.assertIn(tipping.number, regrade.body)
        # The contacted complaint keeps its met response; the other runs on 2 h.
        self.assertEqual(self.second.sla_status, "met")
        self.assertEqual(self.second.response_deadline, self.contacted_deadline)
        self.assertEqual(self.second.first_response_date, self.contacted_at)
        self.assertEqual(self.first.response_deadline, self.at(0, 11))

    def test_registration_that_tips_the_lot_tells_the_others(self):
        with freeze_time(self.at(0, 13)):
            tipping = self.register_tipping()
        self.assertEqual(tipping.grade_id, self.urgent)
        self.assertFalse(
            tipping.message_ids.filtered(lambda m: "Re-graded" in (m.body or "")),
            "the tipping complaint itself is graded, not re-graded",
        )
        self.assert_told(tipping)

    def test_deferred_regrade_of_busy_complaints_tells_them_too(self):
        with freeze_time(self.at(0, 13)):
            with patch(LOCK, return_value=False):
                tipping = self.register_tipping()
            self.assertEqual(tipping.grade_id, self.urgent)
            self.assertEqual(self.first.grade_id, self.important, "busy: left to the cron")
            self.env["helpdesk.ticket"]._cron_regrade_batch_lots()
        self.assert_told(tipping)

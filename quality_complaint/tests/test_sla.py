from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_sla import ComplaintGradingCase


@tagged("post_install", "-at_install")
class TestResponseDeadline(ComplaintGradingCase):
    def register_at(self, moment, **overrides):
        with freeze_time(moment):
            return self.register(**overrides)

    def test_friday_evening_lands_on_monday_not_saturday(self):
        general = self.register_at(self.at(-3, 17, 30), impact_level="cosmetic")
        # 0.5 h on Friday, 7.5 h on Monday from 09:00.
        self.assertEqual(general.response_deadline, self.at(0, 16, 30))
        urgent = self.register_at(self.at(-3, 17, 30), impact_level="safety")
        self.assertEqual(urgent.response_deadline, self.at(0, 10, 30))
        self.assertEqual(urgent.sla_status, "on_track")

    def test_registered_in_the_evening_starts_next_morning(self):
        ticket = self.register_at(self.at(1, 20), impact_level="main_function")
        self.assertEqual(ticket.response_deadline, self.at(2, 13))

    def test_public_holiday_is_skipped(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Desk closed",
                "calendar_id": self.calendar.id,
                "date_from": self.at(0, 0),
                "date_to": self.at(0, 23, 59),
            }
        )
        ticket = self.register_at(self.at(-3, 17, 30), impact_level="cosmetic")
        self.assertEqual(ticket.response_deadline, self.at(1, 16, 30))

    def test_wall_clock_without_calendar(self):
        self.company.qc_calendar_id = False
        self.company.resource_calendar_id = False
        ticket = self.register_at(self.at(-3, 17, 30), impact_level="cosmetic")
        self.assertEqual(ticket.response_deadline, self.at(-2, 1, 30))

    def test_at_risk_share_is_a_company_setting(self):
        ticket = self.register_at(self.at(0, 9), impact_level="cosmetic")
        # 25 % of 8 h left: at risk from 15:00.
        self.assertEqual(ticket.sla_at_risk_date, self.at(0, 15))
        self.assertEqual(ticket.sla_next_check, ticket.sla_at_risk_date)
        self.company.qc_sla_at_risk_percent = 50
        other = self.register_at(self.at(0, 9), impact_level="cosmetic")
        self.assertEqual(other.sla_at_risk_date, self.at(0, 13))

    def test_regrading_recomputes_the_deadline_from_registration(self):
        ticket = self.register_at(self.at(0, 9), impact_level="cosmetic")
        self.assertEqual(ticket.response_deadline, self.at(0, 17))
        with freeze_time(self.at(0, 10, 30)):
            ticket.impact_level = "safety"
        self.assertEqual(ticket.response_deadline, self.at(0, 11))
        self.assertEqual(ticket.sla_status, "at_risk", "30 min of 2 h left")
        with freeze_time(self.at(0, 12)):
            ticket.impact_level = "main_function"
            self.assertEqual(ticket.response_deadline, self.at(0, 13))
            self.assertEqual(ticket.sla_status, "at_risk")

    def test_waiting_for_the_customer_pauses_the_clock(self):
        ticket = self.register_at(self.at(0, 9), impact_level="cosmetic")
        with freeze_time(self.at(0, 10)):
            ticket.stage_id = self.awaiting
        self.assertTrue(ticket.sla_paused_since)
        self.assertFalse(ticket.sla_next_check, "nothing to check while paused")
        with freeze_time(self.at(0, 12, 30)):
            ticket.stage_id = self.in_progress
        self.assertFalse(ticket.sla_paused_since)
        self.assertAlmostEqual(ticket.sla_paused_hours, 2.5)
        # 8 h + 2.5 h paused from Monday 09:00: Tuesday 10:30.
        self.assertEqual(ticket.response_deadline, self.at(1, 10, 30))
        self.assertEqual(ticket.sla_status, "on_track")

    def test_pause_over_the_night_counts_working_hours_only(self):
        ticket = self.register_at(self.at(0, 9), impact_level="cosmetic")
        with freeze_time(self.at(0, 16)):
            ticket.stage_id = self.awaiting
        with freeze_time(self.at(1, 10)):
            ticket.stage_id = self.in_progress
        self.assertAlmostEqual(ticket.sla_paused_hours, 3.0, msg="16-18 h and 9-10 h")
        self.assertEqual(ticket.response_deadline, self.at(1, 11))

    def test_contacted_customer_action_records_first_response(self):
        ticket = self.register_at(self.at(0, 9), impact_level="cosmetic")
        self.assertEqual(len(self.contact_activities(ticket)), 1)
        with freeze_time(self.at(0, 11)):
            ticket.with_user(self.supervisor).action_contacted_customer()
        self.assertEqual(ticket.first_response_date, self.at(0, 11))
        self.assertEqual(ticket.first_response_by_id, self.supervisor)
        self.assertEqual(ticket.sla_status, "met")
        self.assertFalse(ticket.sla_next_check)
        self.assertFalse(self.contact_activities(ticket), "the contact activities are done")
        with freeze_time(self.at(0, 12)):
            ticket.action_contacted_customer()
        self.assertEqual(ticket.first_response_date, self.at(0, 11), "kept")

    def test_contacted_customer_needs_a_registered_complaint(self):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        with self.assertRaises(UserError):
            ticket.action_contacted_customer()
        self.assertFalse(ticket.first_response_date)

    def test_first_message_to_the_customer_is_the_first_response(self):
        ticket = self.register_at(self.at(0, 9), impact_level="cosmetic")
        self.assertTrue(self.ack_messages(ticket), "the acknowledgement went out")
        self.assertFalse(ticket.first_response_date, "automatic messages do not count")
        with freeze_time(self.at(0, 10)):
            ticket.message_post(
                body="Internal note", subtype_xmlid="mail.mt_note", message_type="comment"
            )
        self.assertFalse(ticket.first_response_date, "an internal note does not count")
        with freeze_time(self.at(0, 18, 30)):
            ticket.message_post(
                body="Hello Alice, could you send a photo of the seam?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.alice.ids,
            )
        self.assertEqual(ticket.first_response_date, self.at(0, 18, 30))
        self.assertEqual(ticket.sla_status, "breached", "after the 17:00 deadline")

    def test_response_while_waiting_counts_the_wait(self):
        ticket = self.register_at(self.at(0, 9), impact_level="cosmetic")
        with freeze_time(self.at(0, 12)):
            ticket.stage_id = self.awaiting
        # Deadline was 17:00; the customer kept us waiting 12:00-17:30.
        with freeze_time(self.at(0, 17, 30)):
            ticket.action_contacted_customer()
        self.assertEqual(ticket.response_deadline, self.at(1, 13, 30))
        self.assertEqual(ticket.sla_status, "met")

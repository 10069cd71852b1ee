import re
from datetime import datetime, time, timedelta

import pytz
from freezegun import freeze_time

from odoo import tools
from odoo.addons.quality_complaint_remedy.tests.common_followup import FollowupCase, execute_remedy
from odoo.addons.sms.tests.common import SMSCase
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

MOBILE = "+32 470 12 34 56"
SETTINGS = (
    "qc_sms_acknowledgement",
    "qc_sms_regrade",
    "qc_sms_result",
    "qc_sms_followup",
    "qc_sms_followup_reminder",
)
REMINDER = "as promised, we will call you on"


class ComplaintSmsCase(FollowupCase, SMSCase):
    """Alice has a mobile; the company texts none of the messages until a test
    enables them. Odoo's SMS gateway is mocked: nothing leaves the machine."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice.phone = MOBILE
        cls.company.write(dict.fromkeys(SETTINGS, False))

    def enable(self, *settings):
        self.company.write(dict.fromkeys(settings, True))

    def sms_messages(self, ticket):
        return ticket.message_ids.filtered(lambda m: m.message_type == "sms")

    def registered(self):
        """A complaint of Alice's, registered, its acknowledgement sent."""
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(len(self.ack_messages(ticket)), 1, "the e-mail goes in every case")
        return ticket

    def assertQueuedTo(self, ticket, content):
        """One SMS on the ticket's chatter, queued in Odoo's SMS to Alice's mobile."""
        message = self.sms_messages(ticket)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
        self.assertSMSNotification(
            [{"partner": self.alice, "number": MOBILE, "state": "ready"}],
            tools.html2plaintext(message.body).rstrip("\n"),
            messages=message,
        )
        self.assertSMSOutgoing(self.alice, MOBILE, content=content)
        self.assertEqual(self._sms, [], "queued, not sent inline")
        return message


@tagged("post_install", "-at_install")
class TestComplaintSms(ComplaintSmsCase):
    def test_settings_are_off_by_default(self):
        company = self.env["res.company"].create({"name": "New Kettles Ltd"})
        self.assertFalse(any(company[name] for name in SETTINGS))

    def test_acknowledgement_by_sms_when_enabled(self):
        with self.mockSMSGateway():
            ticket = self.registered()
            self.assertFalse(self.sms_messages(ticket), "off: no SMS")
            self.assertFalse(self._new_sms)
        self.enable("qc_sms_acknowledgement")
        with self.mockSMSGateway():
            ticket = self.registered()
            self.assertQueuedTo(ticket, f"we have received your complaint {ticket.number}")
            self.assertSMSOutgoing(self.alice, MOBILE, content="8 hours (working hours)")
            # Odoo's SMS queue sends it, to the gateway.
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo().method_direct_trigger()
            self.assertSMSIapSent([MOBILE], content=ticket.number)

    def test_acknowledgements_of_a_batch_each_by_sms(self):
        self.enable("qc_sms_acknowledgement")
        self.bob.phone = "+32 2 555 01 02"
        with self.mockSMSGateway():
            tickets = self.register(impact_level="cosmetic") | self.register(
                impact_level="cosmetic",
                partner_id=self.bob.id,
                sale_order_id=self.order_bob.id,
                affected_qty=2,
            )
            self.send_customer_messages()
            self.assertTrue(all(t.ack_sent_date for t in tickets))
            for ticket, partner in zip(tickets, self.alice | self.bob, strict=True):
                self.assertEqual(len(self.sms_messages(ticket)), 1)
                self.assertSMSOutgoing(partner, partner.phone, content=ticket.number)

    def test_new_response_time_by_sms_when_enabled(self):
        self.enable("qc_sms_acknowledgement")
        with self.mockSMSGateway():
            ticket = self.registered()
            ticket.impact_level = "safety"
            self.assertEqual(len(self.accepted_messages(ticket)), 1)
            self.assertEqual(len(self.sms_messages(ticket)), 1, "off: only the acknowledgement")
        self.enable("qc_sms_regrade")
        with self.mockSMSGateway():
            ticket = self.registered()
            ticket.impact_level = "safety"
            self.assertEqual(len(self.accepted_messages(ticket)), 1)
            texts = self.sms_messages(ticket).mapped("body")
            self.assertEqual(len(texts), 2)
            regrade = self._find_sms_sms(self.alice, MOBILE, "outgoing", content="now contact")
            self.assertIn(ticket.number, regrade.body)
            self.assertIn("2 hours", regrade.body)

    def test_regrade_with_the_same_promise_sends_no_sms(self):
        self.enable(*SETTINGS)
        self.important.response_hours = self.general.response_hours
        with self.mockSMSGateway():
            ticket = self.registered()
            ticket.impact_level = "main_function"
            self.send_customer_messages()
            self.assertEqual(len(self.sms_messages(ticket)), 1, "the acknowledgement only")

    def test_result_of_the_remedies_by_sms_when_enabled(self):
        with self.mockSMSGateway():
            ticket = self.contacted_complaint()
            execute_remedy(ticket, self.cs_user)
            ticket.with_user(self.cs_user).action_qc_send_result()
            self.assertEqual(ticket.qc_feedback_state, "sent")
            self.assertFalse(self.sms_messages(ticket))
        self.enable("qc_sms_result")
        with self.mockSMSGateway():
            ticket = self.contacted_complaint()
            execute_remedy(ticket, self.cs_user)
            ticket.with_user(self.cs_user).action_qc_send_result()
            self.assertEqual(ticket.qc_feedback_state, "sent")
            self.assertTrue(
                ticket.message_ids.filtered(lambda m: "what we did about" in (m.subject or "")),
                "the e-mail is sent as well",
            )
            message = self.assertQueuedTo(ticket, "we have done: Cleaning instructions")
            self.assertEqual(message.author_id, self.cs_user.partner_id)

    def test_callback_day_by_sms_when_enabled(self):
        with self.mockSMSGateway():
            ticket = self.contacted_complaint()
            self.handle(ticket)
            self.assertEqual(ticket.qc_followup_state, "due")
            self.assertFalse(self.sms_messages(ticket))
        self.enable("qc_sms_followup")
        with self.mockSMSGateway():
            ticket = self.contacted_complaint()
            self.handle(ticket)
            self.assertEqual(ticket.qc_followup_state, "due")
            day = tools.format_date(self.env, ticket.qc_followup_due)
            self.assertQueuedTo(ticket, f"We will call you on {day}")

    def test_customer_satisfied_on_the_rating_page_gets_the_callback_day(self):
        """The customer, not logged in, answers the result e-mail on Odoo's rating
        page: the case is handled and the call-back day is texted to them."""
        self.enable("qc_sms_followup")
        with self.mockSMSGateway():
            ticket = self.contacted_complaint()
            execute_remedy(ticket, self.cs_user)
            ticket.with_user(self.cs_user).action_qc_send_result()
            result = ticket.message_ids.filtered(lambda m: "what we did about" in (m.subject or ""))
            link = re.search(r'href="[^"]*(/rate/[^"/]+/5)"', result.body)
            page = self.url_open(link.group(1))
            csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)
            token = link.group(1).split("/")[2]
            answer = self.url_open(
                f"/rate/{token}/submit_feedback",
                data={"rate": 5, "feedback": "Works again.", "csrf_token": csrf.group(1)},
            )
            self.assertEqual(answer.status_code, 200)
            ticket.invalidate_recordset()
            self.assertEqual(ticket.qc_feedback_state, "satisfied")
            self.assertEqual(ticket.qc_followup_state, "due")
            day = tools.format_date(self.env, ticket.qc_followup_due)
            sms = self.sms_messages(ticket)
            self.assertEqual(len(sms), 1)
            self.assertIn(f"We will call you on {day}", tools.html2plaintext(sms.body))
            self.assertEqual(sms.notification_ids.res_partner_id, self.alice)
            self.assertEqual(sms.notification_ids.notification_status, "ready")

    def test_no_number_is_recorded_failed_and_said(self):
        self.enable("qc_sms_acknowledgement")
        self.alice.phone = False
        with self.mockSMSGateway():
            ticket = self.registered()
            message = self.sms_messages(ticket)
            self.assertEqual(len(message), 1, "the SMS shows, failed, as Odoo shows it")
            self.assertSMSFailed(self.alice, False, "sms_number_missing", content=ticket.number)
            self.assertSMSNotification(
                [
                    {
                        "partner": self.alice,
                        "number": False,
                        "state": "exception",
                        "failure_type": "sms_number_missing",
                    }
                ],
                tools.html2plaintext(message.body).rstrip("\n"),
                messages=message,
            )
            notes = ticket.message_ids.filtered(
                lambda m: "has no mobile or phone number" in (m.body or "")
            )
            self.assertEqual(len(notes), 1)
            self.assertIn("Alice Buyer", notes.body)
            self.assertEqual(notes.message_type, "notification")
            self.env.ref("sms.ir_cron_sms_scheduler_action").sudo().method_direct_trigger()
            self.assertEqual(self._sms, [], "nothing goes to the gateway")

    def test_invalid_number_is_recorded_failed_and_said(self):
        self.enable("qc_sms_followup")
        self.alice.phone = "12-34"
        with self.mockSMSGateway():
            ticket = self.contacted_complaint()
            self.handle(ticket)
            self.assertEqual(ticket.qc_followup_state, "due", "the call-back is planned")
            self.assertEqual(len(self.sms_messages(ticket)), 1)
            self.assertSMSFailed(self.alice, "12-34", "sms_number_format")
            notification = self.sms_messages(ticket).notification_ids
            self.assertEqual(notification.notification_status, "exception")
            self.assertEqual(notification.failure_type, "sms_number_format")
            notes = ticket.message_ids.filtered(
                lambda m: "is not a valid phone number" in (m.body or "")
            )
            self.assertEqual(len(notes), 1)
            self.assertIn("12-34", notes.body)

    def test_deleted_template_keeps_the_email_and_says_so(self):
        self.enable("qc_sms_acknowledgement")
        self.env.ref("quality_complaint_sms.sms_template_acknowledgement").unlink()
        with self.mockSMSGateway():
            ticket = self.registered()
            self.assertTrue(ticket.ack_sent_date)
            self.assertFalse(self.sms_messages(ticket))
            self.assertTrue(
                ticket.message_ids.filtered(lambda m: "SMS template was deleted" in (m.body or ""))
            )

    def test_sms_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["quality_complaint", "quality_complaint_sms"], ["zh_CN"]
        )
        self.alice.lang = "zh_CN"
        self.enable("qc_sms_acknowledgement")
        with self.mockSMSGateway():
            ticket = self.register(impact_level="cosmetic")
            self.send_customer_messages()
            self.assertTrue(ticket.ack_sent_date)
            sms = self._find_sms_sms(self.alice, MOBILE, "outgoing")
            self.assertIn("我们已收到您的投诉", sms.body)
            self.assertIn(ticket.number, sms.body)
            self.assertIn("8 小时", sms.body, "the promise in Chinese too")
            self.assertIn("工作时间", sms.body)
            self.assertNotIn("received", sms.body)


@tagged("post_install", "-at_install")
class TestCallbackReminderSms(ComplaintSmsCase):
    """The day before the call-back (the company's number of days), in the
    complaint desk's daytime, the customer is reminded by SMS: once."""

    def handled_complaint(self):
        with self.mockSMSGateway():
            ticket = self.contacted_complaint()
            self.handle(ticket)
        self.assertEqual(ticket.qc_followup_state, "due")
        return ticket

    def at(self, ticket, days_from_due, hour):
        """UTC moment of ``hour`` o'clock on the call-back day + ``days_from_due``,
        in the complaint desk's time zone."""
        tz = ticket._qc_followup_tz()
        day = ticket.qc_followup_due + timedelta(days=days_from_due)
        local = tz.localize(datetime.combine(day, time(hour)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def run_reminders(self, moment):
        with freeze_time(moment), self.mockSMSGateway():
            self.env.ref(
                "quality_complaint_sms.ir_cron_sms_followup_reminders"
            ).sudo().method_direct_trigger()

    def reminders(self, ticket):
        return self.sms_messages(ticket).filtered(lambda m: REMINDER in (m.body or ""))

    def test_reminded_the_day_before_once(self):
        self.enable("qc_sms_followup_reminder")
        ticket = self.handled_complaint()
        self.assertFalse(self.sms_messages(ticket), "the call-back day itself is not texted")
        self.run_reminders(self.at(ticket, -2, 12))
        self.assertFalse(self.reminders(ticket), "two days before: not yet")
        self.run_reminders(self.at(ticket, -1, 7))
        self.assertFalse(self.reminders(ticket), "not at night")
        self.run_reminders(self.at(ticket, -1, 12))
        day = tools.format_date(self.env, ticket.qc_followup_due)
        reminder = self.reminders(ticket)
        self.assertEqual(len(reminder), 1)
        self.assertIn(f"{REMINDER} {day}", tools.html2plaintext(reminder.body))
        self.assertEqual(reminder.notification_ids.res_partner_id, self.alice)
        self.assertEqual(reminder.notification_ids.notification_status, "ready", "queued")
        self.run_reminders(self.at(ticket, -1, 13))
        self.run_reminders(self.at(ticket, 0, 10))
        self.assertEqual(len(self.reminders(ticket)), 1, "once per call-back")

    def test_not_reminded_when_off(self):
        ticket = self.handled_complaint()
        self.run_reminders(self.at(ticket, -1, 12))
        self.assertFalse(self.sms_messages(ticket))

    def test_call_back_done_is_not_reminded(self):
        self.enable("qc_sms_followup_reminder")
        ticket = self.handled_complaint()
        with freeze_time(self.at(ticket, -3, 11)):
            ticket.with_user(self.cs_user)._qc_record_followup("solved")
        self.assertNotEqual(ticket.qc_followup_state, "due")
        self.run_reminders(self.at(ticket, -1, 12))
        self.assertFalse(self.reminders(ticket))

    def test_on_the_day_itself_with_zero_days(self):
        self.enable("qc_sms_followup_reminder")
        self.company.qc_sms_followup_reminder_days = 0
        ticket = self.handled_complaint()
        self.run_reminders(self.at(ticket, -1, 12))
        self.assertFalse(self.reminders(ticket))
        self.run_reminders(self.at(ticket, 0, 9))
        self.assertEqual(len(self.reminders(ticket)), 1)

    def test_missed_day_caught_up_until_the_call_back_day_is_over(self):
        self.enable("qc_sms_followup_reminder")
        first, second = self.handled_complaint(), self.handled_complaint()
        self.run_reminders(self.at(first, 0, 15))
        self.assertEqual(len(self.reminders(first)), 1, "the server was down the day before")
        self.assertEqual(len(self.reminders(second)), 1)
        late = self.handled_complaint()
        self.run_reminders(self.at(late, 1, 12))
        self.assertFalse(self.reminders(late), "the call-back day is over: no reminder")

    def test_reminder_days_cannot_be_negative(self):
        with self.assertRaises(ValidationError):
            self.company.qc_sms_followup_reminder_days = -1
        self.assertEqual(self.company.qc_sms_followup_reminder_days, 1)

    def test_reminder_field_is_protected(self):
        ticket = self.handled_complaint()
        with self.assertRaises(AccessError):
            ticket.with_user(self.cs_user).write(
                {"qc_sms_reminded_clock_id": ticket.qc_followup_deadline_id.id}
            )


@tagged("post_install", "-at_install")
class TestComplaintSmsSettings(ComplaintSmsCase):
    def test_quality_manager_enables_the_sms(self):
        settings_form = Form(self.env["res.config.settings"].with_user(self.manager))
        for name in SETTINGS:
            setattr(settings_form, name, True)
        settings_form.save().execute()
        self.assertTrue(all(self.company[name] for name in SETTINGS))

    def test_customer_service_cannot_enable_the_sms(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.cs_user).create(
                {"qc_sms_acknowledgement": True}
            )
        with self.assertRaises(AccessError):
            self.company.with_user(self.cs_user).write({"qc_sms_result": True})
        self.assertFalse(self.company.qc_sms_acknowledgement)
        self.assertFalse(self.company.qc_sms_result)

    def test_other_company_settings_stay_off(self):
        other = self.env["res.company"].create({"name": "Other Kettles"})
        manager = new_test_user(
            self.env,
            login="qc_sms_other",
            groups="quality_complaint.group_complaint_manager",
        )
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(manager).create(
                {"company_id": other.id, "qc_sms_acknowledgement": True}
            )
        self.assertFalse(other.qc_sms_acknowledgement)

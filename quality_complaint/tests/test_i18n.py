from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QualityComplaintCase
from .common_sla import ComplaintGradingCase


@tagged("post_install", "-at_install")
class TestChinese(QualityComplaintCase):
    def test_acknowledgement_in_the_customer_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["quality_complaint"], ["zh_CN"])
        self.alice.lang = "zh_CN"
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        ticket.action_register_complaint()
        self.send_customer_messages()
        ack = ticket.message_ids.filtered(lambda m: "已收到" in (m.subject or ""))
        self.assertEqual(len(ack), 1, "the subject is in Chinese")
        self.assertIn("内与您联系", ack.body)
        self.assertIn("4 小时", ack.body, "the graded promise, in Chinese")
        self.assertIn("工作时间", ack.body)
        self.assertIn(ticket.number, ack.body)
        labels = (
            self.env["helpdesk.ticket"]
            .with_context(lang="zh_CN")
            .fields_get(["affected_qty"], ["string"])
        )
        self.assertEqual(labels["affected_qty"]["string"], "受影响数量")


@tagged("post_install", "-at_install")
class TestRecipientLanguage(ComplaintGradingCase):
    """Internal notifications speak the language of the user who receives them,
    not the one of the user (or cron) that sends them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["quality_complaint"], ["zh_CN"])
        cls.manager.lang = "zh_CN"
        cls.company.qc_batch_threshold = 100000

    def test_escalation_digest_and_activity_in_the_managers_language(self):
        ticket = self.register(impact_level="safety")
        with freeze_time(self.at(0, 12)):
            self.env["quality.complaint.deadline"]._cron_check()
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.manager.partner_id.ids)])
        digests = mails.filtered(
            lambda m: ticket.number in (m.body_html or "") and "错过了响应截止时间" in m.subject
        )
        self.assertEqual(len(digests), 1, f"one digest, in Chinese: {mails.mapped('subject')}")
        todo = self.env.ref("mail.mail_activity_data_todo")
        escalation = ticket.activity_ids.filtered(
            lambda a: a.user_id == self.manager and a.activity_type_id == todo
        )
        self.assertEqual(escalation.summary, "已错过响应截止时间")

    def test_contact_activity_in_the_assignees_language(self):
        # The urgent grade's two users share the work: one complaint each.
        ticket = self.register(impact_level="safety", user_id=self.manager.id)
        other = self.register(impact_level="safety")
        self.assertEqual(other.user_id, self.supervisor)
        self.assertIn("联系客户", self.contact_activities(ticket).summary)
        self.assertIn("contact the customer", self.contact_activities(other).summary)
        notices = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.manager.partner_id.ids),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertTrue(any("投诉" in (m.subject or "") for m in notices), "assignment notice")


@tagged("post_install", "-at_install")
class TestMissingCustomerMessage(ComplaintGradingCase):
    def test_grade_without_template_is_said_not_skipped(self):
        self.urgent.mail_template_id = False
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(len(self.ack_messages(ticket)), 1)
        ticket.impact_level = "safety"
        self.assertEqual(ticket.grade_id, self.urgent)
        self.assertFalse(self.accepted_messages(ticket))
        self.assertFalse(ticket.qc_messages_due)
        notes = ticket.message_ids.filtered(lambda m: "has no customer message" in (m.body or ""))
        self.assertEqual(len(notes), 1, "the chatter says the customer was not told")

    def test_regrade_with_the_same_promise_says_nothing(self):
        self.important.response_hours = self.general.response_hours
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(len(self.ack_messages(ticket)), 1)
        ticket.impact_level = "main_function"
        self.assertEqual(ticket.grade_id, self.important)
        self.assertFalse(self.accepted_messages(ticket), "the promise did not change")

    def test_deleted_acknowledgement_template_refuses_registration(self):
        self.env.ref("quality_complaint.mail_template_complaint_acknowledgement").unlink()
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        with self.assertRaisesRegex(UserError, "acknowledgement' was deleted"):
            ticket.action_register_complaint()
        self.assertEqual(ticket.complaint_state, "draft", "nothing registered")

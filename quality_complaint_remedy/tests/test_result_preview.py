from freezegun import freeze_time

from odoo.addons.quality_complaint.tests.common_rpc import call_kw_message
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_feedback import FeedbackCase


@tagged("post_install", "-at_install")
class TestResultPreview(FeedbackCase):
    """Send Result opens the message rendered for the customer; Send does what
    the direct send does."""

    def open_preview(self, ticket):
        action = ticket.with_user(self.cs_user).action_qc_preview_result()
        self.assertEqual(action["res_model"], "quality.complaint.message.preview")
        return self.env[action["res_model"]].with_user(self.cs_user).browse(action["res_id"])

    def result_messages(self, ticket):
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and "what we did about" in (m.subject or "")
        )

    def test_the_preview_shows_the_rendered_result_and_send_sends_it(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        with freeze_time(self.at(0, 10)):
            preview = self.open_preview(ticket)
        line = preview.line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.res_id, ticket.id)
        self.assertEqual(line.partner_ids, self.alice, "To is the customer")
        self.assertIn(ticket.number, line.subject)
        self.assertIn(self.alice.name, line.body)
        self.assertIn(self.instructions.name, line.body, "what was done")
        self.assertNotIn("{{", line.subject + line.body)
        self.assertNotIn("HT00001", line.body)
        # opening it changed nothing
        self.assertEqual(ticket.qc_feedback_state, "due")
        self.assertFalse(self.result_messages(ticket))

        line.body = line.body.replace("Dear", "Hello dear")
        with freeze_time(self.at(0, 10)):
            preview.action_send()
        message = self.result_messages(ticket)
        self.assertEqual(len(message), 1)
        self.assertIn("Hello dear", message.body, "the text as reviewed")
        self.assertEqual(message.partner_ids, self.alice)
        self.assertEqual(message.author_id, ticket.registered_by_id.partner_id)
        self.assertFalse(message.subtype_id.internal)
        self.assertEqual(ticket.qc_feedback_state, "sent")
        self.assertEqual(ticket.qc_feedback_status, "met")
        self.assertFalse(self.feedback_activities(ticket), "the to-do is done")
        with self.assertRaises(UserError, msg="the same preview twice"):
            preview.action_send()
        self.assertEqual(len(self.result_messages(ticket)), 1)

    def test_the_direct_send_still_sends(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        self.assertEqual(len(self.send_result(ticket, self.at(0, 10))), 1)
        self.assertEqual(ticket.qc_feedback_state, "sent")


@tagged("post_install", "-at_install")
class TestResultPreviewOverRpc(HttpCase, FeedbackCase):
    def test_an_employee_may_not_send_a_forged_result(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        employee = new_test_user(
            self.env, login="qc_employee_preview", groups="base.group_user", name="Employee"
        )
        self.authenticate(employee.login, employee.login)
        preview_id, error = call_kw_message(
            self,
            "quality.complaint.message.preview",
            "create",
            [
                {
                    "purpose": "result",
                    "res_model": "helpdesk.ticket",
                    "res_ids": ticket.ids,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "res_id": ticket.id,
                                "partner_ids": [(6, 0, self.alice.ids)],
                                "subject": "what we did about your complaint",
                                "body": "<p>forged</p>",
                            },
                        )
                    ],
                }
            ],
        )
        self.assertFalse(error)
        _result, error = call_kw_message(
            self, "quality.complaint.message.preview", "action_send", [[preview_id]]
        )
        self.assertTrue(error, "refused")
        self.assertFalse(
            ticket.message_ids.filtered(lambda m: "forged" in (m.body or "")), "nothing sent"
        )
        self.assertEqual(ticket.qc_feedback_state, "due")

from freezegun import freeze_time

from odoo import fields
from odoo.addons.quality_complaint.tests.common_rpc import call_kw_message
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .common_supplier import SupplierActionCase

SUBJECT = "corrective action request"


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestRequestPreview(SupplierActionCase):
    """Send to Supplier opens the request as the supplier will read it; Send does
    what the direct send does."""

    def open_preview(self, action, user):
        window = action.with_user(user).action_preview_supplier_request()
        self.assertEqual(window["res_model"], "quality.complaint.message.preview")
        return self.env[window["res_model"]].with_user(user).browse(window["res_id"])

    def test_the_preview_shows_the_request_and_send_sends_it(self):
        action = self.supplier_action(
            supplier_problem="Gaskets of your lot K1-A leak above 80 degrees."
        )
        preview = self.open_preview(action, self.buyer)
        line = preview.line_ids
        self.assertEqual(line.res_id, action.id)
        self.assertEqual(line.partner_ids, self.vendor_contact, "To is the supplier's contact")
        self.assertIn(action.name, line.subject)
        self.assertIn(self.vendor_contact.name, line.body)
        self.assertIn("Gaskets of your lot K1-A leak above 80 degrees.", line.body)
        self.assertNotIn("Gasket lot out of spec", line.body, "our root cause stays internal")
        self.assertIn("03/09/2026", line.body, "the answer due date, as it will be")
        link = f"/my/supplier-actions/{action.id}?access_token={action.access_token}"
        self.assertIn(link, line.body)
        self.assertNotIn("{{", line.subject + line.body)
        self.assertNotIn("CA/2026/0001", line.body, "no sample value")
        # opening it changed nothing
        self.assertEqual(action.supplier_state, "none")
        self.assertFalse(action.supplier_deadline_id)
        self.assertFalse(action.supplier_answer_due)
        self.assertFalse(self.mails_to(action, self.vendor_contact, SUBJECT))
        self.assertNotIn(self.vendor_contact, action.message_partner_ids)

        preview.action_send()
        self.assertEqual(action.supplier_state, "requested")
        self.assertEqual(action.supplier_request_date, fields.Datetime.now())
        self.assertEqual(action.supplier_answer_due, fields.Date.to_date("2026-03-09"))
        mail = self.mails_to(action, self.vendor_contact, SUBJECT)
        self.assertEqual(len(mail), 1)
        self.assertIn(link, mail.body)
        self.assertEqual(mail.author_id, self.buyer.partner_id)
        self.assertIn(self.vendor_contact, action.message_partner_ids, "the contact follows it")
        with self.assertRaises(UserError):
            preview.action_send()
        with self.assertRaisesRegex(UserError, "already sent"):
            self.open_preview(action, self.buyer)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestRequestPreviewOverRpc(HttpCase, SupplierActionCase):
    def test_customer_service_may_not_send_a_forged_request(self):
        action = self.supplier_action()
        self.authenticate(self.cs_user.login, self.cs_user.login)
        preview_id, error = call_kw_message(
            self,
            "quality.complaint.message.preview",
            "create",
            [
                {
                    "purpose": "supplier_request",
                    "res_model": "quality.complaint.action",
                    "res_ids": action.ids,
                    "line_ids": [
                        (
                            0,
                            0,
                            {
                                "res_id": action.id,
                                "partner_ids": [(6, 0, self.vendor_contact.ids)],
                                "subject": SUBJECT,
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
        self.assertEqual(action.supplier_state, "none")
        self.assertFalse(self.mails_to(action, self.vendor_contact, SUBJECT))

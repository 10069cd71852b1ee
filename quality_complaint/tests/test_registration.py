from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import QualityComplaintCase


@tagged("post_install", "-at_install")
class TestRegistration(QualityComplaintCase):
    def test_order_fills_customer_product_line_and_purchase_date(self):
        form = self.new_complaint_form(user=self.cs_user)
        form.name = "Kettle leaks"
        form.sale_order_id = self.order_alice
        self.assertEqual(form.partner_id, self.alice, "the customer comes from the order")
        self.assertEqual(form.product_id, self.kettle, "a one-product order picks its product")
        self.assertEqual(form.sale_line_id, self.order_alice.order_line)
        delivery_day = self.order_alice.effective_date.date()
        self.assertEqual(form.purchase_date, delivery_day, "purchase date = delivery date")
        self.assertEqual(form.delivered_qty, 10)

    def test_lots_offered_are_those_delivered_to_the_customer_on_the_order(self):
        form = self.new_complaint_form(user=self.cs_user)
        form.sale_order_id = self.order_bob
        form.product_id = self.kettle
        # Bob received only lot A of the kettle (lot B is still in stock).
        self.assertEqual(form.allowed_lot_ids[:], self.lot_a)
        form.product_id = self.toaster
        self.assertEqual(form.allowed_lot_ids[:], self.lot_toaster)
        self.assertEqual(form.sale_line_id.product_id, self.toaster, "line follows the product")

    def test_changing_product_drops_lots_of_the_other_product(self):
        form = self.new_complaint_form(user=self.cs_user)
        form.sale_order_id = self.order_bob
        form.product_id = self.kettle
        form.lot_ids.add(self.lot_a)
        form.product_id = self.toaster
        self.assertFalse(form.lot_ids[:], "a kettle lot cannot stay on a toaster complaint")

    def test_lot_without_product_sets_the_product(self):
        form = self.new_complaint_form(user=self.cs_user)
        form.partner_id = self.alice
        form.lot_ids.add(self.lot_b)
        self.assertEqual(form.product_id, self.kettle)

    def test_checklist_lists_what_is_missing_and_registration_refuses(self):
        form = self.new_complaint_form(user=self.cs_user)
        form.name = "Something wrong"
        form.partner_id = self.alice
        form.description = "<p>It is broken.</p>"
        ticket = form.save()
        missing = ticket.registration_missing.splitlines()
        for item in (
            "Product",
            "Purchase date",
            "When / where it happens",
            "Impact",
            "Defect category",
            "Customer request",
        ):
            self.assertIn(item, missing)
        self.assertNotIn("Customer", missing, "the customer is known")
        with self.assertRaises(UserError) as err:
            ticket.with_user(self.cs_user).action_register_complaint()
        self.assertIn("Still missing", str(err.exception))
        self.assertIn("Defect category", str(err.exception))
        self.assertEqual(ticket.complaint_state, "draft", "nothing changed")
        self.assertFalse(self.ack_messages(ticket), "no acknowledgement yet")

    def test_lot_is_mandatory_for_tracked_products(self):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals(lot_ids=[]))
        self.assertIn("Lot / serial number", ticket.registration_missing)
        ticket.lot_ids = self.lot_a
        self.assertFalse(ticket.registration_missing)

    def test_evidence_required_by_category(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.complaint_vals(defect_category_id=self.cat_cosmetic.id, impact_level="cosmetic")
        )
        self.assertIn("Evidence", ticket.registration_missing)
        self.assertEqual(ticket.evidence_count, 0)
        self.env["ir.attachment"].create(
            {"name": "scratch.jpg", "raw": b"jpg", "res_model": ticket._name, "res_id": ticket.id}
        )
        ticket.invalidate_recordset(["evidence_count", "registration_missing"])
        self.assertEqual(ticket.evidence_count, 1)
        self.assertFalse(ticket.registration_missing)

    def test_vague_description_must_be_confirmed(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.complaint_vals(description="<p>It does not work.</p>")
        )
        self.assertIn("vague", ticket.registration_to_confirm)
        self.assertIn(
            "What exactly happens", ticket.registration_to_confirm, "the category's hint is shown"
        )
        ticket.details_confirmed = True
        self.assertNotIn("vague", ticket.registration_to_confirm or "")
        precise = self.env["helpdesk.ticket"].create(self.complaint_vals())
        self.assertNotIn("vague", precise.registration_to_confirm or "")

    def test_vague_wording_is_company_data(self):
        self.company.qc_vague_terms = "drips"
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        self.assertIn("vague", ticket.registration_to_confirm, "'drips' is now vague")
        self.company.qc_vague_terms = ""
        self.company.qc_min_description_words = 50
        ticket.invalidate_recordset(["registration_to_confirm"])
        self.assertIn("vague", ticket.registration_to_confirm, "too short for 50 words")

    def test_missing_order_is_to_confirm_not_mandatory(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.complaint_vals(sale_order_id=False, purchase_date="2026-01-05")
        )
        self.assertIn("order or invoice number", ticket.registration_to_confirm)
        self.assertFalse(ticket.registration_missing)

    def test_register_acknowledges_customer_once(self):
        ticket = self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        self.env["ir.attachment"].create(
            {"name": "leak.jpg", "raw": b"jpg", "res_model": ticket._name, "res_id": ticket.id}
        )
        ticket.action_register_complaint()
        self.assertEqual(ticket.complaint_state, "registered")
        self.assertEqual(ticket.registered_by_id, self.cs_user)
        self.assertTrue(ticket.qc_messages_due, "queued, off the user's request")
        self.assertFalse(ticket.ack_sent_date)
        ack = self.ack_messages(ticket)
        self.assertTrue(ticket.ack_sent_date)
        self.assertFalse(ticket.qc_messages_due)
        self.assertEqual(self.send_customer_messages(), 0, "a second run sends nothing")
        self.assertEqual(len(ack), 1)
        self.assertIn(self.alice, ack.partner_ids, "the customer is the recipient")
        self.assertIn(ticket.number, ack.body)
        self.assertIn("within", ack.body)
        self.assertIn("4 hours (working hours)", ack.body, "the graded promise")
        self.assertIn("sorry", ack.body)
        # The e-mail is laid out by Odoo's notification queue, right after.
        schedules = (
            self.env["mail.message.schedule"].sudo().search([("mail_message_id", "=", ack.id)])
        )
        self.assertEqual(len(schedules), 1, "queued once, off the user's request")
        schedules._send_notifications()
        mails = self.env["mail.mail"].sudo().search([("mail_message_id", "=", ack.id)])
        self.assertIn(self.alice, mails.recipient_ids, "an e-mail is queued for the customer")
        # Repeating the action sends nothing more.
        ticket.action_register_complaint()
        ticket._qc_queue_customer_messages()
        self.assertEqual(len(self.ack_messages(ticket)), 1)

    def test_first_contact_promise_is_company_setting(self):
        """Where no grade applies, the acknowledgement makes the company's promise."""
        self.company.qc_first_contact_hours = 12
        other = self.env["res.company"].create({"name": "Grades elsewhere"})
        self.env["quality.complaint.grade"].search([]).company_id = other
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        ticket.action_register_complaint()
        self.assertFalse(ticket.grade_id)
        self.assertIn("12 hours", self.ack_messages(ticket).body)

    def test_settings_page_edits_company_options(self):
        settings = Form(self.env["res.config.settings"])
        settings.qc_first_contact_hours = 36
        settings.qc_vague_terms = "kaputt"
        settings.save().execute()
        self.assertEqual(self.company.qc_first_contact_hours, 36)
        self.assertEqual(self.company.qc_vague_terms, "kaputt")

    def test_batch_register_checks_every_complaint_before_changing_any(self):
        Ticket = self.env["helpdesk.ticket"]
        good = Ticket.create(self.complaint_vals())
        bad = Ticket.create(self.complaint_vals(customer_request=False))
        with self.assertRaises(UserError):
            (good | bad).action_register_complaint()
        self.assertEqual(good.complaint_state, "draft", "all or nothing")

    def test_create_from_code_links_the_order_line(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.complaint_vals(partner_id=False, partner_email=False)
        )
        self.assertEqual(ticket.sale_line_id, self.order_alice.order_line)
        self.assertEqual(ticket.partner_id, self.alice, "customer taken from the order")
        self.assertEqual(ticket.partner_email, "alice@example.com")

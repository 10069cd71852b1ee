from odoo.tests import Form, tagged

from .common import QualityComplaintCase


@tagged("post_install", "-at_install")
class TestEntryPoints(QualityComplaintCase):
    def test_report_from_sale_order_prefills_the_complaint(self):
        action = self.order_bob.with_user(self.cs_user).action_report_quality_complaint()
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        form = Form(
            self.env["helpdesk.ticket"].with_user(self.cs_user).with_context(**action["context"])
        )
        self.assertTrue(form.is_quality_complaint)
        self.assertEqual(form.sale_order_id, self.order_bob)
        self.assertEqual(form.partner_id, self.bob)
        self.assertEqual(form.team_id, self.team)
        self.assertEqual(form.channel_id.name, "Phone")
        self.assertFalse(form.product_id, "Bob's order has two products: CS picks one")
        form.product_id = self.toaster
        form.lot_ids.add(self.lot_toaster)
        form.description = "<p>The toaster's lever does not stay down, so it cannot toast.</p>"
        ticket = form.save()
        self.assertEqual(ticket.sale_line_id.product_id, self.toaster)
        self.assertEqual(self.order_bob.complaint_count, 1)
        self.assertEqual(ticket.partner_phone, "555-01", "the contact phone comes along")

    def test_smart_button_counts_and_actions(self):
        Ticket = self.env["helpdesk.ticket"]
        first = Ticket.create(self.complaint_vals())
        second = Ticket.create(self.complaint_vals(affected_qty=1))
        Ticket.create(
            self.complaint_vals(
                partner_id=self.bob.id,
                sale_order_id=self.order_bob.id,
                affected_qty=1,
            )
        )
        Ticket.create(
            {"name": "Invoice question", "description": "<p>?</p>", "partner_id": self.alice.id}
        )
        self.assertEqual(self.order_alice.complaint_count, 2)
        self.assertEqual(self.lot_a.complaint_count, 3, "lot A reached Alice and Bob")
        self.assertEqual(self.lot_b.complaint_count, 0)
        self.assertEqual(self.kettle.product_tmpl_id.complaint_count, 3)
        self.assertEqual(self.alice.complaint_count, 2, "the ordinary ticket is not counted")
        contact = self.env["res.partner"].create({"name": "Bob's buyer", "parent_id": self.bob.id})
        self.assertEqual(contact.complaint_count, 1, "a contact sees its company's complaints")
        for record in (self.order_alice, self.lot_a, self.kettle.product_tmpl_id, self.alice):
            action = record.action_view_quality_complaints()
            found = Ticket.search(action["domain"])
            self.assertEqual(len(found), record.complaint_count, record._name)
        self.assertEqual(
            Ticket.search(self.order_alice.action_view_quality_complaints()["domain"]),
            first | second,
        )

    def test_counts_are_computed_in_one_query(self):
        Ticket = self.env["helpdesk.ticket"]
        for _i in range(3):
            Ticket.create(self.complaint_vals(affected_qty=1))
        lots = self.lot_a | self.lot_b | self.lot_toaster
        lots.invalidate_recordset(["complaint_count"])
        with self.assertQueryCount(1):
            self.assertEqual(lots.mapped("complaint_count"), [3, 0, 0])

    def test_email_ticket_converted_by_customer_service(self):
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Box arrived crushed",
                "description": "<p>The box arrived crushed.</p>",
                "partner_id": self.alice.id,
                "channel_id": self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email").id,
            }
        )
        self.assertFalse(ticket.is_quality_complaint)
        ticket.with_user(self.cs_user).action_make_quality_complaint()
        self.assertTrue(ticket.is_quality_complaint)
        self.assertEqual(ticket.team_id, self.team, "moved to the complaints team")
        self.assertEqual(ticket.complaint_state, "draft")
        self.assertEqual(ticket.channel_id.name, "Email", "the intake channel is kept")

    def test_ticket_of_the_quality_team_is_a_complaint(self):
        ticket = self.env["helpdesk.ticket"].create(
            {"name": "Portal form", "description": "<p>Kettle broken</p>", "team_id": self.team.id}
        )
        self.assertTrue(ticket.is_quality_complaint)

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import QualityComplaintCase


@tagged("post_install", "-at_install")
class TestValidation(QualityComplaintCase):
    def assert_refused(self, vals_override, message):
        Ticket = self.env["helpdesk.ticket"]
        count = Ticket.search_count([])
        with self.assertRaises(ValidationError) as err:
            Ticket.create(self.complaint_vals(**vals_override))
        self.assertIn(message, str(err.exception))
        self.assertEqual(Ticket.search_count([]), count, "nothing was created")

    def test_lot_of_another_product(self):
        self.assert_refused(
            {"sale_order_id": False, "lot_ids": [Command.set(self.lot_toaster.ids)]},
            "is a lot of Toaster T1, not of Kettle K1",
        )

    def test_lot_not_delivered_on_the_order(self):
        self.assert_refused(
            {"lot_ids": [Command.set(self.lot_b.ids)]},
            "Lot K1-B was not delivered to Alice Buyer on order",
        )

    def test_quantity_must_be_positive(self):
        self.assert_refused({"affected_qty": -1}, "must be positive")

    def test_quantity_cannot_exceed_delivered(self):
        self.assert_refused({"affected_qty": 11}, "Only 10.0 Units of Kettle K1 were delivered")

    def test_nothing_delivered_yet(self):
        self.assert_refused(
            {"sale_order_id": self.order_undelivered.id, "lot_ids": [], "affected_qty": 1},
            "Only 0.0 Units",
        )

    def test_order_of_another_customer(self):
        self.assert_refused({"partner_id": self.bob.id}, "was sold to Alice Buyer, not to Bob Shop")

    def test_order_line_of_another_order(self):
        self.assert_refused(
            {"sale_line_id": self.order_bob.order_line[0].id},
            "does not belong to order",
        )

    def test_product_not_on_the_order(self):
        self.assert_refused(
            {"product_id": self.toaster.id, "lot_ids": []}, "has no line for Toaster T1"
        )

    def test_purchase_date_in_the_future(self):
        self.assert_refused(
            {"sale_order_id": False, "purchase_date": "2999-01-01"}, "is in the future"
        )

    def test_wrong_write_changes_nothing(self):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        with self.assertRaises(ValidationError):
            ticket.write({"affected_qty": 99})
        self.assertEqual(ticket.affected_qty, 2)

    def test_ordinary_ticket_is_not_checked(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.complaint_vals(is_quality_complaint=False, team_id=False, affected_qty=99)
        )
        self.assertFalse(ticket.is_quality_complaint)
        with self.assertRaises(UserError) as err:
            ticket.action_register_complaint()
        self.assertIn("is not a quality complaint", str(err.exception))

    def test_company_numbers_must_be_sensible(self):
        with self.assertRaises(ValidationError):
            self.company.qc_first_contact_hours = 0

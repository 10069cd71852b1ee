from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

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

    def test_lot_of_another_product_delivered_on_the_same_order(self):
        # Bob received toaster lot T1-A on the order of his kettles: the lot is
        # delivered there, it is just not a kettle lot.
        self.assert_refused(
            {
                "partner_id": self.bob.id,
                "sale_order_id": self.order_bob.id,
                "sale_line_id": False,
                "lot_ids": [Command.set(self.lot_toaster.ids)],
            },
            "Lot T1-A is a lot of Toaster T1, not of Kettle K1.",
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


@tagged("post_install", "-at_install")
class TestPurchaseDateTimeZone(QualityComplaintCase):
    """The purchase date and "today" are days of the company, not of the user:
    at 11:30 UTC on 10 March 2026 it is already the 11th in Auckland and still
    the 10th in Los Angeles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        group = "quality_complaint.group_complaint_user"
        cls.kiwi = new_test_user(cls.env, login="qc_kiwi", groups=group, tz="Pacific/Auckland")
        cls.angeleno = new_test_user(
            cls.env, login="qc_angeleno", groups=group, tz="America/Los_Angeles"
        )

    def create_as(self, user, **overrides):
        return self.env["helpdesk.ticket"].with_user(user).create(self.complaint_vals(**overrides))

    @freeze_time("2026-03-10 11:30:00")
    def test_purchase_date_from_the_order_is_the_companys_day(self):
        self.company.partner_id.tz = "UTC"
        self.order_alice.effective_date = datetime(2026, 3, 10, 11, 0)
        for user in (self.kiwi, self.angeleno):
            ticket = self.create_as(user)
            self.assertEqual(ticket.purchase_date, date(2026, 3, 10), user.tz)

    @freeze_time("2026-03-10 11:30:00")
    def test_future_is_judged_on_the_companys_day(self):
        self.company.partner_id.tz = "UTC"
        with self.assertRaises(ValidationError, msg="the 11th is tomorrow for the company"):
            self.create_as(self.kiwi, sale_order_id=False, purchase_date="2026-03-11")
        ticket = self.create_as(self.angeleno, sale_order_id=False, purchase_date="2026-03-10")
        # In Auckland the company's day is already the 11th: a Los Angeles user
        # (still on the 10th) may enter it, and the Auckland user may edit it.
        self.company.partner_id.tz = "Pacific/Auckland"
        self.create_as(self.angeleno, sale_order_id=False, purchase_date="2026-03-11")
        ticket.with_user(self.kiwi).purchase_date = "2026-03-11"
        self.assertEqual(ticket.purchase_date, date(2026, 3, 11))

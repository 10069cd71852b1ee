from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .test_remedy_credit_note import RemedyCase


@tagged("post_install", "-at_install")
class TestRemedyWarranty(RemedyCase):
    def test_warranty_extended_on_the_lot_from_the_purchase(self):
        ticket = self.register()
        purchase = ticket.purchase_date
        self.assertEqual(purchase, self.order_alice.effective_date.date())
        remedy = self.add_remedy(ticket, self.warranty)
        with freeze_time(self.now):
            remedy.action_execute()
        end = purchase + relativedelta(months=12)
        self.assertEqual(remedy.state, "executed", "done at once")
        self.assertEqual(remedy.executed_by_id, self.cs_user)
        self.assertEqual(self.lot_a.qc_warranty_end_date, end)
        self.assertEqual(remedy.warranty_end_date, end)
        self.assertEqual(remedy.lot_ids, self.lot_a, "the complaint's lot")
        self.assertEqual(
            remedy.customer_info, f"warranty extended until {format_date(self.env, end)}"
        )
        self.assertEqual(remedy.document_ref, "K1-A")
        self.assertEqual(ticket.qc_warranty_end_date, end)
        action = remedy.action_open_document()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.lot", self.lot_a.id))
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = self.lot_a.message_ids.tracking_value_ids.filtered(
            lambda t: t.field_id.name == "qc_warranty_end_date"
        )
        self.assertEqual(tracked.mail_message_id.author_id, self.cs_user.partner_id)

    def test_later_complaint_shows_it_and_extends_from_it(self):
        first = self.register()
        self.add_remedy(first, self.warranty).action_execute()
        end = self.lot_a.qc_warranty_end_date
        later = self.register(
            partner_id=self.bob.id, sale_order_id=self.order_bob.id, sale_line_id=False
        )
        self.assertEqual(later.lot_ids, self.lot_a)
        self.assertEqual(
            later.with_user(self.cs_user).qc_warranty_end_date, end, "seen on the new complaint"
        )
        remedy = self.add_remedy(later, self.warranty, warranty_months=6)
        remedy.action_execute()
        self.assertEqual(self.lot_a.qc_warranty_end_date, end + relativedelta(months=6))
        self.assertEqual(later.qc_warranty_end_date, end + relativedelta(months=6))

    def test_named_lots_and_today_without_purchase_date(self):
        """Without an order, the lots the customer received are extended from
        today; a lot never delivered to her is not."""
        ticket = self.register(register=False, sale_order_id=False, lot_ids=[Command.clear()])
        self.assertFalse(ticket.purchase_date)
        remedy = self.add_remedy(ticket, self.warranty, lot_ids=[Command.set(self.lot_a.ids)])
        with freeze_time(self.now):
            remedy.action_execute()
        self.assertEqual(
            self.lot_a.qc_warranty_end_date, self.now.date() + relativedelta(months=12)
        )
        self.assertFalse(self.lot_b.qc_warranty_end_date, "only the named lot")

    def test_without_lot_refused(self):
        ticket = self.register(
            register=False,
            sale_order_id=False,
            product_id=self.toaster.id,
            lot_ids=[Command.clear()],
        )
        remedy = self.add_remedy(ticket, self.warranty)
        with self.assertRefused("name the serial/lot numbers"):
            remedy.action_execute()
        self.assertUnchanged(remedy)
        self.assertFalse(remedy.warranty_end_date)

    def test_lot_of_another_customer_refused(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.warranty, lot_ids=[Command.set(self.lot_b.ids)])
        with self.assertRefused("lot K1-B was not delivered to Alice Buyer"):
            remedy.action_execute()
        self.assertUnchanged(remedy)
        self.assertFalse(self.lot_b.qc_warranty_end_date)

    def test_executing_twice_refused(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.warranty)
        remedy.action_execute()
        end = self.lot_a.qc_warranty_end_date
        with self.assertRefused("cannot be executed again"):
            remedy.action_execute()
        self.assertEqual(self.lot_a.qc_warranty_end_date, end, "extended once")


@tagged("post_install", "-at_install")
class TestRemedyInstructions(RemedyCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leaflet = cls.env["ir.attachment"].create(
            {
                "name": "surface-care.pdf",
                "raw": b"%PDF-1.4 surface care",
                "res_model": "mail.template",
                "res_id": cls.instructions.mail_template_id.id,
            }
        )
        cls.instructions.mail_template_id.attachment_ids = [Command.link(cls.leaflet.id)]

    def test_instructions_reach_the_customer_with_the_attachment(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.instructions)
        sent_at = self.now + timedelta(days=1)
        with freeze_time(sent_at):
            remedy.action_execute()
        message = remedy.message_id
        self.assertEqual(remedy.state, "executed", "done at once")
        self.assertEqual(message.model, "helpdesk.ticket")
        self.assertEqual(message.res_id, ticket.id, "in the complaint's chatter")
        self.assertEqual(message.message_type, "comment")
        self.assertFalse(message.is_internal)
        self.assertIn("how to repair the surface", message.subject)
        self.assertIn("polishing paste", str(message.body))
        self.assertIn(self.alice, message.partner_ids)
        notified = message.notification_ids.filtered(lambda n: n.res_partner_id == self.alice)
        self.assertEqual(notified.notification_type, "email", "the customer gets an e-mail")
        self.assertEqual(message.attachment_ids.mapped("name"), ["surface-care.pdf"])
        self.assertEqual(message.attachment_ids.raw, b"%PDF-1.4 surface care")
        self.assertEqual(
            (message.attachment_ids.res_model, message.attachment_ids.res_id),
            ("helpdesk.ticket", ticket.id),
            "a copy on the complaint; the template keeps its leaflet",
        )
        self.assertEqual(self.instructions.mail_template_id.attachment_ids, self.leaflet)
        self.assertEqual(
            remedy.customer_info,
            f"instructions sent on {format_date(self.env, sent_at.date())}",
        )
        with self.assertRefused("cannot be executed again"):
            remedy.action_execute()
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: m.subject == message.subject)), 1
        )

    def test_type_without_message_refused(self):
        kind = self.env["quality.complaint.remedy.type"].create(
            {"name": "Care tips", "action": "instructions"}
        )
        ticket = self.register()
        remedy = self.add_remedy(ticket, kind)
        before = ticket.message_ids
        with self.assertRefused("has no message to send"):
            remedy.action_execute()
        self.assertUnchanged(remedy)
        self.assertEqual(ticket.message_ids, before, "nothing sent")

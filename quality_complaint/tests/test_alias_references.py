"""E-mails to the complaints alias fill Table 1 with the sender's own order and
lots, and only those: the e-mails go through the real mail gateway."""

from datetime import timedelta

from odoo import Command, fields
from odoo.addons.mail.tests.common import MockEmail
from odoo.tests import tagged

from .common import QualityComplaintCase

ALIAS_MAIL = """Return-Path: {return_path}
To: {to}
cc: {cc}
Received: by mail1.example.com (Postfix, from userid 10002)
    id 5DF9ABFB2A; Fri, 10 Aug 2012 16:16:39 +0200 (CEST)
From: {email_from}
Subject: {subject}
MIME-Version: 1.0
Content-Type: text/html; charset="utf-8"
Content-Transfer-Encoding: 8bit
Date: {date}
Message-ID: {msg_id}
{extra}

{body}
"""

NOTE_TITLE = "These references of the e-mail were not used in Table 1:"


@tagged("post_install", "-at_install")
class TestAliasReferences(QualityComplaintCase, MockEmail):
    """Alice bought lot K1-A on her order; Bob bought lot K1-A and the toaster lot
    T1-A on his (see QualityComplaintCase)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.team.write({"alias_name": "complaints", "alias_domain_id": cls.mail_alias_domain.id})
        cls.alias = f"complaints@{cls.alias_domain}"
        cls.bea = cls.env["res.partner"].create(
            {"name": "Bea Buyer", "email": "bea@bobshop.example.com", "parent_id": cls.bob.id}
        )
        cls.note_subtype = cls.env.ref("mail.mt_note")
        cls.partner_root = cls.env.ref("base.partner_root")

    def mail_in(self, subject, body="<p>It leaks.</p>", email_from="alice@example.com", **kw):
        ticket = self.format_and_process(
            ALIAS_MAIL,
            email_from,
            self.alias,
            subject=subject,
            body=body,
            target_model="helpdesk.ticket",
            target_field="name",
            **kw,
        )
        self.assertEqual(len(ticket), 1, "the e-mail to the alias opened one ticket")
        self.assertTrue(ticket.is_quality_complaint)
        self.assertEqual(ticket.team_id, self.team)
        return ticket

    def reply(self, ticket, body, email_from="alice@example.com"):
        first = ticket.message_ids.filtered(lambda m: m.message_type == "email")[-1:]
        self.format_and_process(
            ALIAS_MAIL,
            email_from,
            self.alias,
            subject=f"Re: {ticket.name}",
            body=body,
            extra=f"In-Reply-To: {first.message_id}\nReferences: {first.message_id}",
            target_model="helpdesk.ticket",
            target_field="name",
        )
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: m.message_type == "email")),
            2,
            "the reply landed on the complaint",
        )

    def notes(self, ticket):
        """The system's notes on the complaint (the mail gateway's are OdooBot's)."""
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and m.author_id == self.partner_root
        )

    def assert_internal_note(self, ticket, *lines, title=NOTE_TITLE):
        """One internal note, naming each line; nothing of it reaches the customer."""
        note = self.notes(ticket)
        self.assertEqual(len(note), 1, "one note about the unused references")
        self.assertIn(title, note.body)
        self.assertEqual(note.subtype_id, self.note_subtype)
        self.assertTrue(note.subtype_id.internal, "the note is internal")
        self.assertFalse(note.partner_ids, "nobody is sent the note")
        self.assertFalse(note.notification_ids, "nobody is notified of it")
        self.assertFalse(
            self.env["mail.mail"].search([("mail_message_id", "=", note.id)]),
            "no e-mail carries it",
        )
        for line in lines:
            self.assertIn(line, note.body)
        return note

    def assert_nothing_filled(self, ticket):
        self.assertFalse(ticket.sale_order_id)
        self.assertFalse(ticket.sale_line_id)
        self.assertFalse(ticket.product_id)
        self.assertFalse(ticket.lot_ids)

    # ------------------------------------------------------------ the sender's own
    def test_own_order_in_subject(self):
        ticket = self.mail_in(f"Order {self.order_alice.name}: kettle leaks")
        self.assertEqual(ticket.partner_id, self.alice)
        self.assertEqual(ticket.sale_order_id, self.order_alice)
        self.assertEqual(ticket.sale_line_id, self.order_alice.order_line)
        self.assertEqual(ticket.product_id, self.kettle, "the order's only product")
        self.assertFalse(ticket.lot_ids, "no lot was named")
        self.assertTrue(ticket.purchase_date, "the purchase date follows from the order")
        self.assertFalse(self.notes(ticket))

    def test_own_order_in_lower_case_with_punctuation(self):
        name = self.order_alice.name.lower()
        ticket = self.mail_in("Kettle leaks", body=f"<p>My order was {name}.</p>")
        self.assertEqual(ticket.sale_order_id, self.order_alice)

    def test_own_lot_in_html_body(self):
        body = "<div><p>The kettle of lot <b>K1-A</b> leaks.</p><p>Regards, Alice</p></div>"
        ticket = self.mail_in("Kettle leaks", body=body)
        self.assertEqual(ticket.lot_ids, self.lot_a)
        self.assertEqual(ticket.product_id, self.kettle)
        self.assertEqual(ticket.sale_order_id, self.order_alice, "the lot's order")
        self.assertEqual(ticket.sale_line_id, self.order_alice.order_line)
        self.assertFalse(self.notes(ticket))

    def test_order_and_lot_from_a_contact_of_the_customer(self):
        """Bea works for Bob: Bob's order and its toaster lot are hers to name;
        the order has two products, the lot says which line."""
        ticket = self.mail_in(
            f"Complaint about {self.order_bob.name}",
            body="<p>The toaster (lot T1-A) burns the bread.</p>",
            email_from="bea@bobshop.example.com",
        )
        toaster_line = self.order_bob.order_line.filtered(
            lambda line: line.product_id == self.toaster
        )
        self.assertEqual(ticket.partner_id, self.bea)
        self.assertEqual(ticket.sale_order_id, self.order_bob)
        self.assertEqual(ticket.sale_line_id, toaster_line)
        self.assertEqual(ticket.product_id, self.toaster)
        self.assertEqual(ticket.lot_ids, self.lot_toaster)
        self.assertFalse(self.notes(ticket))

    def test_order_with_two_products_fills_the_order_only(self):
        ticket = self.mail_in(f"{self.order_bob.name} defective", email_from="bob@example.com")
        self.assertEqual(ticket.sale_order_id, self.order_bob)
        self.assertFalse(ticket.sale_line_id, "two products: the line is not guessed")
        self.assertFalse(ticket.product_id)

    def test_customer_reference_of_own_order(self):
        self.order_alice.client_order_ref = "PO-4711"
        ticket = self.mail_in("Kettle leaks", body="<p>Our purchase order PO-4711.</p>")
        self.assertEqual(ticket.sale_order_id, self.order_alice)
        # Bob writing the same words names nothing of his: no order, no note.
        bob_ticket = self.mail_in(
            "Toaster burns", body="<p>Our purchase order PO-4711.</p>", email_from="bob@example.com"
        )
        self.assert_nothing_filled(bob_ticket)
        self.assertFalse(self.notes(bob_ticket))

    def test_no_reference(self):
        ticket = self.mail_in(
            "Kettle leaks", body="<p>It leaks since 2 weeks, 3 times a day, model 2024.</p>"
        )
        self.assert_nothing_filled(ticket)
        self.assertFalse(self.notes(ticket), "nothing named, nothing to note")

    # ------------------------------------------------------------ not the sender's
    def test_another_customers_order(self):
        ticket = self.mail_in(f"Order {self.order_bob.name}: kettle leaks")
        self.assert_nothing_filled(ticket)
        self.assert_internal_note(ticket, f"{self.order_bob.name}: it was sold to another customer")

    def test_another_customers_lot(self):
        ticket = self.mail_in("Toaster burns", body="<p>Lot T1-A.</p>")
        self.assert_nothing_filled(ticket)
        self.assert_internal_note(ticket, "T1-A: it was not delivered to this customer")

    def test_own_order_and_another_customers_lot(self):
        ticket = self.mail_in(f"Order {self.order_alice.name}", body="<p>Lots K1-A and T1-A.</p>")
        self.assertEqual(ticket.sale_order_id, self.order_alice)
        self.assertEqual(ticket.lot_ids, self.lot_a, "only her own lot")
        self.assertEqual(ticket.product_id, self.kettle)
        self.assert_internal_note(ticket, "T1-A: it was not delivered to this customer")

    def test_unknown_sender_naming_an_order(self):
        ticket = self.mail_in(
            f"Order {self.order_alice.name}",
            body="<p>Lot K1-A leaks.</p>",
            email_from="stranger@nowhere.example.com",
        )
        self.assertFalse(ticket.partner_id)
        self.assert_nothing_filled(ticket)
        self.assert_internal_note(
            ticket,
            f"{self.order_alice.name}: the sender is not a known customer",
            "K1-A: the sender is not a known customer",
        )

    def test_not_from_the_mail_gateway(self):
        """Called over RPC, message_new fills nothing, whatever author it claims."""
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .with_context(default_team_id=self.team.id)
            .message_new(
                {
                    "subject": f"Order {self.order_alice.name}",
                    "body": "<p>Lot K1-A</p>",
                    "author_id": self.alice.id,
                    "from": "alice@example.com",
                },
                {"team_id": self.team.id},
            )
        )
        self.assertEqual(ticket.partner_id, self.alice)
        self.assert_nothing_filled(ticket)

    # ------------------------------------------------------------ replies
    def test_reply_on_received_complaint_fills(self):
        ticket = self.mail_in("Kettle leaks again")
        self.assert_nothing_filled(ticket)
        self.reply(ticket, f"<p>Sorry, the order is {self.order_alice.name}, lot K1-A.</p>")
        self.assertEqual(ticket.sale_order_id, self.order_alice)
        self.assertEqual(ticket.lot_ids, self.lot_a)
        self.assertEqual(ticket.product_id, self.kettle)

    def test_reply_from_someone_else_fills_nothing(self):
        ticket = self.mail_in("Kettle leaks at home")
        self.reply(ticket, f"<p>Order {self.order_bob.name}</p>", email_from="bob@example.com")
        self.assert_nothing_filled(ticket)
        self.assert_internal_note(
            ticket, f"{self.order_bob.name}: the sender is not the complaint's customer"
        )

    def test_reply_on_registered_complaint_changes_nothing(self):
        mug = self.env["product.product"].create(
            {"name": "Mug M1", "type": "consu", "is_storable": True}
        )
        self.cat_cosmetic.evidence_required = False
        ticket = self.mail_in("Mug cracked", body="<p>The mug cracked in the dishwasher.</p>")
        ticket.write(
            {
                "product_id": mug.id,
                "purchase_date": fields.Date.today() - timedelta(days=30),
                "occurrence": "In the dishwasher.",
                "impact_level": "cosmetic",
                "defect_category_id": self.cat_cosmetic.id,
                "customer_request": "exchange",
            }
        )
        ticket.action_register_complaint()
        self.assertEqual(ticket.complaint_state, "registered")
        self.reply(ticket, f"<p>The order was {self.order_alice.name}, lot K1-A.</p>")
        self.assertFalse(ticket.sale_order_id, "a registered complaint is not changed")
        self.assertFalse(ticket.lot_ids)
        self.assertEqual(ticket.product_id, mug)
        self.assertFalse(self.notes(ticket))

    def test_reply_with_an_order_already_set_changes_nothing(self):
        ticket = self.mail_in(f"Order {self.order_alice.name}")
        other = self.order_undelivered
        self.reply(ticket, f"<p>Or maybe {other.name}.</p>")
        self.assertEqual(ticket.sale_order_id, self.order_alice)

    def test_note_in_the_company_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["quality_complaint"], ["zh_CN"])
        self.company.partner_id.lang = "zh_CN"
        ticket = self.mail_in(f"Order {self.order_bob.name}")
        self.assert_internal_note(
            ticket,
            f"{self.order_bob.name}: 该订单售予其他客户",
            title="邮件中的以下参考号未用于表一",
        )

    # ------------------------------------------------------------ which order, which lots
    def test_own_undelivered_order_fills_the_order_only(self):
        """Nothing delivered yet on the order: the order, no product to complain of,
        and the e-mail is received all the same."""
        ticket = self.mail_in(f"Order {self.order_undelivered.name} damaged")
        self.assertEqual(ticket.sale_order_id, self.order_undelivered)
        self.assertFalse(ticket.sale_line_id)
        self.assertFalse(ticket.product_id)
        self.assertFalse(self.notes(ticket))

    def test_own_quotation_is_not_an_order(self):
        quotation = self.env["sale.order"].create(
            {
                "partner_id": self.alice.id,
                "order_line": [Command.create({"product_id": self.kettle.id})],
            }
        )
        ticket = self.mail_in(f"About {quotation.name}")
        self.assert_nothing_filled(ticket)
        self.assert_internal_note(ticket, f"{quotation.name}: it is not a confirmed order")

    def test_two_own_orders_named(self):
        ticket = self.mail_in(f"Orders {self.order_alice.name} and {self.order_undelivered.name}")
        self.assert_nothing_filled(ticket)
        self.assert_internal_note(
            ticket,
            f"{self.order_alice.name}: several orders are named: choose the complained one",
            f"{self.order_undelivered.name}: several orders are named",
        )

    def test_two_own_orders_and_a_lot_take_the_lots_order(self):
        ticket = self.mail_in(
            f"Orders {self.order_alice.name} and {self.order_undelivered.name}",
            body="<p>Lot K1-A</p>",
        )
        self.assertEqual(ticket.sale_order_id, self.order_alice)
        self.assertEqual(ticket.lot_ids, self.lot_a)
        self.assert_internal_note(
            ticket,
            f"{self.order_undelivered.name}: the named lots were delivered on order "
            f"{self.order_alice.name}",
        )

    def test_own_lot_not_delivered_on_the_named_order(self):
        ticket = self.mail_in(f"Order {self.order_undelivered.name}", body="<p>Lot K1-A</p>")
        self.assertEqual(ticket.sale_order_id, self.order_undelivered)
        self.assertFalse(ticket.lot_ids)
        self.assert_internal_note(
            ticket, f"K1-A: it was not delivered on order {self.order_undelivered.name}"
        )

    def test_what_cannot_be_filled_is_noted_and_the_reply_kept(self):
        """Customer service set the toaster; the reply names Alice's kettle order:
        the complaint's own checks refuse it, the note says why, the reply is kept."""
        ticket = self.mail_in("Something broke")
        ticket.product_id = self.toaster
        self.reply(ticket, f"<p>Order {self.order_alice.name}</p>")
        self.assertFalse(ticket.sale_order_id)
        self.assertEqual(ticket.product_id, self.toaster)
        self.assert_internal_note(ticket, f"Table 1: Order {self.order_alice.name} has no line")

    def test_queries_do_not_grow_with_the_words(self):
        """A long e-mail costs the same queries as a short one."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        short = Ticket._qc_mail_words({"subject": "K1-A", "body": "<p>S1 S2</p>"})
        many = " ".join(f"REF{n:05d} LOT-{n}" for n in range(150))
        long_body = f"<p>{many}</p>"
        long = Ticket._qc_mail_words({"subject": "K1-A", "body": long_body})
        self.assertGreater(len(long), 10 * len(short))
        counts = []
        for words in (short, long):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            Ticket._qc_mail_candidates(words, self.company, self.alice)
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1], "the same queries for 3 or 200 words")
        self.assertLessEqual(counts[1], 6)

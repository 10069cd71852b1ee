from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.quality_complaint.tests.common import QualityComplaintCase, other_company_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged


class RemedyCase(QualityComplaintCase):
    """Alice's registered complaint about her kettles of lot A, handled by customer
    service; an accountant posts the credit notes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.now = datetime.now().replace(microsecond=0) + timedelta(days=3)
        cls.accountant = new_test_user(
            cls.env,
            login="qc_accountant",
            name="Anna Accountant",
            groups="account.group_account_invoice",
        )
        cls.company.qc_remedy_approval_limit = 1000.0
        cls.compensation = cls.env.ref("quality_complaint_remedy.remedy_type_compensation")
        cls.refund = cls.env.ref("quality_complaint_remedy.remedy_type_refund")
        cls.warranty = cls.env.ref("quality_complaint_remedy.remedy_type_warranty")
        cls.instructions = cls.env.ref("quality_complaint_remedy.remedy_type_instructions")

    def register(self, user=None, register=True, **overrides):
        with freeze_time(self.now):
            Ticket = self.env["helpdesk.ticket"].with_user(user or self.cs_user)
            ticket = Ticket.create(self.complaint_vals(**overrides))
            if register:
                ticket.action_register_complaint()
        return ticket

    @contextmanager
    def assertRefused(self, pattern):
        """A clear message, and the transaction rolled back as a request would be."""
        with self.assertRaises(UserError) as refused:
            yield refused
        self.assertRegex(str(refused.exception), pattern)

    def assertUnchanged(self, remedy, state="planned"):
        """The database after a refused action, as the user sees it next."""
        self.env.invalidate_all()
        self.assertEqual(remedy.state, state, "nothing changed")

    def add_remedy(self, ticket, kind, user=None, **vals):
        return (
            self.env["quality.complaint.remedy"]
            .with_user(user or self.cs_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "type_id": kind.id,
                    "name": kind.description or kind.name,
                    "product_id": ticket.product_id.id,
                    "warranty_months": kind.warranty_months,
                    **vals,
                }
            )
        )

    def credit_notes(self, partner):
        return self.env["account.move"].search(
            [("move_type", "=", "out_refund"), ("partner_id", "=", partner.id)]
        )


@tagged("post_install", "-at_install")
class TestRemedyCreditNote(RemedyCase):
    def test_compensation_is_a_draft_credit_note_in_company_currency(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        with freeze_time(self.now):
            remedy.action_execute()
        credit_note = remedy.invoice_id
        self.assertEqual(remedy.state, "in_progress", "executed once the credit note is posted")
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "draft",
                    "partner_id": self.alice.id,
                    "company_id": self.company.id,
                    "currency_id": self.company.currency_id.id,
                    "invoice_origin": ticket.number,
                    "amount_total": 500.0,
                    "amount_tax": 0.0,
                }
            ],
        )
        line = credit_note.invoice_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.name, remedy.name)
        self.assertFalse(line.product_id, "a compensation sells nothing")
        self.assertFalse(line.tax_ids, "a compensation bears no tax")
        self.assertEqual(line.account_id, credit_note.journal_id.default_account_id)
        self.assertEqual(credit_note.journal_id.type, "sale")
        self.assertEqual(ticket.qc_credit_note_count, 1)
        self.assertEqual(remedy.with_user(self.officer).cost, 500.0)
        self.assertEqual(remedy.document_ref, "Draft credit note")
        self.assertIn("500.00", remedy.customer_info)
        action = ticket.with_user(self.cs_user).action_view_remedy_credit_notes()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.move", credit_note.id))

    def test_posting_the_credit_note_executes_the_remedy(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        credit_note = remedy.invoice_id
        with self.assertRaises(AccessError):
            credit_note.with_user(self.cs_user).action_post()
        self.assertEqual(credit_note.state, "draft", "accounting posts, not customer service")
        with freeze_time(self.now + timedelta(hours=2)):
            credit_note.with_user(self.accountant).action_post()
        self.assertEqual(credit_note.state, "posted")
        self.assertRecordValues(
            remedy,
            [
                {
                    "state": "executed",
                    "executed_by_id": self.accountant.id,
                    "executed_date": self.now + timedelta(hours=2),
                    "document_ref": credit_note.name,
                }
            ],
        )
        self.assertIn(credit_note.name, remedy.customer_info)
        self.assertIn("500.00", remedy.customer_info, "the customer is told number and amount")
        self.assertEqual(ticket.qc_remedy_state, "executed")

    def test_credit_note_for_the_commercial_partner(self):
        buyer = self.env["res.partner"].create(
            {"name": "Bea Buyer", "parent_id": self.bob.id, "email": "bea@example.com"}
        )
        ticket = self.register(
            partner_id=buyer.id,
            sale_order_id=self.order_bob.id,
            sale_line_id=False,
            lot_ids=[Command.set(self.lot_a.ids)],
        )
        remedy = self.add_remedy(ticket, self.compensation, amount=100.0)
        remedy.action_execute()
        self.assertEqual(remedy.invoice_id.partner_id, self.bob, "the company is credited")

    def test_customer_of_another_company_is_refused(self):
        other = self.env["res.company"].create({"name": "Other Kettles"})
        stranger = self.env["res.partner"].create(
            {"name": "Olga Other", "email": "olga@example.com", "company_id": other.id}
        )
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .create(self.complaint_vals(partner_id=stranger.id, sale_order_id=False))
        )
        remedy = self.add_remedy(ticket, self.compensation, amount=100.0)
        with self.assertRefused("belongs to Other Kettles"):
            remedy.action_execute()
        self.assertUnchanged(remedy)
        self.assertFalse(remedy.invoice_id)
        self.assertFalse(self.credit_notes(stranger))

    def test_zero_or_negative_amount_is_refused(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=0.0)
        with self.assertRefused("enter a positive amount"):
            remedy.action_execute()
        with self.assertRefused("enter a positive amount"):
            remedy.action_approve()
        self.assertEqual(remedy.state, "planned")
        self.assertFalse(self.credit_notes(self.alice))
        with self.assertRaises(ValidationError) as refused:
            remedy.amount = -50.0
        self.assertIn("cannot be negative", str(refused.exception))
        self.assertEqual(remedy.amount, 0.0)
        self.assertFalse(self.credit_notes(self.alice))

    def test_executing_twice_is_refused(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        with self.assertRefused("cannot be executed again"):
            remedy.action_execute()
        remedy.invoice_id.with_user(self.accountant).action_post()
        with self.assertRefused("cannot be executed again"):
            remedy.action_execute()
        self.assertEqual(len(self.credit_notes(self.alice)), 1, "one credit note, not two")

    def test_cancelling_the_remedy_cancels_its_draft_credit_note(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        remedy.action_cancel()
        self.assertEqual(remedy.state, "cancelled")
        self.assertEqual(remedy.invoice_id.state, "cancel")
        self.assertNotIn("executed again", str(remedy.message_ids.mapped("body")))

    def test_credit_note_cancelled_by_accounting_sends_the_remedy_back_to_execution(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        credit_note = remedy.invoice_id
        credit_note.with_user(self.accountant).button_cancel()
        self.assertEqual(credit_note.state, "cancel")
        self.assertEqual(remedy.state, "approved")
        self.assertFalse(remedy.invoice_id)
        # the amount is formatted with a non-breaking space (&nbsp; in the note)
        note = f"{remedy.name} is to be executed again."
        for record in (remedy, ticket):
            notes = record.message_ids.filtered(
                lambda m: "The draft credit note of" in m.body and "500.00" in m.body
            )
            self.assertEqual(len(notes), 1)
            self.assertIn(f"was cancelled: {note}", notes.body)
        remedy.action_execute()
        self.assertEqual(remedy.state, "in_progress")
        self.assertEqual(remedy.invoice_id.state, "draft")
        self.assertNotEqual(remedy.invoice_id, credit_note, "a new credit note")
        self.assertEqual(len(self.credit_notes(self.alice)), 2, "the cancelled one and the new")

    def test_other_refunds_are_left_alone(self):
        """Posting a credit note made by accounting itself executes no remedy."""
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        own = (
            self.env["account.move"]
            .with_user(self.accountant)
            .create(
                {
                    "move_type": "out_refund",
                    "partner_id": self.alice.id,
                    "invoice_line_ids": [Command.create({"name": "Goodwill", "price_unit": 5.0})],
                }
            )
        )
        own.action_post()
        self.assertEqual(remedy.state, "in_progress")


@tagged("post_install", "-at_install")
class TestRemedyApprovalLimit(RemedyCase):
    def test_above_the_limit_a_quality_manager_approves(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=1500.0)
        self.assertTrue(remedy.needs_manager_approval)
        with self.assertRefused("a quality manager must approve it"):
            remedy.action_approve()
        with self.assertRefused("a quality manager must approve it"):
            remedy.action_execute()
        self.assertEqual(remedy.state, "planned")
        self.assertFalse(self.credit_notes(self.alice), "nothing is credited unapproved")
        with freeze_time(self.now):
            remedy.with_user(self.manager).action_approve()
        self.assertRecordValues(
            remedy,
            [{"state": "approved", "approved_by_id": self.manager.id, "approved_date": self.now}],
        )
        remedy.action_execute()
        self.assertEqual(remedy.invoice_id.amount_total, 1500.0)

    def test_below_the_limit_customer_service_approves_and_executes(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=1000.0)
        self.assertFalse(remedy.needs_manager_approval, "the limit itself is allowed")
        remedy.action_approve()
        self.assertEqual(remedy.approved_by_id, self.cs_user)
        remedy.action_execute()
        self.assertEqual(remedy.invoice_id.amount_total, 1000.0)

    def test_no_limit(self):
        self.company.qc_remedy_approval_limit = 0.0
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=25000.0)
        remedy.action_execute()
        self.assertEqual(remedy.approved_by_id, self.cs_user)
        self.assertEqual(remedy.invoice_id.amount_total, 25000.0)


@tagged("post_install", "-at_install")
class TestRemedyOtherCompany(RemedyCase):
    """A second company, in euros, with its own approval limit of 200 euros."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cs_eu, cls.company_eu = other_company_user(
            cls.env, "qc_cs_eu", "quality_complaint.group_complaint_user"
        )
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        if cls.company.currency_id == cls.eur:
            cls.eur = cls.env.ref("base.CHF")
            cls.eur.active = True
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company_eu, install_demo=False
        )
        cls.company_eu.currency_id = cls.eur
        cls.company_eu.qc_remedy_approval_limit = 200.0
        cls.manager_eu = new_test_user(
            cls.env,
            login="qc_manager_eu",
            groups="quality_complaint.group_complaint_manager",
            company_id=cls.company_eu.id,
            company_ids=[Command.set(cls.company_eu.ids)],
        )
        cls.accountant_eu = new_test_user(
            cls.env,
            login="qc_accountant_eu",
            groups="account.group_account_invoice",
            company_id=cls.company_eu.id,
            company_ids=[Command.set(cls.company_eu.ids)],
        )
        cls.emil = cls.env["res.partner"].create({"name": "Emil Euro", "email": "e@example.com"})

    def ticket_eu(self):
        return (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_eu)
            .create(
                {
                    "name": "Scratched kettle",
                    "description": "<p>Scratched on arrival.</p>",
                    "partner_id": self.emil.id,
                    "company_id": self.company_eu.id,
                }
            )
        )

    def test_own_limit_and_currency(self):
        ticket = self.ticket_eu()
        remedy = self.add_remedy(ticket, self.compensation, user=self.cs_eu, amount=300.0)
        self.assertEqual(remedy.currency_id, self.eur)
        self.assertTrue(remedy.needs_manager_approval, "300 is above this company's 200")
        with self.assertRefused("a quality manager must approve it"):
            remedy.with_user(self.cs_eu).action_execute()
        remedy.with_user(self.manager_eu).action_approve()
        remedy.with_user(self.cs_eu).action_execute()
        credit_note = remedy.invoice_id
        self.assertRecordValues(
            credit_note,
            [
                {
                    "company_id": self.company_eu.id,
                    "currency_id": self.eur.id,
                    "amount_total": 300.0,
                    "partner_id": self.emil.id,
                }
            ],
        )
        credit_note.with_user(self.accountant_eu).action_post()
        self.assertEqual(remedy.state, "executed")

    def test_same_amount_needs_no_manager_in_the_first_company(self):
        remedy = self.add_remedy(self.register(), self.compensation, amount=300.0)
        self.assertFalse(remedy.needs_manager_approval)
        remedy.action_approve()
        self.assertEqual(remedy.state, "approved")

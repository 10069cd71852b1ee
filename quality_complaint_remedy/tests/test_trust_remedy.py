"""Protected values come only from business actions, on every path of creation,
and an approval holds until the document exists (issue "Trust", §1 and §3).

The attacks are made as customer service over the web client's JSON-RPC: the
context, ``ir.default``, ``copy`` and ``load`` are the attacker's."""

from odoo.addons.quality_complaint.tests.common_rpc import call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .test_remedy_credit_note import RemedyCase


@tagged("post_install", "-at_install")
class TestRemedyApprovalHolds(RemedyCase):
    def setUp(self):
        super().setUp()
        self.gift = self.env.ref("quality_complaint_remedy.remedy_type_gift")
        self.kettle.standard_price = 49.0

    def test_changed_after_approval_goes_back_to_planned(self):
        """CS approves a 100 compensation, then writes 90,000 on it: it is planned
        again and only a quality manager approves and executes it."""
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=100.0)
        remedy.with_user(self.cs_user).action_approve()
        self.assertEqual(remedy.state, "approved")
        remedy.with_user(self.cs_user).write({"amount": 90000.0})
        self.assertRecordValues(
            remedy, [{"state": "planned", "approved_by_id": False, "approved_date": False}]
        )
        self.assertIn("approved again", remedy.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "quality manager must approve"):
            remedy.with_user(self.cs_user).action_execute()
        self.env.invalidate_all()
        self.assertFalse(remedy.invoice_id, "no credit note without the manager")
        self.assertEqual(remedy.state, "planned")
        remedy.with_user(self.manager).action_approve()
        remedy.with_user(self.cs_user).action_execute()
        self.assertEqual(remedy.invoice_id.amount_total, 90000.0)

    def test_unchanged_terms_keep_the_approval(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=100.0)
        remedy.with_user(self.cs_user).action_approve()
        remedy.with_user(self.cs_user).write({"amount": 100.0, "user_id": self.officer.id})
        self.assertEqual(remedy.state, "approved")
        self.assertEqual(remedy.approved_by_id, self.cs_user)

    def test_every_frozen_term_sends_it_back(self):
        ticket = self.register()
        other = self.register()
        for vals in (
            {"quantity": 3.0},
            {"product_id": self.toaster.id},
            {"lot_ids": [(6, 0, self.lot_b.ids)]},
            {"type_id": self.instructions.id},
            {"ticket_id": other.id},
        ):
            remedy = self.add_remedy(ticket, self.compensation, amount=50.0)
            remedy.with_user(self.cs_user).action_approve()
            remedy.with_user(self.cs_user).write(vals)
            self.assertEqual(remedy.state, "planned", f"{vals} keeps the approval")

    def test_execute_checks_the_limit_again(self):
        """An approval given under the limit does not carry a remedy that is now
        above it (the limit was lowered)."""
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=800.0)
        remedy.with_user(self.cs_user).action_approve()
        self.company.qc_remedy_approval_limit = 500.0
        with self.assertRaisesRegex(UserError, "a quality manager must"):
            remedy.with_user(self.cs_user).action_execute()
        self.env.invalidate_all()
        self.assertEqual(remedy.state, "approved")
        self.assertFalse(remedy.invoice_id)

    def test_gift_is_valued_at_cost(self):
        """A gift of 500 kettles costs 24,500: a quality manager approves it."""
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.gift, product_id=self.kettle.id, quantity=500)
        self.assertEqual(remedy._qc_value_company_currency(), 24500.0)
        self.assertTrue(remedy.needs_manager_approval)
        with self.assertRaisesRegex(UserError, "approval limit"):
            remedy.with_user(self.cs_user).action_approve()
        with self.assertRaisesRegex(UserError, "approval limit"):
            remedy.with_user(self.cs_user).action_execute()
        self.env.invalidate_all()
        self.assertEqual(remedy.state, "planned")
        self.assertFalse(remedy.picking_id)
        small = self.add_remedy(ticket, self.gift, product_id=self.kettle.id, quantity=2)
        self.assertFalse(small.needs_manager_approval)

    def test_refund_is_valued_with_its_taxes(self):
        tax = self.env["account.tax"].create(
            {"name": "VAT 25", "amount": 25.0, "type_tax_use": "sale"}
        )
        self.order_alice.order_line.tax_ids = tax
        ticket = self.register(sale_line_id=self.order_alice.order_line.id)
        self.company.qc_remedy_approval_limit = 450.0
        remedy = self.add_remedy(ticket, self.refund, quantity=10)
        self.assertAlmostEqual(remedy._qc_value_company_currency(), 500.0)
        self.assertTrue(remedy.needs_manager_approval, "10 x 40 + 25 % tax is above 450")
        remedy.quantity = 8
        self.assertAlmostEqual(remedy._qc_value_company_currency(), 400.0)
        self.assertFalse(remedy.needs_manager_approval)

    def test_warranty_has_a_company_maximum(self):
        ticket = self.register()
        with self.assertRaisesRegex(ValidationError, "24 months at most"):
            self.add_remedy(ticket, self.warranty, warranty_months=1200)
        self.company.qc_remedy_max_warranty_months = 0
        remedy = self.add_remedy(ticket, self.warranty, warranty_months=1200)
        self.company.qc_remedy_max_warranty_months = 36
        with self.assertRaisesRegex(ValidationError, "36 months at most"):
            remedy.write({"warranty_months": 48})

    def test_warranty_extends_only_the_customers_lots(self):
        """Lot B went to Bob, never to Alice: her complaint cannot extend it, even
        without an order on the complaint."""
        ticket = self.register()
        ticket.sudo().write({"sale_order_id": False, "sale_line_id": False})
        foreign = self.add_remedy(ticket, self.warranty, lot_ids=[(6, 0, self.lot_b.ids)])
        with self.assertRaisesRegex(UserError, "K1-B was not delivered to Alice"):
            foreign.with_user(self.cs_user).action_execute()
        self.env.invalidate_all()
        self.assertFalse(self.lot_b.qc_warranty_end_date)
        own = self.add_remedy(ticket, self.warranty, lot_ids=[(6, 0, self.lot_a.ids)])
        own.with_user(self.cs_user).action_execute()
        self.assertEqual(own.state, "executed")
        self.assertTrue(self.lot_a.qc_warranty_end_date)

    def test_company_of_a_remedy_follows_its_complaint(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=100.0)
        with self.assertRaisesRegex(AccessError, "cannot be set directly"):
            remedy.with_user(self.cs_user).write({"company_id": False})
        self.assertEqual(remedy.company_id, ticket.company_id)


@tagged("post_install", "-at_install")
class TestProtectedAtCreation(HttpCase, RemedyCase):
    """A protected field takes its code default for anyone but the superuser,
    whatever the context defaults, ir.default, copy() or an import say."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cs_user.password = "qc_cs_trust"

    def remedy_vals(self, ticket, amount=100.0):
        return {
            "ticket_id": ticket.id,
            "type_id": self.compensation.id,
            "name": "Compensation",
            "amount": amount,
        }

    def test_context_defaults_over_json_rpc(self):
        ticket = self.register()
        self.authenticate("qc_cs", "qc_cs_trust")
        remedy_id, error = call_kw(
            self,
            "quality.complaint.remedy",
            "create",
            [self.remedy_vals(ticket, 90000.0)],
            {
                "context": {
                    "default_state": "approved",
                    "default_approved_by_id": self.manager.id,
                    "default_approved_date": "2026-01-01 00:00:00",
                    "default_company_id": False,
                }
            },
        )
        self.assertFalse(error, error)
        remedy = self.env["quality.complaint.remedy"].browse(remedy_id)
        self.assertRecordValues(
            remedy,
            [
                {
                    "state": "planned",
                    "approved_by_id": False,
                    "approved_date": False,
                    "company_id": ticket.company_id.id,
                }
            ],
        )
        _result, error = call_kw(self, "quality.complaint.remedy", "action_execute", [[remedy_id]])
        self.assertIn("approval limit", error["message"])
        remedy.invalidate_recordset()
        self.assertFalse(remedy.invoice_id, "no 90,000 credit note without the manager")
        # a complaint cannot be created registered through the context either
        ticket_id, error = call_kw(
            self,
            "helpdesk.ticket",
            "create",
            [{"name": "Kettle leaks", "description": "<p>x</p>", "is_quality_complaint": True}],
            {
                "context": {
                    "default_complaint_state": "registered",
                    "default_ack_sent_date": "2026-01-01",
                }
            },
        )
        self.assertFalse(error, error)
        created = self.env["helpdesk.ticket"].browse(ticket_id)
        self.assertEqual(created.complaint_state, "draft")
        self.assertFalse(created.ack_sent_date)
        self.assertFalse(created.registered_date)

    def test_personal_and_company_defaults(self):
        ticket = self.register()
        Default = self.env["ir.default"].sudo()
        Default.set("quality.complaint.remedy", "state", "executed", user_id=self.cs_user.id)
        Default.set("quality.complaint.remedy", "approved_by_id", self.manager.id)
        Default.set("helpdesk.ticket", "complaint_state", "registered", user_id=self.cs_user.id)
        remedy = (
            self.env["quality.complaint.remedy"]
            .with_user(self.cs_user)
            .create(self.remedy_vals(ticket))
        )
        self.assertEqual(remedy.state, "planned")
        self.assertFalse(remedy.approved_by_id)
        self.assertFalse(remedy.executed_date)
        defaults = (
            self.env["quality.complaint.remedy"]
            .with_user(self.cs_user)
            .default_get(["state", "approved_by_id"])
        )
        self.assertEqual(defaults, {"state": "planned"}, "the form shows the code default")
        draft = self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        self.assertEqual(draft.complaint_state, "draft")

    def test_copy_starts_anew(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.instructions)
        remedy.with_user(self.cs_user).action_execute()
        self.assertEqual(remedy.state, "executed")
        copy = remedy.with_user(self.cs_user).copy()
        self.assertRecordValues(
            copy,
            [{"state": "planned", "executed_date": False, "approved_by_id": False}],
        )
        asked = remedy.with_user(self.cs_user).copy({"state": "approved", "amount": 5.0})
        self.assertEqual((asked.state, asked.amount), ("planned", 5.0))
        registered_copy = ticket.with_user(self.cs_user).copy()
        self.assertEqual(registered_copy.complaint_state, "draft")
        self.assertFalse(registered_copy.registered_by_id)

    def test_import_cannot_set_protected_fields(self):
        ticket = self.register()
        result = (
            self.env["quality.complaint.remedy"]
            .with_user(self.cs_user)
            .load(
                ["ticket_id/.id", "type_id/.id", "name", "amount", "state"],
                [[str(ticket.id), str(self.compensation.id), "Imported", "90000", "approved"]],
            )
        )
        self.assertFalse(result["ids"], "nothing imported")
        self.assertIn("cannot be set directly", str(result["messages"]))
        self.assertFalse(self.env["quality.complaint.remedy"].search([("name", "=", "Imported")]))

    def test_contacted_customer_only_by_complaint_users(self):
        """Any employee reads the ticket; only those who work complaints record
        the first response."""
        employee = new_test_user(self.env, login="qc_trust_employee", groups="base.group_user")
        ticket = self.register()
        self.env.flush_all()
        with self.assertRaisesRegex(AccessError, "may not do this"):
            ticket.with_user(employee).action_contacted_customer()
        self.assertFalse(ticket.first_response_date)
        ticket.with_user(self.cs_user).action_contacted_customer()
        self.assertTrue(ticket.first_response_date)

from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRemedyPlan(ComplaintGradingCase):
    """Customer service proposes the remedy plan of a registered complaint: its
    grade's default remedies and what the customer asked for (docs/process.md §4)."""

    def plan(self, **overrides):
        ticket = self.register(**overrides)
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        return ticket

    def test_important_exchange_plan(self):
        """Main function lost, the customer asks for an exchange: the important
        grade's warranty extension, a replacement, and the pick-up it needs."""
        ticket = self.plan(customer_request="exchange")
        self.assertEqual(ticket.grade_id, self.important)
        actions = ticket.remedy_ids.mapped("action")
        for action in ("return", "replacement", "warranty"):
            self.assertIn(action, actions)
        self.assertEqual(actions[0], "return", "the pick-up comes first")
        pickup = ticket.remedy_ids.filtered(lambda r: r.action == "return")
        self.assertEqual(pickup.lot_ids, self.lot_a)
        self.assertEqual(pickup.quantity, 2)
        replacement = ticket.remedy_ids.filtered(lambda r: r.action == "replacement")
        self.assertEqual(replacement.product_id, self.kettle)
        warranty = ticket.remedy_ids.filtered(lambda r: r.action == "warranty")
        self.assertEqual(warranty.warranty_months, 12)
        self.assertEqual(set(ticket.remedy_ids.mapped("state")), {"planned"})
        self.assertEqual(ticket.qc_remedy_state, "planned")
        self.assertEqual(ticket.stage_id.qc_step, "remedy")

    def test_urgent_plan_and_refund(self):
        """Urgent: replacement, 500 compensation and a gift; a customer asking for
        a return gets the refund of what they paid."""
        ticket = self.plan(impact_level="safety", customer_request="return")
        self.assertEqual(ticket.grade_id, self.urgent)
        by_type = {r.type_id: r for r in ticket.remedy_ids}
        compensation = by_type[self.env.ref("quality_complaint_remedy.remedy_type_compensation")]
        self.assertEqual(compensation.amount, 500)
        refund = by_type[self.env.ref("quality_complaint_remedy.remedy_type_refund")]
        sale_line = self.order_alice.order_line
        self.assertEqual(
            refund.amount,
            sale_line.currency_id.round(2 * sale_line.price_total / sale_line.product_uom_qty),
            "what the customer paid for the 2 units, tax included",
        )
        self.assertIn(self.env.ref("quality_complaint_remedy.remedy_type_gift"), by_type)
        gift_type = self.env.ref("quality_complaint_remedy.remedy_type_gift")
        self.assertEqual(
            by_type[gift_type].product_id,
            gift_type.product_id,
            "the gift the remedy type proposes (the demo's kit), not the complaint's product",
        )
        self.assertEqual(len(ticket.remedy_ids.filtered(lambda r: r.action == "return")), 1)

    def test_general_plan(self):
        ticket = self.plan(impact_level="cosmetic", customer_request="other")
        self.assertEqual(ticket.grade_id, self.general)
        self.assertIn(
            self.env.ref("quality_complaint_remedy.remedy_type_instructions"),
            ticket.remedy_ids.type_id,
        )
        self.assertNotIn("return", ticket.remedy_ids.mapped("action"))

    def test_grade_plan_is_data(self):
        """A company changes what a grade proposes."""
        self.general.remedy_type_ids = self.env.ref("quality_complaint_remedy.remedy_type_gift")
        ticket = self.plan(impact_level="cosmetic", customer_request="other")
        self.assertEqual(
            ticket.remedy_ids.type_id, self.env.ref("quality_complaint_remedy.remedy_type_gift")
        )

    def test_customer_service_removes_a_planned_remedy(self):
        ticket = self.plan()
        gift = ticket.remedy_ids[-1:]
        gift.with_user(self.cs_user).unlink()
        self.assertNotIn(gift, ticket.remedy_ids)

    def test_proposed_again_replaces_the_unapproved_plan(self):
        ticket = self.plan()
        count = len(ticket.remedy_ids)
        ticket.remedy_ids[:1].with_user(self.cs_user).action_cancel()
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        self.assertEqual(len(ticket.remedy_ids.filtered(lambda r: r.state == "planned")), count)

    def test_no_plan_before_registration(self):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        with self.assertRaisesRegex(UserError, "register the complaint"):
            ticket.with_user(self.cs_user).action_propose_remedy_plan()
        self.assertFalse(ticket.remedy_ids)

    def test_bad_input(self):
        ticket = self.plan()
        remedy = ticket.remedy_ids.filtered(lambda r: r.action == "replacement")
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            remedy.with_user(self.cs_user).quantity = -1
        remedy.with_user(self.cs_user).quantity = 0
        with self.assertRaisesRegex(UserError, "positive quantity"):
            remedy.with_user(self.cs_user).action_execute()
        self.assertEqual(remedy.state, "planned")
        with self.assertRaises(AccessError):
            remedy.with_user(self.cs_user).write({"state": "executed"})
        with self.assertRaises(AccessError):
            ticket.with_user(self.cs_user).write({"qc_plan_version": 5})
        delivery = self.order_alice.picking_ids[:1]
        with self.assertRaises(AccessError):
            remedy.with_user(self.cs_user).write({"picking_id": delivery.id})
        self.assertFalse(remedy.picking_id, "only executing the remedy links its document")
        self.assertEqual(remedy.state, "planned")

    def test_executed_plan_and_its_documents(self):
        """Once every remedy of the plan is executed, the plan is executed; an
        executed remedy is neither changed, executed again nor cancelled."""
        ticket = self.plan(impact_level="cosmetic", customer_request="other")
        lines = ticket.remedy_ids
        lines.with_user(self.cs_user).action_approve()
        self.assertEqual(set(lines.mapped("state")), {"approved"})
        self.assertEqual(lines.approved_by_id, self.cs_user)
        lines[:1]._qc_document_done()
        self.assertEqual(ticket.qc_remedy_state, "executing" if len(lines) > 1 else "executed")
        (lines - lines[:1]).with_user(self.cs_user).action_cancel()
        self.assertEqual(ticket.qc_remedy_state, "executed")
        executed = lines[:1]
        with self.assertRaisesRegex(UserError, "cannot be executed again"):
            executed.with_user(self.cs_user).action_execute()
        with self.assertRaisesRegex(UserError, "already executed"):
            executed.with_user(self.cs_user).action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            executed.with_user(self.cs_user).name = "Something else"
        with self.assertRaisesRegex(UserError, "only a planned remedy is removed"):
            executed.with_user(self.cs_user).unlink()
        self.assertEqual(ticket.qc_feedback_state, "due")

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.addons.quality_complaint.tests.common import other_company_user
from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import format_date


@tagged("post_install", "-at_install")
class TestRemedyCoupon(ComplaintGradingCase):
    """Alice complains about a scratch on her kettle (a general complaint):
    customer service gives her a coupon for 10 % off her next purchase."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coupon_type = cls.env.ref("quality_complaint_loyalty.remedy_type_coupon")
        cls.program = cls.env.ref("quality_complaint_loyalty.loyalty_program_apology")
        cls.instructions_type = cls.env.ref("quality_complaint_remedy.remedy_type_instructions")
        cls.salesperson = new_test_user(
            cls.env,
            login="qc_salesperson",
            name="Sally Sales",
            groups="sales_team.group_sale_salesman",
        )

    def setUp(self):
        super().setUp()
        self.frozen = freeze_time(self.at(0, 10))
        self.frozen.start()
        self.addCleanup(self.frozen.stop)

    def general_complaint(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .create(
                self.complaint_vals(
                    name="Scratch on the lid",
                    impact_level="cosmetic",
                    customer_request="other",
                )
            )
        )
        ticket.action_register_complaint()
        self.assertEqual(ticket.grade_id, self.general)
        ticket.action_propose_remedy_plan()
        return ticket

    def coupon_line(self, ticket):
        return ticket.remedy_ids.filtered(lambda r: r.action == "coupon")

    def alices_coupons(self):
        return self.env["loyalty.card"].search(
            [("partner_id", "=", self.alice.id), ("program_id", "=", self.program.id)]
        )

    def sell_to_alice_with_code(self, code):
        """Sally sells Alice 3 kettles (40 each) and enters the coupon code."""
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.alice.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.kettle.id, "product_uom_qty": 3, "price_unit": 40}
                        )
                    ],
                }
            )
        )
        wizard = (
            self.env["sale.loyalty.coupon.wizard"]
            .with_user(self.salesperson)
            .create({"order_id": order.id, "coupon_code": code})
        )
        action = wizard.action_apply()
        reward_wizard = Form(
            self.env["sale.loyalty.reward.wizard"]
            .with_user(self.salesperson)
            .with_context(**action["context"])
        )
        reward_wizard.selected_reward_id = self.program.reward_ids
        reward_wizard.save().action_apply()
        return order

    def test_general_plan_proposes_the_coupon(self):
        ticket = self.general_complaint()
        self.assertEqual(
            [(r.type_id, r.percent) for r in ticket.remedy_ids.sorted("sequence")],
            [(self.coupon_type, 10.0), (self.instructions_type, 0.0)],
            "the general grade's plan: a 10 % coupon and the cosmetic-repair instructions",
        )
        self.assertEqual(self.coupon_type.loyalty_program_id.program_type, "coupons")

    def test_executing_issues_the_coupon_at_once(self):
        ticket = self.general_complaint()
        line = self.coupon_line(ticket)
        action = line.action_execute()

        coupon = line.coupon_id
        self.assertEqual(coupon, self.alices_coupons(), "one coupon, reserved for Alice")
        self.assertTrue(coupon.code)
        self.assertEqual(coupon.points, 1, "one use")
        expiry = self.monday.date() + relativedelta(months=12)
        self.assertEqual(coupon.expiration_date, expiry)
        self.assertEqual(line.state, "executed", "a coupon is issued at once")
        self.assertEqual(line.executed_by_id, self.cs_user)
        self.assertEqual(line.document_ref, coupon.code)
        self.assertEqual(
            line.customer_info,
            f"coupon code {coupon.code}, 10 % off your next purchase, valid until "
            f"{format_date(self.env, expiry)}",
        )
        self.assertIs(action, True, "issued at once: the user stays on the complaint")
        document = line.with_user(self.cs_user).action_open_document()
        self.assertEqual((document["res_model"], document["res_id"]), ("loyalty.card", coupon.id))
        self.assertEqual(ticket.qc_coupon_count, 1)
        self.assertEqual(ticket.action_view_remedy_coupons()["res_id"], coupon.id)
        arch = ticket.get_view(view_type="form")["arch"]
        self.assertIn('name="action_view_remedy_coupons"', arch, "the Coupons smart button")
        self.assertEqual(ticket.with_user(self.officer).qc_remedy_cost, 0.0)
        self.assertEqual(ticket.qc_remedy_state, "executing", "the instructions are still to go")

    def test_the_coupon_gives_ten_percent_off_the_next_order_once(self):
        ticket = self.general_complaint()
        line = self.coupon_line(ticket)
        line.action_execute()

        order = self.sell_to_alice_with_code(line.coupon_id.code)
        discount = order.order_line.filtered("is_reward_line")
        self.assertEqual(discount.reward_id, self.program.reward_ids)
        self.assertAlmostEqual(order.amount_untaxed, 108.0, msg="120 less 10 %")
        order.action_confirm()
        self.assertEqual(line.coupon_id.points, 0, "the coupon is used up")
        with self.assertRaisesRegex(ValidationError, "already been used"):
            self.sell_to_alice_with_code(line.coupon_id.code)

    def test_executing_twice_is_refused(self):
        ticket = self.general_complaint()
        line = self.coupon_line(ticket)
        line.action_execute()
        coupon = line.coupon_id
        with self.assertRaisesRegex(UserError, "cannot be executed again"):
            line.action_execute()
        self.assertEqual(self.alices_coupons(), coupon, "no second coupon")
        with self.assertRaisesRegex(UserError, "already executed"):
            line.action_cancel()
        self.assertEqual(line.state, "executed")

    def test_coupon_is_linked_only_by_execution(self):
        """With the repair bridge installed too, the coupon link stays protected."""
        ticket = self.general_complaint()
        executed = self.coupon_line(ticket)
        executed.action_execute()
        other = self.coupon_line(self.general_complaint())
        with self.assertRaises(AccessError):
            other.write({"coupon_id": executed.coupon_id.id})
        self.assertFalse(other.coupon_id)

    def test_another_percentage_than_the_programs_is_refused(self):
        ticket = self.general_complaint()
        line = self.coupon_line(ticket)
        line.percent = 15
        with self.assertRaisesRegex(UserError, r"gives 10 % off, not 15 %"):
            line.action_execute()
        self.assertEqual(line.state, "planned", "nothing changed")
        self.assertFalse(self.alices_coupons())

    def test_a_line_without_percentage_gets_the_programs(self):
        ticket = self.general_complaint()
        line = self.coupon_line(ticket)
        line.percent = 0
        line.action_execute()
        self.assertEqual(line.percent, 10.0)
        self.assertIn("10 % off your next purchase", line.customer_info)

    def test_program_of_another_company_is_refused(self):
        _user, other = other_company_user(self.env, "qc_other_loyalty", "base.group_user")
        self.program.company_id = other
        ticket = self.general_complaint()
        line = self.coupon_line(ticket)
        with self.assertRaisesRegex(UserError, "belongs to Other Co"):
            line.action_execute()
        self.assertEqual(line.state, "planned", "nothing changed")
        self.assertFalse(self.alices_coupons())

    def test_a_coupon_type_needs_a_coupon_program(self):
        with self.assertRaisesRegex(ValidationError, "choose the coupon program"):
            self.env["quality.complaint.remedy.type"].with_user(self.manager).create(
                {"name": "Coupon without program", "action": "coupon", "default_amount": 5}
            )

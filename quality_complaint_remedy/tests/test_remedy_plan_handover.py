from odoo.addons.quality_complaint.tests.common import validate_picking
from odoo.addons.quality_complaint_remedy.tests.test_remedy_credit_note import RemedyCase
from odoo.tests import new_test_user, tagged

POST = "quality_complaint_remedy.mail_activity_type_post_credit_note"
VALIDATE = "quality_complaint_remedy.mail_activity_type_validate_transfer"
REVISE = "quality_complaint_remedy.mail_activity_type_revise_plan"


class PlanCase(RemedyCase):
    """Customer service works Alice's remedy plan as a whole; the warehouse and
    accounting finish the documents she leaves to them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gift = cls.env.ref("quality_complaint_remedy.remedy_type_gift")
        cls.pickup = cls.env.ref("quality_complaint_remedy.remedy_type_pickup")
        cls.walter = new_test_user(
            cls.env,
            login="qc_walter",
            name="Walter Warehouse",
            groups="stock.group_stock_user",
        )
        cls.mug = cls.env["product.product"].create(
            {"name": "Thank-you mug", "type": "consu", "is_storable": True, "standard_price": 3.0}
        )
        cls.warehouse = cls.order_alice.warehouse_id
        cls.env["stock.quant"]._update_available_quantity(cls.mug, cls.warehouse.lot_stock_id, 5)
        cls.company.qc_accounting_user_id = cls.accountant
        cls.company.qc_warehouse_user_id = cls.walter

    def activities(self, documents, xmlid):
        kind = self.env.ref(xmlid)
        return documents.activity_ids.filtered(lambda a: a.activity_type_id == kind)


@tagged("post_install", "-at_install")
class TestRemedyPlanAsAWhole(PlanCase):
    def test_approve_all_approves_what_customer_service_may_and_says_what_is_left(self):
        ticket = self.register()
        warranty = self.add_remedy(ticket, self.warranty)
        compensation = self.add_remedy(ticket, self.compensation, amount=1500.0)
        instructions = self.add_remedy(ticket, self.instructions)
        self.assertEqual(ticket.qc_remedy_to_approve_count, 3)

        action = ticket.with_user(self.cs_user).action_qc_approve_all_remedies()
        self.assertEqual(warranty.state, "approved")
        self.assertEqual(instructions.state, "approved")
        self.assertEqual(compensation.state, "planned", "above the limit: left for a manager")
        params = action["params"]
        self.assertEqual(params["type"], "warning")
        self.assertTrue(params["sticky"], "the user reads which line is left and why")
        self.assertIn("2 of 3 remedies approved", params["message"])
        self.assertIn(compensation.name, params["message"])
        self.assertIn("quality manager must approve it", params["message"])
        self.assertEqual(params["next"], {"type": "ir.actions.act_window_close"}, "form reloads")

        action = ticket.with_user(self.manager).action_qc_approve_all_remedies()
        self.assertEqual(compensation.state, "approved", "the manager approves the rest")
        self.assertEqual(action["params"]["type"], "success")

    def test_execute_all_carries_out_the_plan_in_one_go_and_shows_progress(self):
        ticket = self.register()
        warranty = self.add_remedy(ticket, self.warranty)
        instructions = self.add_remedy(ticket, self.instructions)
        compensation = self.add_remedy(ticket, self.compensation, amount=300.0)
        gift = self.add_remedy(ticket, self.gift, product_id=self.mug.id, quantity=1)
        self.assertEqual((ticket.qc_remedy_done_count, ticket.qc_remedy_total_count), (0, 4))

        action = ticket.with_user(self.cs_user).action_qc_execute_all_remedies()
        self.assertEqual(warranty.state, "executed")
        self.assertEqual(instructions.state, "executed")
        self.assertEqual(compensation.state, "in_progress", "a draft credit note to post")
        self.assertEqual(gift.state, "in_progress", "a delivery to validate")
        self.assertEqual((ticket.qc_remedy_done_count, ticket.qc_remedy_total_count), (2, 4))
        self.assertEqual(ticket.qc_remedy_to_execute_count, 0)
        message = action["params"]["message"]
        self.assertIn("2 of 4 remedies executed", message)
        self.assertIn("Anna Accountant asked to finish it", message)
        self.assertIn("Walter Warehouse asked to finish it", message)

        gift.picking_id.move_ids.quantity = 1
        validate_picking(gift.picking_id.with_user(self.walter))
        compensation.invoice_id.with_user(self.accountant).action_post()
        self.assertEqual((ticket.qc_remedy_done_count, ticket.qc_remedy_total_count), (4, 4))
        self.assertEqual(ticket.qc_remedy_state, "executed")

    def test_a_line_that_cannot_be_executed_is_left_with_its_reason(self):
        ticket = self.register()
        warranty = self.add_remedy(ticket, self.warranty)
        gift = self.add_remedy(ticket, self.gift, product_id=False, quantity=1)
        compensation = self.add_remedy(ticket, self.compensation, amount=1500.0)
        action = ticket.with_user(self.cs_user).action_qc_execute_all_remedies()
        self.assertEqual(warranty.state, "executed")
        self.assertEqual(gift.state, "planned", "left as it was: nothing shipped without product")
        self.assertFalse(gift.picking_id)
        self.assertEqual(compensation.state, "planned", "nothing done above the limit")
        self.assertFalse(compensation.invoice_id)
        message = action["params"]["message"]
        self.assertIn("1 of 3 remedies executed", message)
        self.assertIn("choose the gift's product", message)
        self.assertIn("quality manager must approve it", message)

    def test_nothing_to_approve_or_execute_is_said(self):
        ticket = self.register()
        with self.assertRefused("no remedy of the plan is waiting for approval"):
            ticket.with_user(self.cs_user).action_qc_approve_all_remedies()
        with self.assertRefused("no remedy of the plan is left to execute"):
            ticket.with_user(self.cs_user).action_qc_execute_all_remedies()

    def test_the_grade_plan_proposes_the_gift_of_its_remedy_type(self):
        self.gift.product_id = self.mug
        ticket = self.register(impact_level="safety", customer_request="other")
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        gift = ticket.remedy_ids.filtered(lambda r: r.action == "gift")
        self.assertEqual(gift.product_id, self.mug)
        self.assertEqual(gift.quantity, 1)


@tagged("post_install", "-at_install")
class TestRemedyHandOver(PlanCase):
    def test_accounting_is_asked_to_post_and_the_activity_is_done_with_the_posting(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=300.0)
        remedy.with_user(self.cs_user).action_execute()
        credit_note = remedy.invoice_id
        asked = self.activities(credit_note, POST)
        self.assertEqual(asked.user_id, self.accountant)
        self.assertIn(ticket.number, asked.summary)
        self.assertIn("Post the credit note", asked.summary)
        # visible to accounting among her own activities
        mine = (
            self.env["mail.activity"]
            .with_user(self.accountant)
            .search([("user_id", "=", self.accountant.id), ("res_model", "=", "account.move")])
        )
        self.assertIn(asked, mine)

        credit_note.with_user(self.accountant).action_post()
        self.assertFalse(self.activities(credit_note, POST), "done with the posting")
        done = credit_note.message_ids.filtered(lambda m: m.mail_activity_type_id)
        self.assertTrue(done, "the activity is marked done in the credit note's chatter")

        credit_note.with_user(self.accountant).button_draft()
        self.assertEqual(remedy.state, "in_progress")
        self.assertEqual(self.activities(credit_note, POST).user_id, self.accountant, "again")
        credit_note.with_user(self.accountant).button_cancel()
        self.assertFalse(self.activities(credit_note, POST), "nothing to post any more")

    def test_without_setting_an_invoicing_user_of_the_company_is_asked(self):
        self.company.qc_accounting_user_id = False
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=300.0)
        remedy.with_user(self.cs_user).action_execute()
        asked = self.activities(remedy.invoice_id, POST)
        self.assertEqual(len(asked), 1)
        self.assertTrue(asked.user_id.has_group("account.group_account_invoice"))
        self.assertIn(self.company, asked.user_id.company_ids)

    def test_warehouse_is_asked_to_validate_and_the_activity_is_done_with_it(self):
        ticket = self.register()
        pickup = self.add_remedy(ticket, self.pickup, quantity=2)
        pickup.with_user(self.cs_user).action_execute()
        back = pickup.picking_id
        asked = self.activities(back, VALIDATE)
        self.assertEqual(asked.user_id, self.walter)
        self.assertIn(back.name, asked.summary)
        # executed twice over an old page: no second activity
        pickup._qc_hand_over_documents()
        self.assertEqual(len(self.activities(back, VALIDATE)), 1)

        validate_picking(back.with_user(self.walter))
        self.assertEqual(pickup.state, "executed")
        self.assertFalse(self.activities(back, VALIDATE), "done with the validation")

    def test_a_cancelled_transfer_leaves_no_activity(self):
        ticket = self.register()
        gift = self.add_remedy(ticket, self.gift, product_id=self.mug.id, quantity=1)
        gift.with_user(self.cs_user).action_execute()
        picking = gift.picking_id
        self.assertEqual(self.activities(picking, VALIDATE).user_id, self.walter)
        picking.with_user(self.walter).action_cancel()
        self.assertFalse(self.activities(picking, VALIDATE))

    def test_without_setting_an_inventory_user_outside_customer_service_is_asked(self):
        self.company.qc_warehouse_user_id = False
        ticket = self.register()
        gift = self.add_remedy(ticket, self.gift, product_id=self.mug.id, quantity=1)
        gift.with_user(self.cs_user).action_execute()
        asked = self.activities(gift.picking_id, VALIDATE)
        self.assertEqual(len(asked), 1)
        self.assertTrue(asked.user_id.has_group("stock.group_stock_user"))
        self.assertFalse(
            asked.user_id.has_group("quality_complaint.group_complaint_user"),
            "the warehouse, not customer service",
        )


@tagged("post_install", "-at_install")
class TestDissatisfiedHandOver(PlanCase):
    def dissatisfied(self):
        ticket = self.register()
        self.add_remedy(ticket, self.instructions).with_user(self.cs_user).action_execute()
        self.assertEqual(ticket.qc_feedback_state, "due")
        ticket.with_user(self.cs_user)._qc_record_feedback("dissatisfied", "Still leaks.")
        return ticket

    def test_the_department_head_revises_the_plan_and_the_activity_is_done_then(self):
        self.team.qc_department_head_id = self.officer
        ticket = self.dissatisfied()
        asked = self.activities(ticket, REVISE)
        self.assertEqual(asked.user_id, self.officer)
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        self.assertFalse(self.activities(ticket, REVISE), "done once a revised plan is proposed")

    def test_without_department_head_the_quality_manager_is_asked(self):
        self.team.qc_department_head_id = False
        self.company.qc_quality_manager_id = self.manager
        ticket = self.dissatisfied()
        self.assertEqual(self.activities(ticket, REVISE).user_id, self.manager)

    def test_without_anyone_set_a_quality_manager_is_asked_never_nobody(self):
        self.team.qc_department_head_id = False
        self.company.qc_quality_manager_id = False
        ticket = self.dissatisfied()
        asked = self.activities(ticket, REVISE)
        self.assertEqual(len(asked), 1)
        self.assertTrue(asked.user_id.has_group("quality_complaint.group_complaint_manager"))
        self.assertFalse(ticket.message_ids.filtered(lambda m: "nobody" in (m.body or "")))


@tagged("post_install", "-at_install")
class TestQualityReturnLocation(PlanCase):
    def test_returned_units_go_to_the_quality_location_not_the_sellable_stock(self):
        location = self.company.qc_return_location_id
        self.assertEqual(location.usage, "internal")
        self.assertFalse(
            self.env["stock.location"].search_count(
                [("id", "=", location.id), ("id", "child_of", self.warehouse.lot_stock_id.id)]
            ),
            "beside the stock, not in it",
        )
        ticket = self.register()
        pickup = self.add_remedy(ticket, self.pickup, quantity=2)
        pickup.with_user(self.cs_user).action_execute()
        self.assertEqual(pickup.picking_id.location_dest_id, location)

    def test_a_new_company_gets_its_quality_location(self):
        company = self.env["res.company"].create({"name": "Kettles East"})
        location = company.qc_return_location_id
        self.assertEqual(location.usage, "internal")
        self.assertEqual(location.company_id, company)
        warehouse = self.env["stock.warehouse"].search([("company_id", "=", company.id)])
        self.assertEqual(location.location_id, warehouse.view_location_id)

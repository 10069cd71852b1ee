from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRemedyRepair(ComplaintGradingCase):
    """Alice's kettles of lot K1-A lose their main function (an important
    complaint) and she asks for a repair; customer service proposes the plan
    and executes the free repair, a repair technician does the repair."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.repair_type = cls.env.ref("quality_complaint_repair.remedy_type_repair")
        cls.warranty_type = cls.env.ref("quality_complaint_remedy.remedy_type_warranty")
        cls.technician = new_test_user(
            cls.env, login="qc_technician", name="Tom Technician", groups="stock.group_stock_user"
        )
        cls.gasket = cls.env["product.product"].create(
            {"name": "Base gasket", "type": "consu", "standard_price": 3.5}
        )

    def planned_complaint(self, **overrides):
        Ticket = self.env["helpdesk.ticket"].with_user(self.cs_user)
        ticket = Ticket.create(self.complaint_vals(customer_request="repair", **overrides))
        ticket.action_register_complaint()
        ticket.action_propose_remedy_plan()
        return ticket

    def repair_line(self, ticket):
        return ticket.remedy_ids.filtered(lambda r: r.action == "repair")

    def test_important_complaint_plan_proposes_free_repair(self):
        ticket = self.planned_complaint()
        self.assertEqual(ticket.grade_id, self.important)
        self.assertEqual(
            ticket.remedy_ids.type_id,
            self.repair_type | self.warranty_type,
            "important: free repair and warranty extended by one year (docs/process.md §4)",
        )
        line = self.repair_line(ticket)
        self.assertEqual(line.name, "We repair your product free of charge.")
        self.assertEqual(line.product_id, self.kettle)
        self.assertEqual(line.state, "planned")

    def test_repair_request_is_honoured_for_a_general_complaint(self):
        ticket = self.planned_complaint(impact_level="cosmetic")
        self.assertEqual(ticket.grade_id, self.general)
        self.assertIn(self.repair_type, ticket.remedy_ids.type_id)

    def test_execute_creates_repair_order_under_warranty(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        action = line.action_execute()
        repair = line.repair_id
        self.assertEqual(len(repair), 1)
        self.assertEqual(
            (repair.partner_id, repair.product_id, repair.lot_id, repair.product_qty),
            (self.alice, self.kettle, self.lot_a, 2.0),
        )
        self.assertTrue(repair.under_warranty, "the customer is not charged")
        self.assertEqual(repair.state, "confirmed")
        self.assertEqual(repair.company_id, ticket.company_id)
        self.assertIn(ticket.display_name, repair.internal_notes)
        self.assertEqual(line.state, "in_progress")
        self.assertEqual(line.document_ref, repair.name)
        self.assertEqual(line.customer_info, f"Repair {repair.name} under way")
        self.assertEqual((action["res_model"], action["res_id"]), ("repair.order", repair.id))
        # the complaint shows its repair, the repair its complaint
        self.assertEqual(ticket.qc_repair_count, 1)
        self.assertEqual(ticket.action_view_remedy_repairs()["res_id"], repair.id)
        self.assertEqual(repair.with_user(self.cs_user).qc_ticket_id, ticket)
        self.assertEqual(
            repair.with_user(self.cs_user).action_view_qc_complaint()["res_id"], ticket.id
        )

    def test_repair_done_executes_remedy(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        ticket.remedy_ids.filtered(lambda r: r.action == "warranty").action_cancel()
        with freeze_time("2026-03-02 10:00:00"):
            line.action_execute()
        repair = line.repair_id.with_user(self.technician)
        with freeze_time("2026-03-05 15:00:00"):
            repair.action_repair_start()
            repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(line.state, "executed")
        self.assertEqual(line.executed_by_id, self.technician)
        self.assertEqual(line.customer_info, f"Repair {repair.name} done on 03/05/2026")
        self.assertEqual(ticket.qc_remedy_state, "executed", "the last remedy of the plan is done")
        self.assertEqual(ticket.qc_feedback_state, "due")

    def test_remedy_is_not_executed_before_repair_is_done(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        line.action_execute()
        line.repair_id.with_user(self.technician).action_repair_start()
        self.assertEqual(line.state, "in_progress")
        self.assertEqual(ticket.qc_remedy_state, "executing")

    def test_executing_twice_is_refused(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        line.action_execute()
        repair = line.repair_id
        with self.assertRaises(UserError) as refused:
            line.action_execute()
        self.assertIn("cannot be executed again", str(refused.exception))
        self.assertEqual(line.repair_id, repair)
        self.assertEqual(
            self.env["repair.order"].search_count([("qc_ticket_id", "=", ticket.id)]), 1
        )

    def test_cancelling_remedy_cancels_repair(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        line.action_execute()
        line.action_cancel()
        self.assertEqual(line.state, "cancelled")
        self.assertEqual(line.repair_id.state, "cancel")
        self.assertEqual(line.customer_info, f"Repair {line.repair_id.name} cancelled")
        self.assertNotIn("executed again", str(line.message_ids.mapped("body")))

    def test_repair_cancelled_by_the_technician_sends_the_remedy_back_to_execution(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        line.action_execute()
        repair = line.repair_id
        repair.with_user(self.technician).action_repair_cancel()
        self.assertEqual(repair.state, "cancel")
        self.assertEqual(line.state, "approved")
        self.assertFalse(line.repair_id)
        note = f"{repair.name} was cancelled: {line.name} is to be executed again."
        self.assertIn(note, str(line.message_ids.mapped("body")))
        self.assertIn(note, str(ticket.message_ids.mapped("body")))
        line.action_execute()
        self.assertEqual(line.state, "in_progress")
        self.assertNotEqual(line.repair_id, repair, "a new repair order")
        self.assertEqual(line.repair_id.state, "confirmed")

    def test_done_repair_remedy_cannot_be_cancelled(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        line.action_execute()
        line.repair_id.action_repair_start()
        line.repair_id.action_repair_end()
        with self.assertRaises(UserError) as refused:
            line.action_cancel()
        self.assertIn("already executed", str(refused.exception))
        self.assertEqual(line.repair_id.state, "done")

    def test_parts_added_are_the_remedy_cost(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        line.action_execute()
        self.assertEqual(line.with_user(self.officer).cost, 0.0)
        line.repair_id.with_user(self.technician).write(
            {
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.gasket.id,
                            "product_uom_qty": 2,
                            "repair_line_type": "add",
                        }
                    )
                ]
            }
        )
        self.assertEqual(line.with_user(self.officer).cost, 7.0)
        self.assertEqual(ticket.with_user(self.officer).qc_remedy_cost, 7.0)

    def test_repair_of_several_lots_asks_for_one(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        line.lot_ids = self.lot_a | self.lot_b
        with self.assertRaises(UserError) as refused:
            line.action_execute()
        self.assertIn("one lot/serial number", str(refused.exception))
        self.assertFalse(line.repair_id)
        self.assertEqual(line.state, "planned")
        line.lot_ids = self.lot_a
        line.action_execute()
        self.assertEqual(line.repair_id.lot_id, self.lot_a)

    def test_repair_order_is_linked_only_by_execution(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        other = self.env["repair.order"].create({"product_id": self.kettle.id})
        with self.assertRaises(AccessError) as refused:
            line.write({"repair_id": other.id})
        self.assertIn("cannot be set directly", str(refused.exception))
        self.assertFalse(line.repair_id)

    def test_technician_without_complaint_rights_works_on_the_repair(self):
        ticket = self.planned_complaint()
        line = self.repair_line(ticket)
        line.action_execute()
        Repair = self.env["repair.order"].with_user(self.technician)
        arch = Repair.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertNotIn("qc_ticket_id", arch, "the complaint link is for customer service")
        repair = Repair.browse(line.repair_id.id)
        self.assertEqual(repair.read(["name", "state"])[0]["state"], "confirmed")
        repair.action_repair_start()
        repair.action_repair_end()
        self.assertEqual(line.state, "executed")


@tagged("post_install", "-at_install")
class TestRepairOfHeldLot(ComplaintGradingCase):
    """Lot K1-A is on quality hold: a repair order may repair its units in the
    warehouse, but does not send them to a customer until a quality manager releases
    the lot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_quality_manager_id = cls.manager
        cls.technician = new_test_user(
            cls.env, login="qc_technician", name="Tom Technician", groups="stock.group_stock_user"
        )
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.action = (
            cls.env["quality.complaint.action"]
            .with_user(cls.officer)
            .create(
                {
                    "title": "Stop shipping the leaking kettles",
                    "kind": "containment",
                    "user_id": cls.officer.id,
                    "date_deadline": fields.Date.add(fields.Date.today(), days=14),
                    "lot_ids": [Command.set(cls.lot_a.ids)],
                }
            )
        )
        cls.action.action_open()

    def qty(self, location):
        quants = self.lot_a.quant_ids.filtered(lambda q: q.location_id == location)
        return sum(quants.mapped("quantity"))

    def repair(self, destination=None):
        """A repair of one kettle of lot K1-A, started by the technician."""
        Repair = self.env["repair.order"].with_user(self.technician)
        vals = {"partner_id": self.alice.id, "product_id": self.kettle.id, "lot_id": self.lot_a.id}
        repair = Repair.create(vals)
        if destination:
            repair.product_location_dest_id = destination
        repair.action_validate()
        repair.action_repair_start()
        return repair

    def test_repair_shipping_a_held_unit_to_the_customer_is_refused(self):
        repair = self.repair(self.customers)
        source = repair.product_location_src_id
        with self.assertRaises(UserError) as refusal:
            repair.action_repair_end()
        message = str(refusal.exception)
        for expected in (
            f"{repair.name} cannot be done",
            "Lot K1-A (Kettle K1), shipped to a customer",
            self.action.name,
            "Only a quality manager (Mia Manager) can release them",
        ):
            self.assertIn(expected, message)
        self.assertEqual(repair.state, "under_repair", "not done")
        self.assertEqual(self.qty(self.customers), 15, "what Alice and Bob bought before")
        self.assertEqual(self.qty(source), 45)
        # Released, the repaired unit goes to the customer.
        self.lot_a.with_user(self.manager).action_qc_release_hold()
        repair.action_repair_end()
        self.assertEqual(repair.state, "done")
        self.assertEqual(repair.move_id.location_dest_id, self.customers)
        self.assertEqual(self.qty(self.customers), 16)

    def test_held_unit_is_repaired_in_the_warehouse(self):
        repair = self.repair()
        self.assertEqual(repair.product_location_dest_id.usage, "internal")
        repair.action_repair_end()
        self.assertEqual(repair.state, "done", "repaired and back in stock: allowed")
        self.assertTrue(self.lot_a.qc_hold)

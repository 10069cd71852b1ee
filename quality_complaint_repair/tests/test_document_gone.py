from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.tests import Form, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRepairGone(ComplaintGradingCase):
    """The technician deletes the repair order of Alice's free repair in the Repair
    app (Odoo cancels it first): the complaint says it was deleted, and customer
    service executes the repair again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.technician = new_test_user(
            cls.env,
            login="qc_gone_technician",
            name="Tom Technician",
            groups="stock.group_stock_user",
        )

    def repair_line(self):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .create(self.complaint_vals(customer_request="repair"))
        )
        ticket.action_register_complaint()
        ticket.action_propose_remedy_plan()
        line = ticket.remedy_ids.filtered(lambda r: r.action == "repair")
        line.action_execute()
        return ticket, line

    def test_repair_deleted_by_the_technician_is_executed_again(self):
        ticket, line = self.repair_line()
        repair = line.repair_id
        name = repair.name
        repair.with_user(self.technician).unlink()
        self.assertFalse(repair.exists())
        self.env.invalidate_all()
        self.assertEqual(line.state, "approved")
        self.assertFalse(line.repair_id)
        note = f"{name} was deleted: {line.name} is to be executed again."
        self.assertIn(note, str(line.message_ids.mapped("body")))
        self.assertIn(note, str(ticket.message_ids.mapped("body")))
        self.assertNotIn(f"{name} was cancelled", str(ticket.message_ids.mapped("body")))
        self.assertEqual(ticket.with_user(self.cs_user).qc_repair_count, 0)
        Form(ticket.with_user(self.cs_user))  # the complaint's form opens
        line.with_user(self.cs_user).action_execute()
        self.assertEqual(line.state, "in_progress")
        self.assertEqual(line.repair_id.state, "confirmed", "a new repair order")

    def test_cancelled_repair_of_a_cancelled_remedy_is_deleted_quietly(self):
        ticket, line = self.repair_line()
        line.with_user(self.cs_user).action_cancel()
        repair = line.repair_id
        repair.with_user(self.technician).unlink()
        self.env.invalidate_all()
        self.assertEqual(line.state, "cancelled", "a cancelled remedy stays cancelled")
        self.assertFalse(line.repair_id)
        self.assertFalse(line.customer_info)
        Form(ticket.with_user(self.cs_user))

from odoo.addons.quality_complaint_remedy.tests.test_remedy_credit_note import RemedyCase
from odoo.tests import Form, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDocumentGone(RemedyCase):
    """The documents of Alice's remedies are cancelled or deleted by their own
    applications (the warehouse, accounting), who cannot read complaints: the
    complaint says so, and customer service executes the remedy again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.replacement = cls.env.ref("quality_complaint_remedy.remedy_type_replacement")
        cls.stock_user = new_test_user(
            cls.env,
            login="qc_gone_stock",
            name="Sam Stock (Inventory manager)",
            groups="stock.group_stock_manager",
        )

    def notes(self, record):
        return str(record.message_ids.mapped("body"))

    def assertToExecuteAgain(self, remedy, ticket, note):
        """Approved again, its link gone, said on the remedy and the complaint,
        not counted as done; the complaint's screens still open."""
        self.env.invalidate_all()
        self.assertEqual(remedy.state, "approved")
        self.assertFalse(remedy.executed_date)
        self.assertIn(note, self.notes(remedy))
        self.assertIn(note, self.notes(ticket))
        self.assertNotEqual(ticket.qc_remedy_state, "executed")
        ticket = ticket.with_user(self.cs_user)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.qc_picking_count + ticket.qc_credit_note_count, 0)
        remedy.with_user(self.cs_user).read(["document_ref", "customer_info"])
        Form(ticket)  # the complaint's form opens

    def test_transfer_deleted_in_inventory_is_executed_again(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.replacement, quantity=1)
        remedy.action_execute()
        ship = remedy.picking_id
        name = ship.name
        ship.with_user(self.stock_user).unlink()
        self.assertFalse(ship.exists())
        self.assertFalse(remedy.picking_id)
        self.assertToExecuteAgain(
            remedy, ticket, f"{name} was deleted: {remedy.name} is to be executed again."
        )
        remedy.with_user(self.cs_user).action_execute()
        self.assertEqual(remedy.state, "in_progress")
        self.assertTrue(remedy.picking_id, "a new shipment")

    def test_draft_credit_note_deleted_by_accounting_is_executed_again(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        credit_note = remedy.invoice_id
        credit_note.with_user(self.accountant).unlink()
        self.assertFalse(credit_note.exists())
        self.assertFalse(remedy.invoice_id)
        self.assertToExecuteAgain(
            remedy, ticket, f"was deleted: {remedy.name} is to be executed again."
        )
        remedy.with_user(self.cs_user).action_execute()
        self.assertEqual(remedy.invoice_id.state, "draft", "a new credit note")

    def test_posted_credit_note_reset_to_draft_is_no_longer_done(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        credit_note = remedy.invoice_id.with_user(self.accountant)
        credit_note.action_post()
        self.assertEqual(remedy.state, "executed")
        credit_note.button_draft()
        self.env.invalidate_all()
        self.assertEqual(remedy.state, "in_progress", "under way until posted again")
        self.assertFalse(remedy.executed_date)
        note = (
            f"{credit_note.name} was reset to draft: {remedy.name} is executed once it is "
            "posted again."
        )
        self.assertIn(note, self.notes(remedy))
        self.assertIn(note, self.notes(ticket))
        self.assertNotEqual(ticket.qc_remedy_state, "executed")
        credit_note.action_post()
        self.assertEqual(remedy.state, "executed", "posted again: done again")

    def test_posted_credit_note_reset_and_deleted_is_executed_again(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        credit_note = remedy.invoice_id.with_user(self.accountant)
        credit_note.action_post()
        name = credit_note.name
        credit_note.button_draft()
        credit_note.unlink()
        self.assertToExecuteAgain(
            remedy, ticket, f"{name} was deleted: {remedy.name} is to be executed again."
        )

    def test_posted_credit_note_cancelled_by_accounting_is_executed_again(self):
        ticket = self.register()
        remedy = self.add_remedy(ticket, self.compensation, amount=500.0)
        remedy.action_execute()
        credit_note = remedy.invoice_id.with_user(self.accountant)
        credit_note.action_post()
        credit_note.button_cancel()
        self.assertEqual(credit_note.state, "cancel")
        self.assertToExecuteAgain(
            remedy,
            ticket,
            f"{credit_note.name} was cancelled: {remedy.name} is to be executed again.",
        )
        self.assertNotIn("reset to draft", self.notes(remedy), "said once, as cancelled")
        remedy.with_user(self.cs_user).action_execute()
        self.assertNotEqual(remedy.invoice_id, credit_note, "a new credit note")

from odoo.addons.quality_complaint_action.tests.common_action import CorrectiveActionCase
from odoo.tests import Form, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestProductionGone(CorrectiveActionCase):
    """A corrective action names the manufacturing order that made the complained
    kettles; the MRP user, who cannot read actions, cancels or deletes it in
    Manufacturing: the action and its complaint say so."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mrp_user = new_test_user(
            cls.env, login="qc_gone_mrp", name="Max Maker", groups="mrp.group_mrp_user"
        )

    def action_on_production(self):
        investigation = self.approved_investigation()
        production = self.env["mrp.production"].create(
            {"product_id": self.kettle.id, "product_qty": 5}
        )
        production.action_confirm()
        action = self.open_action(investigation_id=investigation.id)
        action.sudo().production_ids = production
        self.assertTrue(action.ticket_ids)
        return action, production

    def bodies(self, records):
        return str(records.message_ids.mapped("body"))

    def test_production_cancelled_in_manufacturing_is_noted(self):
        action, production = self.action_on_production()
        production.with_user(self.mrp_user).action_cancel()
        self.assertEqual(production.state, "cancel")
        note = (
            f"Manufacturing order {production.name} of corrective action {action.name} "
            "was cancelled."
        )
        self.assertIn(note, self.bodies(action))
        self.assertIn(note, self.bodies(action.ticket_ids))
        self.assertEqual(action.sudo().production_ids, production, "still named, cancelled")
        Form(action.with_user(self.officer))  # the action's form opens

    def test_production_deleted_in_manufacturing_is_noted(self):
        action, production = self.action_on_production()
        name = production.name
        production.with_user(self.mrp_user).unlink()
        self.assertFalse(production.exists())
        note = f"Manufacturing order {name} of corrective action {action.name} was deleted."
        self.assertIn(note, self.bodies(action))
        self.assertIn(note, self.bodies(action.ticket_ids))
        self.assertNotIn("was cancelled", self.bodies(action), "said once, as deleted")
        action.invalidate_recordset()
        self.assertFalse(action.sudo().production_ids)
        Form(action.with_user(self.officer))

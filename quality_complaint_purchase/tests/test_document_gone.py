from odoo import Command
from odoo.addons.quality_complaint_action.tests.common_action import CorrectiveActionCase
from odoo.tests import Form, tagged


@tagged("post_install", "-at_install")
class TestPurchaseOrderGone(CorrectiveActionCase):
    """A corrective action names the purchase order of the gaskets; the buyer, who
    cannot read actions, cancels then deletes it in Purchase: the action and its
    complaint say so."""

    def action_on_order(self):
        investigation = self.approved_investigation()
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.vendor.id,
                "order_line": [
                    Command.create(
                        {"product_id": self.kettle.id, "product_qty": 5, "price_unit": 9}
                    )
                ],
            }
        )
        action = self.open_action(
            investigation_id=investigation.id,
            partner_id=self.vendor.id,
            purchase_order_ids=[Command.set(order.ids)],
        )
        self.assertTrue(action.ticket_ids)
        return action, order

    def bodies(self, records):
        return str(records.message_ids.mapped("body"))

    def test_order_cancelled_then_deleted_in_purchase_is_noted(self):
        action, order = self.action_on_order()
        buyer_order = order.with_user(self.buyer)
        buyer_order.button_cancel()
        self.assertEqual(order.state, "cancel")
        note = f"Purchase order {order.name} of corrective action {action.name} was cancelled."
        self.assertIn(note, self.bodies(action))
        self.assertIn(note, self.bodies(action.ticket_ids))
        name = order.name
        buyer_order.unlink()
        self.assertFalse(order.exists())
        note = f"Purchase order {name} of corrective action {action.name} was deleted."
        self.assertIn(note, self.bodies(action))
        self.assertIn(note, self.bodies(action.ticket_ids))
        action.invalidate_recordset()
        self.assertFalse(action.purchase_order_ids)
        Form(action.with_user(self.officer))  # the action's form opens

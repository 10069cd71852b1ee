"""A buyer ordering from a vendor sees its open corrective actions; a purchase
order named by corrective actions, cancelled or deleted in Purchase, is noted on
the actions and their complaints."""

from odoo import api, fields, models
from odoo.addons.quality_complaint.lang import company_envs
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, PURCHASE, role


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    qc_supplier_action_count = fields.Integer(
        string="Open corrective actions",
        compute="_compute_qc_supplier_action_count",
        help="Corrective actions addressed to the vendor that are not closed yet.",
    )

    @api.depends("partner_id")
    def _compute_qc_supplier_action_count(self):
        vendors = self.partner_id.commercial_partner_id
        counts = self.env["res.partner"]._qc_open_supplier_action_counts(vendors)
        for order in self:
            vendor = order.partner_id.commercial_partner_id
            order.qc_supplier_action_count = counts.get(vendor.id, 0)

    @role(PURCHASE, CUSTOMER_SERVICE)
    def action_view_qc_supplier_actions(self):
        self.ensure_one()
        return self.partner_id.commercial_partner_id._qc_supplier_actions_window()

    def button_cancel(self):
        result = super().button_cancel()
        self.filtered(lambda order: order.state == "cancel")._qc_note_actions("cancelled")
        return result

    def unlink(self):
        # named while they can still be read (Odoo deletes only cancelled orders)
        self._qc_note_actions("deleted")
        return super().unlink()

    def _qc_note_actions(self, how):
        """Note on the corrective actions naming these orders, and on their
        complaints, that the orders were cancelled or deleted (``how``). As
        superuser, for the notes only: the buyer need not read the actions."""
        if not self:
            return
        actions = (
            self.env["quality.complaint.action"]
            .sudo()
            .search([("purchase_order_ids", "in", self.ids)])
        )
        bodies = {}
        envs = company_envs(self.env, actions)  # notes for everyone
        for action in actions:
            env = envs[action.company_id]
            orders = ", ".join((action.purchase_order_ids & self.sudo()).mapped("name"))
            bodies[action] = (
                env._(
                    "Purchase order %(orders)s of corrective action %(action)s was deleted.",
                    orders=orders,
                    action=action.name,
                )
                if how == "deleted"
                else env._(
                    "Purchase order %(orders)s of corrective action %(action)s was cancelled.",
                    orders=orders,
                    action=action.name,
                )
            )
        actions._qc_log_with_complaints(bodies)

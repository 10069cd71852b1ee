"""A buyer ordering from a vendor sees its open corrective actions."""

from odoo import api, fields, models
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

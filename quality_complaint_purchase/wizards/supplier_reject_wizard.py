from odoo import fields, models
from odoo.addons.quality_complaint.roles import OFFICER, PURCHASE, role


class QualityComplaintSupplierRejectWizard(models.TransientModel):
    """Purchasing rejects the supplier's answer: the reason goes to the supplier."""

    _name = "quality.complaint.supplier.reject.wizard"
    _description = "Reject a supplier's answer to a corrective action"

    action_id = fields.Many2one(
        "quality.complaint.action", string="Corrective action", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="action_id.partner_id", string="Supplier")
    reason = fields.Text(
        required=True,
        help="Sent to the supplier: what is missing or wrong in the answer.",
    )

    @role(PURCHASE, OFFICER)
    def action_reject(self):
        self.ensure_one()
        self.action_id._qca_supplier_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}

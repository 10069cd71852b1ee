from odoo import fields, models

from ..roles import CUSTOMER_SERVICE, role


class QualityComplaintCancelWizard(models.TransientModel):
    """Customer service cancels a complaint and says why (kept on the complaint)."""

    _name = "quality.complaint.cancel.wizard"
    _description = "Cancel a quality complaint"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    reason = fields.Text(
        required=True,
        help="Why the complaint is cancelled: a mistake, a duplicate, the customer withdrew it...",
    )

    @role(CUSTOMER_SERVICE)
    def action_apply(self):
        self.ensure_one()
        self.ticket_id._qc_cancel(self.reason)
        return {"type": "ir.actions.act_window_close"}

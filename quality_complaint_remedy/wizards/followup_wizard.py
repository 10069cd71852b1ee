from odoo import fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role

from ..models.helpdesk_ticket import FOLLOWUP_OUTCOMES


class QualityComplaintFollowupWizard(models.TransientModel):
    _name = "quality.complaint.followup.wizard"
    _description = "Record or waive the call-back of a complaint"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    mode = fields.Selection(
        [("record", "Record the call-back"), ("waive", "Waive the call-back")],
        required=True,
        default="record",
    )
    due_date = fields.Date(related="ticket_id.qc_followup_due", string="Call-back due")
    outcome = fields.Selection(
        FOLLOWUP_OUTCOMES,
        help="Solved: the complaint can close. Problem persists: the complaint reopens "
        "and quality is told. New problem: a linked complaint is opened.",
    )
    note = fields.Text(help="What the customer said at the call-back.")
    reason = fields.Text(help="Why no call-back is needed.")

    @role(CUSTOMER_SERVICE)
    def action_apply(self):
        self.ensure_one()
        if self.mode == "waive":
            self.ticket_id._qc_waive_followup(self.reason)
            return {"type": "ir.actions.act_window_close"}
        result = self.ticket_id._qc_record_followup(self.outcome, self.note)
        if isinstance(result, dict):
            return result
        return {"type": "ir.actions.act_window_close"}

from odoo import fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role


class QualityComplaintFeedbackWizard(models.TransientModel):
    """Customer service records the customer's answer after a call."""

    _name = "quality.complaint.feedback.wizard"
    _description = "Record the customer's feedback on the remedies"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    outcome = fields.Selection(
        [
            ("satisfied", "Satisfied"),
            ("dissatisfied", "Not satisfied"),
            ("unreachable", "Could not reach the customer"),
        ],
        required=True,
        default="satisfied",
    )
    note = fields.Text(help="What the customer said, or when you tried to call.")
    attempts = fields.Integer(
        related="ticket_id.qc_feedback_attempts", string="Failed attempts so far"
    )
    max_attempts = fields.Integer(
        related="ticket_id.qc_feedback_max_attempts", string="Attempts allowed"
    )

    @role(CUSTOMER_SERVICE)
    def action_record(self):
        self.ensure_one()
        self.ticket_id._qc_record_feedback(self.outcome, self.note or False)
        return {"type": "ir.actions.act_window_close"}

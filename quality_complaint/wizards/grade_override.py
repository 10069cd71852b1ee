from odoo import fields, models

from ..roles import OFFICER, role


class QualityComplaintGradeOverride(models.TransientModel):
    _name = "quality.complaint.grade.override"
    _description = "Override the grade of a complaint"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, ondelete="cascade")
    current_grade_id = fields.Many2one(related="ticket_id.grade_id", string="Current grade")
    grade_id = fields.Many2one(
        "quality.complaint.grade",
        string="New grade",
        required=True,
        domain="[('company_id', 'in', [company_id, False])]",
    )
    company_id = fields.Many2one(related="ticket_id.company_id")
    reason = fields.Text(required=True, help="Why the rules' grade does not fit this complaint.")

    @role(OFFICER)
    def action_apply(self):
        self.ensure_one()
        self.ticket_id._qc_override_grade(self.grade_id, self.reason)
        return {"type": "ir.actions.act_window_close"}

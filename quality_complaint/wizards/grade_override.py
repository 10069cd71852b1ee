from odoo import fields, models
from odoo.exceptions import UserError


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

    def action_apply(self):
        self.ensure_one()
        ticket = self.ticket_id
        if not self.env.user.has_group("quality_complaint.group_complaint_officer"):
            raise UserError(self.env._("Only a quality officer can override a grade."))
        if ticket.complaint_state != "registered":
            raise UserError(
                self.env._(
                    "%(ticket)s is not registered yet: it has no grade to override.",
                    ticket=ticket.display_name,
                )
            )
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the override."))
        ticket.write(
            {
                "grade_override_id": self.grade_id.id,
                "grade_override_reason": reason,
                "grade_override_user_id": self.env.user.id,
            }
        )
        ticket.message_post(
            body=self.env._(
                "Grade overridden to %(grade)s by %(user)s: %(reason)s",
                grade=self.grade_id.name,
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        ticket._qc_grade()
        return {"type": "ir.actions.act_window_close"}

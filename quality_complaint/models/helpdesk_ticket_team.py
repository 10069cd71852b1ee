from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    qc_is_quality_team = fields.Boolean(
        string="Handles quality complaints",
        help="Tickets of this team are quality complaints, whatever their channel "
        "(e-mail alias, portal form, phone).",
    )
    qc_department_head_id = fields.Many2one(
        "res.users",
        string="Department head",
        domain="[('share', '=', False)]",
        help="Told when a complaint of the team escalates: a late result message, a "
        "customer not satisfied with the remedies, an overdue call-back. Empty: the "
        "company's quality manager.",
    )

    def _get_applicable_stages(self):
        """A quality team with stages of its own follows only those: the case's
        steps, not the generic helpdesk stages."""
        stages = super()._get_applicable_stages()
        if len(self) == 1 and self.qc_is_quality_team:
            own = stages.filtered(lambda stage: self in stage.team_ids)
            if own:
                return own
        return stages

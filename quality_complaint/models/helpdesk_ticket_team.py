from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    qc_is_quality_team = fields.Boolean(
        string="Handles quality complaints",
        help="Tickets of this team are quality complaints, whatever their channel "
        "(e-mail alias, portal form, phone).",
    )

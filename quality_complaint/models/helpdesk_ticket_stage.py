from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    qc_pauses_sla = fields.Boolean(
        string="Waiting for the customer",
        help="While a complaint is in this stage the response clock is paused: the "
        "working time spent here extends its deadline.",
    )

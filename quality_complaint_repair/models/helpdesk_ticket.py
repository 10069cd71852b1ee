"""The complaint's repair orders: a smart button on the complaint."""

from odoo import api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qc_repair_count = fields.Integer(
        string="Repairs", compute="_compute_qc_repair_count", groups="base.group_user"
    )

    @api.depends("remedy_ids.repair_id")
    def _compute_qc_repair_count(self):
        for ticket in self:
            ticket.qc_repair_count = len(ticket.remedy_ids.repair_id)

    @role(CUSTOMER_SERVICE)
    def action_view_remedy_repairs(self):
        return self.remedy_ids.filtered("repair_id")._qc_documents_action()

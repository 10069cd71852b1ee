"""The complaint's coupons: a smart button on the complaint."""

from odoo import api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qc_coupon_count = fields.Integer(
        string="Coupons", compute="_compute_qc_coupon_count", groups="base.group_user"
    )

    @api.depends("remedy_ids.coupon_id")
    def _compute_qc_coupon_count(self):
        for ticket in self:
            ticket.qc_coupon_count = len(ticket.remedy_ids.coupon_id)

    @role(CUSTOMER_SERVICE)
    def action_view_remedy_coupons(self):
        return self.remedy_ids.filtered("coupon_id")._qc_documents_action()

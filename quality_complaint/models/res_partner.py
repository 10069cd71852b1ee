from odoo import fields, models

from ..roles import CUSTOMER_SERVICE, role


class ResPartner(models.Model):
    _inherit = "res.partner"

    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        commercial = self.commercial_partner_id
        counts = self.env["helpdesk.ticket"]._qc_count_by(
            "commercial_partner_id", [("commercial_partner_id", "in", commercial.ids)]
        )
        for partner in self:
            partner.complaint_count = counts.get(partner.commercial_partner_id.id, 0)

    @role(CUSTOMER_SERVICE)
    def action_view_quality_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("commercial_partner_id", "=", self.commercial_partner_id.id)],
            {"default_partner_id": self.id},
        )

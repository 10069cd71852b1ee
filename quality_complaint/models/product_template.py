from odoo import fields, models

from ..roles import CUSTOMER_SERVICE, role


class ProductTemplate(models.Model):
    _inherit = "product.template"

    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = self.env["helpdesk.ticket"]._qc_count_by(
            "product_id.product_tmpl_id", [("product_id.product_tmpl_id", "in", self.ids)]
        )
        for template in self:
            template.complaint_count = counts.get(template.id, 0)

    @role(CUSTOMER_SERVICE)
    def action_view_quality_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("product_id.product_tmpl_id", "=", self.id)],
            {"default_product_id": self.product_variant_id.id},
        )

from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = self.env["helpdesk.ticket"]._qc_count_by("lot_ids", [("lot_ids", "in", self.ids)])
        for lot in self:
            lot.complaint_count = counts.get(lot.id, 0)

    def action_view_quality_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("lot_ids", "in", self.ids)],
            {"default_product_id": self.product_id.id, "default_lot_ids": self.ids},
        )

from odoo import fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    qc_production_ids = fields.One2many(
        "quality.complaint.lot.production", "lot_id", string="Production", readonly=True
    )

from odoo import api, fields, models


class StockLot(models.Model):
    _inherit = "stock.lot"

    qc_production_ids = fields.One2many(
        "quality.complaint.lot.production", "lot_id", string="Production", readonly=True
    )
    qc_is_made = fields.Boolean(
        string="Made in-house",
        compute="_compute_qc_is_made",
        help="The product has a bill of materials, or a manufacturing order produced "
        "the lot: bought products have no production section.",
    )

    @api.depends("product_id")
    def _compute_qc_is_made(self):
        # whether a production section applies, for users who need not read
        # bills of materials or manufacturing orders: two queries for all lots
        templates = self.product_id.product_tmpl_id
        boms = (
            self.env["mrp.bom"]
            .sudo()
            .search([("product_tmpl_id", "in", templates.ids), ("type", "=", "normal")])
        )
        with_bom = set(boms.product_tmpl_id.ids)
        productions = (
            self.env["mrp.production"]
            .sudo()
            .search([("lot_producing_ids", "in", self.ids), ("state", "=", "done")])
        )
        produced = set(productions.lot_producing_ids.ids)
        for lot in self:
            lot.qc_is_made = lot.product_id.product_tmpl_id.id in with_bom or lot.id in produced

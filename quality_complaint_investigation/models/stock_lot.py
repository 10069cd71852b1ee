from odoo import fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role


class StockLot(models.Model):
    _inherit = "stock.lot"

    # Traceability (lot_trace.py) and the lot's investigations
    qc_move_ids = fields.One2many(
        "quality.complaint.lot.move", "lot_id", string="Lot movements", readonly=True
    )
    qc_balance_ids = fields.One2many(
        "quality.complaint.lot.balance", "lot_id", string="Quantities", readonly=True
    )
    qc_customer_ids = fields.One2many(
        "quality.complaint.lot.customer", "lot_id", string="Customers", readonly=True
    )
    qc_investigation_ids = fields.Many2many(
        "quality.complaint.investigation",
        "quality_complaint_investigation_stock_lot_rel",
        "lot_id",
        "investigation_id",
        string="Investigations",
        readonly=True,
    )
    qc_investigation_count = fields.Integer(
        string="Investigation count", compute="_compute_qc_investigation_count"
    )

    def _compute_qc_investigation_count(self):
        groups = self.env["quality.complaint.investigation"]._read_group(
            [("lot_ids", "in", self.ids)], ["lot_ids"], ["__count"]
        )
        counts = {lot.id: count for lot, count in groups}
        for lot in self:
            lot.qc_investigation_count = counts.get(lot.id, 0)

    @role(CUSTOMER_SERVICE)
    def action_view_qc_investigations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_complaint_investigation.action_quality_complaint_investigation"
        )
        action["domain"] = [("lot_ids", "in", self.ids)]
        action["context"] = {
            "default_lot_ids": self.ids,
            "default_product_id": self.product_id.id,
        }
        return action

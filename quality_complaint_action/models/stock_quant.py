"""Quants: what a reservation may take. For a move where a held lot may not go
(context ``qc_skip_held_lots``, set in stock_move.py), not the lots on quality hold
(stock_lot_hold.py)."""

from odoo import models
from odoo.fields import Domain


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _get_gather_domain(  # noqa: PLR0917 (stock's signature)
        self, product_id, location_id, lot_id=None, package_id=None, owner_id=None, strict=False
    ):
        domain = super()._get_gather_domain(
            product_id, location_id, lot_id, package_id, owner_id, strict
        )
        if strict or lot_id or not self.env.context.get("qc_skip_held_lots"):
            return domain
        return Domain.AND([domain, Domain("lot_id", "not any!", [("qc_hold", "=", True)])])

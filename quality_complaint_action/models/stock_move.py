"""Stock moves: a move shipping to a customer (or into transit, or consuming in
production) does not reserve a lot on quality hold when another will do
(stock_lot_hold.py, stock_quant.py)."""

from odoo import models

from .stock_lot import HOLD_BLOCKED_USAGES


class StockMove(models.Model):
    _inherit = "stock.move"

    def _update_reserved_quantity_vals(  # noqa: PLR0917 (stock's signature)
        self, need, location_id, lot_id=None, package_id=None, owner_id=None, strict=True
    ):
        move = self._qc_reservation_context(lot_id, strict)
        return super(StockMove, move)._update_reserved_quantity_vals(
            need, location_id, lot_id, package_id, owner_id, strict
        )

    def _qc_reservation_context(self, lot_id, strict):
        """A move where a held lot may not go (a customer, transit, production), with
        no lot asked for, reserves lots that are not on quality hold (when there are
        some)."""
        if strict or lot_id or self.product_id.tracking == "none":
            return self
        usages = {self.location_dest_id.usage, self.location_final_id.usage}
        if usages & set(HOLD_BLOCKED_USAGES):
            return self.with_context(qc_skip_held_lots=True)
        return self

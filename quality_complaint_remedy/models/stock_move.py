from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _do_unreserve(self):
        """A complaint's return of a delivery leaves the other returns of that
        delivery reserved.

        Odoo's return wizard un-reserves every open move chained after the
        delivery, that is every earlier return of it: a pick-up already planned
        for another complaint would lose the lots it collects, and two complaints'
        pick-ups executed at the same moment would delete the same move lines (one
        of the two users' requests then fails on the concurrent delete)."""
        if self.env.context.get("qc_keep_returns_reserved"):
            self = self.filtered(lambda move: not move.origin_returned_move_id)  # noqa: PLW0642
        return super()._do_unreserve()

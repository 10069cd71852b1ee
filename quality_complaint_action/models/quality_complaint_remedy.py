from odoo import models
from odoo.exceptions import UserError


class QualityComplaintRemedy(models.Model):
    """A replacement or a gift never ships a lot on quality hold."""

    _inherit = "quality.complaint.remedy"

    def _qc_lots_not_shipped(self, product):
        result = super()._qc_lots_not_shipped(product)
        held = (
            self.env["stock.lot"]
            .sudo()
            .search([("product_id", "=", product.id), ("qc_hold", "=", True)])
        )
        for lot in held:
            result[lot] = self.env._("on quality hold (%(reason)s)", reason=lot.qc_hold_reason)
        return result

    def _qc_check_lots_shippable(self, lots):
        res = super()._qc_check_lots_shippable(lots)
        held = lots.sudo().filtered("qc_hold")[:1]
        if held:
            raise UserError(
                self.env._(
                    "Lot %(lot)s is on quality hold (%(reason)s): it is not shipped to "
                    "customers until a quality manager releases it. Choose another lot.",
                    lot=held.name,
                    reason=held.qc_hold_reason,
                )
            )
        return res

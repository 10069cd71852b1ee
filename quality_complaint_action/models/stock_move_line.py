"""Move lines: a lot on quality hold stays in the warehouse (stock_lot_hold.py).

Every document moves its goods through the lines of its stock moves: a transfer,
Relocate on the quants, a repair order, a manufacturing order's components, an
unbuild, a line added to a done move or a done line edited. The check is here, on
the lines, so that no document (present or future) takes a lot on quality hold to
a customer, into transit, or consumes it in production."""

from odoo import api, models
from odoo.exceptions import UserError

from .stock_lot import HOLD_BLOCKED_USAGES

# Fields of a done line whose change moves its goods again.
DONE_LINE_MOVES = {"lot_id", "location_dest_id", "quantity", "product_uom_id"}


class StockMoveLine(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        # A line created on a done move moves its goods at once.
        lines.filtered(lambda ml: ml.state == "done")._qc_check_held_lots()
        return lines

    def write(self, vals):
        done = self.browse()
        if DONE_LINE_MOVES & vals.keys():
            done = self.filtered(lambda ml: ml.state == "done")
            if not ({"lot_id", "location_dest_id", "product_uom_id"} & vals.keys()):
                # only the quantity changes: giving back is no shipment
                done = done.filtered(
                    lambda ml: ml.product_uom_id.compare(vals["quantity"], ml.quantity) > 0
                )
        result = super().write(vals)
        done._qc_check_held_lots()
        return result

    def _action_done(self):
        self._qc_check_held_lots()
        lotless = self.filtered(lambda ml: not ml.lot_id)
        result = super()._action_done()
        # Lines given a lot name take their lot while being done.
        lotless.exists()._qc_check_held_lots()
        return result

    def _qc_check_held_lots(self):
        """Refuse the lines taking a lot on quality hold to a customer, into transit
        or into production. Read as superuser: the warehouse may not read corrective
        actions, and who moves the goods does not change what a hold is."""
        lines = self.filtered(
            lambda ml: (
                ml.lot_id
                and ml.location_dest_id.usage in HOLD_BLOCKED_USAGES
                and ml.product_uom_id.compare(ml.quantity, 0) > 0
            )
        )
        held = lines.lot_id.sudo().filtered("qc_hold")
        if not held:
            return
        lines = lines.filtered(lambda ml: ml.lot_id in held).sudo()
        what = {
            "customer": self.env._("shipped to a customer"),
            "transit": self.env._("sent into transit"),
            "production": self.env._("consumed in production"),
        }
        details = {}
        for line in lines.sorted(lambda ml: (ml.lot_id.name, ml.id)):
            lot, destination = line.lot_id, line.location_dest_id
            details.setdefault(
                (lot, destination),
                self.env._(
                    "- Lot %(lot)s (%(product)s), %(action)s (%(location)s): held by %(reason)s",
                    lot=lot.name,
                    product=lot.product_id.display_name,
                    action=what[destination.usage],
                    location=destination.display_name,
                    reason=lot.qc_hold_reason,
                ),
            )
        companies = lines.company_id | held.qc_hold_action_ids.company_id
        managers = companies.qc_quality_manager_id
        documents = [ref for ref in dict.fromkeys(lines.mapped("reference")) if ref]
        raise UserError(
            self.env._(
                "%(documents)s cannot be done: lots on quality hold stay in the warehouse."
                "\n%(lots)s\nOnly a quality manager%(who)s can release them (Release Hold "
                "on the lot). Take another lot, or wait for the release.",
                documents=", ".join(documents) or self.env._("The move"),
                lots="\n".join(details.values()),
                who=f" ({', '.join(managers.mapped('name'))})" if managers else "",
            )
        )

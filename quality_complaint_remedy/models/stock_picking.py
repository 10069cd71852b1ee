"""Transfers that carry out a customer remedy (remedy.py): validating one
is what executes the remedy, cancelling or deleting it sends the remedy back to
execution, and a replacement never leaves with a lot under
investigation. No move ships a lot on quality hold (stock_move_line.py)."""

from odoo import models

from .remedy import VALIDATE_ACTIVITY


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        remedies = self._qc_remedies()
        remedies._qc_check_pickings_lots(self)
        result = super()._action_done()
        remedies._qc_pickings_done()
        if remedies:
            # the warehouse's hand-over is done with the validation; a backorder
            # left open is asked for in turn
            self.filtered(lambda p: p.state == "done").sudo().activity_feedback(
                [VALIDATE_ACTIVITY], feedback=self.env._("Validated.")
            )
            remedies.filtered(lambda r: r.state == "in_progress")._qc_hand_over_documents()
        return result

    def action_cancel(self):
        result = super().action_cancel()
        # A remedy whose transfers are all cancelled (none done) is to be executed
        # again; one whose transfers are partly done stays as it is.
        cancelled = self.filtered(lambda p: p.state == "cancel")
        linked = cancelled._qc_remedies()
        remedies = linked.filtered(lambda r: all(p.state == "cancel" for p in r._qc_pickings()))
        remedies._qc_document_cancelled()
        if linked:
            # nothing left to validate
            cancelled.sudo().activity_unlink([VALIDATE_ACTIVITY])
        return result

    def unlink(self):
        # Deleted in Inventory (Odoo cancels its moves first): a remedy whose
        # transfers are all gone or cancelled is to be executed again, said while
        # the transfer can still be named.
        remedies = self._qc_remedies().filtered(
            lambda r: all(p in self or p.state == "cancel" for p in r._qc_pickings())
        )
        remedies._qc_document_cancelled(how="deleted")
        return super().unlink()

    def _qc_remedies(self):
        """The remedies carried out by these transfers or by the transfers they are
        backorders of. As superuser: the warehouse may not read complaints."""
        chain = self
        parents = self.backorder_id
        while parents - chain:
            chain |= parents
            parents = chain.backorder_id
        return self.env["quality.complaint.remedy"].sudo().search([("picking_id", "in", chain.ids)])

"""A credit note made for a customer remedy (remedy.py): posting it
executes the remedy, cancelling it sends the remedy back to execution."""

from odoo import models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "out_refund")
        if refunds:
            # Accounting posts the credit note; the remedy follows, whoever posts.
            remedies = (
                self.env["quality.complaint.remedy"]
                .sudo()
                .search([("invoice_id", "in", refunds.ids)])
            )
            # the remedy's amount is what the posted credit note credits
            for remedy in remedies.filtered(lambda r: r.state in ("approved", "in_progress")):
                if remedy.amount != remedy.invoice_id.amount_total:
                    remedy.amount = remedy.invoice_id.amount_total
            remedies._qc_document_done()
        return posted

    def button_cancel(self):
        result = super().button_cancel()
        refunds = self.filtered(lambda m: m.move_type == "out_refund" and m.state == "cancel")
        if refunds:
            # Accounting cancels the credit note: the remedy is to be executed again.
            remedies = (
                self.env["quality.complaint.remedy"]
                .sudo()
                .search([("invoice_id", "in", refunds.ids)])
            )
            remedies._qc_document_cancelled()
        return result

"""A credit note made for a customer remedy (remedy.py): posting it
executes the remedy, resetting it to draft puts the remedy under way again,
cancelling or deleting it sends the remedy back to execution."""

from odoo import models

from .remedy import POST_ACTIVITY


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
            if remedies:
                # accounting's hand-over is done with the posting
                remedies.invoice_id.filtered(lambda m: m.state == "posted").activity_feedback(
                    [POST_ACTIVITY], feedback=self.env._("Posted.")
                )
        return posted

    def button_draft(self):
        result = super().button_draft()
        if not self.env.context.get("qc_move_cancelling"):
            # a posted credit note reset to draft: its remedy is no longer done
            remedies = self._qc_remedies()
            remedies._qc_document_reset()
            # to be posted again: accounting is asked again
            remedies.filtered(lambda r: r.state == "in_progress")._qc_hand_over_documents()
        return result

    def button_cancel(self):
        # posted, it is reset to draft first: said once, as cancelled
        result = super(AccountMove, self.with_context(qc_move_cancelling=True)).button_cancel()
        cancelled = self.filtered(lambda m: m.state == "cancel")
        # Accounting cancels the credit note: the remedy is to be executed again.
        remedies = cancelled._qc_remedies()
        remedies._qc_document_cancelled()
        if remedies:
            # nothing left to post
            cancelled.sudo().activity_unlink([POST_ACTIVITY])
        return result

    def unlink(self):
        # Accounting deletes the credit note: the remedy is to be executed again,
        # said while the credit note can still be named.
        self._qc_remedies()._qc_document_cancelled(how="deleted")
        return super().unlink()

    def _qc_remedies(self):
        """The remedies these customer credit notes carry out. As superuser:
        accounting may not read complaints."""
        refunds = self.filtered(lambda m: m.move_type == "out_refund")
        if not refunds:
            return self.env["quality.complaint.remedy"]
        return (
            self.env["quality.complaint.remedy"].sudo().search([("invoice_id", "in", refunds.ids)])
        )

"""A coupon issued for a complaint's remedy (remedy.py): deleted or archived in
Sales, the remedy is to be executed again (a new coupon)."""

from odoo import models


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            # archived by Sales: no longer usable, so no longer the remedy's
            self.filtered("active")._qc_remedies()._qc_document_cancelled(how="archived")
        return super().write(vals)

    def unlink(self):
        # said while the coupon can still be named
        self._qc_remedies()._qc_document_cancelled(how="deleted")
        return super().unlink()

    def _qc_remedies(self):
        """The remedies these coupons carry out. As superuser: Sales may not read
        complaints."""
        if not self:
            return self.env["quality.complaint.remedy"]
        return self.env["quality.complaint.remedy"].sudo().search([("coupon_id", "in", self.ids)])

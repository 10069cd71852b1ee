"""Compensation and refund (SPEC §4, §5): a customer credit note."""

from odoo import fields, models


class QualityComplaintRemedyCreditNote(models.AbstractModel):
    _name = "quality.complaint.remedy.credit.note"
    _inherit = ["quality.complaint.remedy.document"]
    _description = "Remedy: credit notes"

    invoice_id = fields.Many2one("account.move", string="Credit note", readonly=True, copy=False)

"""Warranty extension on the customer's serial/lot and instructions sent to the
customer (SPEC §4)."""

from odoo import fields, models


class QualityComplaintRemedyCustomer(models.AbstractModel):
    _name = "quality.complaint.remedy.customer"
    _inherit = ["quality.complaint.remedy.document"]
    _description = "Remedy: warranty and instructions"

    warranty_end_date = fields.Date(string="New warranty end", readonly=True, copy=False)

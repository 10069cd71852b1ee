"""Pick-up, replacement and gift (SPEC §5): stock transfers of the customer's goods."""

from odoo import fields, models


class QualityComplaintRemedyDelivery(models.AbstractModel):
    _name = "quality.complaint.remedy.delivery"
    _inherit = ["quality.complaint.remedy.document"]
    _description = "Remedy: transfers"

    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True, copy=False)

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qc_supplier_answer_days = fields.Integer(
        related="company_id.qc_supplier_answer_days", readonly=False
    )
    qc_purchase_manager_id = fields.Many2one(
        related="company_id.qc_purchase_manager_id", readonly=False
    )

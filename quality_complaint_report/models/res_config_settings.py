from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qc_review_working_day = fields.Integer(
        related="company_id.qc_review_working_day", readonly=False
    )

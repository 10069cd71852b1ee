from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qc_verification_days = fields.Integer(related="company_id.qc_verification_days", readonly=False)
    qc_recurrence_days = fields.Integer(related="company_id.qc_recurrence_days", readonly=False)

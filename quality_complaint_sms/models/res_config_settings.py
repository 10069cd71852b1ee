from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qc_sms_acknowledgement = fields.Boolean(
        related="company_id.qc_sms_acknowledgement", readonly=False
    )
    qc_sms_regrade = fields.Boolean(related="company_id.qc_sms_regrade", readonly=False)
    qc_sms_result = fields.Boolean(related="company_id.qc_sms_result", readonly=False)
    qc_sms_followup = fields.Boolean(related="company_id.qc_sms_followup", readonly=False)

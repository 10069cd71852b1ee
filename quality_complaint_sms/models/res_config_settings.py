from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qc_sms_acknowledgement = fields.Boolean(
        related="company_id.qc_sms_acknowledgement", readonly=False
    )
    qc_sms_regrade = fields.Boolean(related="company_id.qc_sms_regrade", readonly=False)
    qc_sms_result = fields.Boolean(related="company_id.qc_sms_result", readonly=False)
    qc_sms_followup = fields.Boolean(related="company_id.qc_sms_followup", readonly=False)
    qc_sms_followup_reminder = fields.Boolean(
        related="company_id.qc_sms_followup_reminder", readonly=False
    )
    qc_sms_followup_reminder_days = fields.Integer(
        related="company_id.qc_sms_followup_reminder_days", readonly=False
    )

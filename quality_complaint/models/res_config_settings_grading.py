from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"  # pylint: disable=consider-merging-classes-inherited

    qc_batch_threshold = fields.Float(related="company_id.qc_batch_threshold", readonly=False)
    qc_batch_window_days = fields.Integer(related="company_id.qc_batch_window_days", readonly=False)
    qc_high_value_threshold = fields.Float(
        related="company_id.qc_high_value_threshold", readonly=False
    )
    qc_sla_at_risk_percent = fields.Float(
        related="company_id.qc_sla_at_risk_percent", readonly=False
    )
    qc_calendar_id = fields.Many2one(related="company_id.qc_calendar_id", readonly=False)
    qc_quality_manager_id = fields.Many2one(
        related="company_id.qc_quality_manager_id", readonly=False
    )

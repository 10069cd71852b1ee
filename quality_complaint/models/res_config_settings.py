from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qc_first_contact_hours = fields.Integer(
        related="company_id.qc_first_contact_hours", readonly=False
    )
    qc_team_id = fields.Many2one(related="company_id.qc_team_id", readonly=False)
    qc_vague_terms = fields.Char(related="company_id.qc_vague_terms", readonly=False)
    qc_min_description_words = fields.Integer(
        related="company_id.qc_min_description_words", readonly=False
    )

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

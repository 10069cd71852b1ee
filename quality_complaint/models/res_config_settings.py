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

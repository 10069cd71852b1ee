from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    qc_remedy_approval_limit = fields.Monetary(
        related="company_id.qc_remedy_approval_limit",
        currency_field="company_currency_id",
        readonly=False,
    )
    qc_remedy_max_warranty_months = fields.Integer(
        related="company_id.qc_remedy_max_warranty_months", readonly=False
    )
    qc_return_location_id = fields.Many2one(
        related="company_id.qc_return_location_id",
        readonly=False,
        domain="[('usage', '=', 'internal'), ('company_id', 'in', [company_id, False])]",
    )
    qc_accounting_user_id = fields.Many2one(
        related="company_id.qc_accounting_user_id", readonly=False
    )
    qc_warehouse_user_id = fields.Many2one(
        related="company_id.qc_warehouse_user_id", readonly=False
    )
    qc_followup_days = fields.Integer(related="company_id.qc_followup_days", readonly=False)
    qc_feedback_days = fields.Integer(related="company_id.qc_feedback_days", readonly=False)
    qc_feedback_max_attempts = fields.Integer(
        related="company_id.qc_feedback_max_attempts", readonly=False
    )

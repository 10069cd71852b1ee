from odoo import api, fields, models
from odoo.exceptions import AccessError

QC_MANAGER_GROUP = "quality_complaint.group_complaint_manager"


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
    qc_duplicate_window_days = fields.Integer(
        related="company_id.qc_duplicate_window_days", readonly=False
    )
    qc_portal_daily_limit = fields.Integer(
        related="company_id.qc_portal_daily_limit", readonly=False
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
    qc_upload_max_files = fields.Integer(related="company_id.qc_upload_max_files", readonly=False)
    qc_upload_max_mb = fields.Integer(related="company_id.qc_upload_max_mb", readonly=False)
    qc_upload_types = fields.Char(related="company_id.qc_upload_types", readonly=False)

    def _qc_manager_not_admin(self):
        """A quality manager who is no administrator saves only the complaint settings."""
        return not self.env.is_admin() and self.env.user.has_group(QC_MANAGER_GROUP)

    def _qc_pop_company_vals(self, vals):
        """Take the complaint settings (related to the company) out of ``vals``."""
        names = [
            name
            for name, field in self._fields.items()
            if name.startswith("qc_") and field.related and field.related.startswith("company_id.")
        ]
        return {
            self._fields[name].related.split(".", 1)[1]: vals.pop(name)
            for name in names
            if name in vals
        }

    def _qc_write_company(self, company_vals):
        """Write the complaint settings on the settings' company, on behalf of a quality manager.

        res.company stays read-only for them: only these fields, only one of their companies.
        """
        for settings in self:
            company = settings.company_id
            if company not in self.env.user.company_ids:
                raise AccessError(
                    self.env._("You can only change the complaint settings of your companies.")
                )
            changed = {
                name: value
                for name, value in company_vals.items()
                if company._fields[name].convert_to_write(company[name], company) != value
            }
            if changed:
                company.sudo().write(changed)

    @api.model_create_multi
    def create(self, vals_list):
        if not self._qc_manager_not_admin():
            return super().create(vals_list)
        company_vals_list = [self._qc_pop_company_vals(vals) for vals in vals_list]
        records = super().create(vals_list)
        for settings, company_vals in zip(records, company_vals_list, strict=True):
            settings._qc_write_company(company_vals)
        return records

    def write(self, vals):
        if not self._qc_manager_not_admin():
            return super().write(vals)
        company_vals = self._qc_pop_company_vals(vals)
        result = super().write(vals) if vals else True
        self._qc_write_company(company_vals)
        return result

    def _compute_display_name(self):
        # The base name comes from the settings action, which only administrators read.
        if not self._qc_manager_not_admin():
            return super()._compute_display_name()
        as_superuser = self.sudo()
        super(ResConfigSettings, as_superuser)._compute_display_name()
        for settings, settings_sudo in zip(self, as_superuser, strict=True):
            settings.display_name = settings_sudo.display_name

    def execute(self):
        # The base method reserves saving to administrators (it also installs modules
        # and changes groups). A quality manager's complaint settings are written on
        # the company when the record is saved; nothing else is applied for them.
        if self._qc_manager_not_admin():
            self.ensure_one()
            return {"type": "ir.actions.client", "tag": "reload"}
        return super().execute()

"""The corrective actions of an investigation (SPEC §4, §6)."""

from odoo import api, fields, models


class QualityComplaintInvestigationActions(models.AbstractModel):
    _name = "quality.complaint.investigation.actions"
    _description = "Investigation: corrective actions"

    action_ids = fields.One2many(
        "quality.complaint.action", "investigation_id", string="Corrective actions"
    )
    action_count = fields.Integer(
        string="Corrective action count", compute="_compute_action_count"
    )

    @api.depends("action_ids")
    def _compute_action_count(self):
        groups = self.env["quality.complaint.action"]._read_group(
            [("investigation_id", "in", self.ids)], ["investigation_id"], ["__count"]
        )
        counts = {investigation.id: count for investigation, count in groups}
        for investigation in self:
            investigation.action_count = counts.get(investigation.id, 0)

    def action_view_actions(self):
        self.ensure_one()
        return self.env["quality.complaint.action"]._qca_action_for(
            [("investigation_id", "=", self.id)],
            name=self.env._("Actions of %s", self.name),
            context={"default_investigation_id": self.id, "default_company_id": self.company_id.id},
        )

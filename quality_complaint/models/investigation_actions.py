"""The corrective actions of an investigation (SPEC §4, §6)."""

from odoo import api, fields, models


class QualityComplaintInvestigationActions(models.AbstractModel):
    _name = "quality.complaint.investigation.actions"
    _description = "Investigation: corrective actions"

    action_ids = fields.One2many(
        "quality.complaint.action", "investigation_id", string="Corrective actions"
    )
    action_count = fields.Integer(string="Corrective action count", compute="_compute_action_count")

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

    # ================================================================ verification
    # Closing and reopening with the effectiveness of the actions (SPEC §6); see
    # corrective_action_verification.py.
    def _qci_close_if_verified(self):
        """Close the approved investigations whose actions (not cancelled; at least
        one) are all verified effective."""
        closing = self.browse()
        for investigation in self.filtered(lambda inv: inv.state == "approved"):
            actions = investigation.action_ids.filtered(lambda a: a.state != "cancelled")
            if actions and all(action.state == "effective" for action in actions):
                closing |= investigation
        if not closing:
            return
        closing._qc_write_protected({"state": "closed"})
        closing._message_log_batch(
            {
                investigation.id: self.env._(
                    "Closed: all its corrective actions are verified effective (%(refs)s).",
                    refs=", ".join(
                        investigation.action_ids.filtered(lambda a: a.state == "effective").mapped(
                            "name"
                        )
                    ),
                )
                for investigation in closing
            }
        )

    def _qci_reopen_for(self, actions, reason):
        """A closed investigation whose action is reopened (or a new one opened)
        is approved again: its work is not over."""
        reopening = self.filtered(lambda inv: inv.state == "closed")
        if not reopening:
            return
        reopening._qc_write_protected({"state": "approved"})
        reopening._message_log_batch(
            {
                investigation.id: self.env._(
                    "Reopened with %(refs)s: %(reason)s",
                    refs=", ".join(
                        actions.filtered(lambda a, i=investigation: a.investigation_id == i).mapped(
                            "name"
                        )
                    ),
                    reason=reason,
                )
                for investigation in reopening
            }
        )

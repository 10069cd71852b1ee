"""Purchasing sees the open corrective actions of a vendor on its form."""

from odoo import api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, PURCHASE, role

# An action is closed once verified effective or cancelled.
ACTION_CLOSED = ("effective", "cancelled")


class ResPartnerSupplierActions(models.Model):
    # A concern file of its own, next to res_partner.py (kept apart on purpose).
    _inherit = "res.partner"

    qc_supplier_action_count = fields.Integer(
        string="Supplier actions",
        compute="_compute_qc_supplier_action_count",
        help="Corrective actions addressed to this vendor that are not closed yet.",
    )

    @api.model
    def _qc_open_supplier_action_counts(self, commercial_partners):
        """{commercial partner id: number of its not closed actions}, as the user
        sees them (nothing without access to the actions)."""
        Action = self.env["quality.complaint.action"]
        if not commercial_partners or not Action.has_access("read"):
            return {}
        groups = Action._read_group(
            [("partner_id", "in", commercial_partners.ids), ("state", "not in", ACTION_CLOSED)],
            ["partner_id"],
            ["__count"],
        )
        return {partner.id: count for partner, count in groups}

    def _compute_qc_supplier_action_count(self):
        counts = self._qc_open_supplier_action_counts(self.commercial_partner_id)
        for partner in self:
            partner.qc_supplier_action_count = counts.get(partner.commercial_partner_id.id, 0)

    @role(PURCHASE, CUSTOMER_SERVICE)
    def action_view_qc_supplier_actions(self):
        self.ensure_one()
        return self.commercial_partner_id._qc_supplier_actions_window()

    def _qc_supplier_actions_window(self):
        """The corrective actions of this vendor that are not closed."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_complaint_purchase.action_supplier_corrective_action"
        )
        action["domain"] = [("partner_id", "=", self.id), ("state", "not in", ACTION_CLOSED)]
        # The buyer reads where each request stands: grouped by its supplier state.
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_group_supplier_state": 1,
        }
        action["name"] = self.env._("Corrective actions of %s", self.display_name)
        return action

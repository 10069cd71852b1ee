from odoo import models
from odoo.addons.quality_complaint.roles import OFFICER, PURCHASE, role


class ResPartner(models.Model):
    _inherit = "res.partner"

    @role(PURCHASE, OFFICER)
    def action_view_qc_supplier_scorecard(self):
        """The supplier scorecard of this vendor, month by month."""
        self.ensure_one()
        supplier = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_complaint_report.action_quality_supplier_scorecard"
        )
        action["domain"] = [("supplier_id", "=", supplier.id)]
        action["context"] = {"group_by": ["date:month"], "pivot_row_groupby": ["date:month"]}
        action["name"] = self.env._("Scorecard of %s", supplier.display_name)
        return action

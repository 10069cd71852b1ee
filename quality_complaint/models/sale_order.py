from odoo import fields, models
from odoo.exceptions import AccessError

from ..roles import CUSTOMER_SERVICE, role


class SaleOrder(models.Model):
    _inherit = "sale.order"

    complaint_ids = fields.One2many(
        "helpdesk.ticket",
        "sale_order_id",
        string="Quality complaints",
        domain=[("is_quality_complaint", "=", True)],
    )
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    def _compute_complaint_count(self):
        counts = self.env["helpdesk.ticket"]._qc_count_by(
            "sale_order_id", [("sale_order_id", "in", self.ids)]
        )
        for order in self:
            order.complaint_count = counts.get(order.id, 0)

    @role(CUSTOMER_SERVICE)
    def action_report_quality_complaint(self):
        """Open a new complaint pre-filled from this order."""
        self.ensure_one()
        if not self.env.user.has_group("quality_complaint.group_complaint_user"):
            raise AccessError(
                self.env._("Only Customer Service and Quality users report quality complaints.")
            )
        team = self.company_id.qc_team_id
        channel = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_channel_phone", raise_if_not_found=False
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Report quality complaint"),
            "res_model": "helpdesk.ticket",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_is_quality_complaint": True,
                "default_sale_order_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_company_id": self.company_id.id,
                "default_team_id": team.id,
                "default_channel_id": channel.id if channel else False,
                "default_name": self.env._("Quality complaint on %s", self.name),
            },
        }

    @role(CUSTOMER_SERVICE)
    def action_view_quality_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("sale_order_id", "=", self.id)],
            {"default_sale_order_id": self.id, "default_partner_id": self.partner_id.id},
        )

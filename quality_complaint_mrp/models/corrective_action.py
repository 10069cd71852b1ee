from odoo import fields, models


class QualityComplaintAction(models.Model):
    """An action on the shop floor: the work centres and manufacturing orders it is about."""

    _inherit = "quality.complaint.action"

    workcenter_ids = fields.Many2many(
        "mrp.workcenter",
        "quality_complaint_action_mrp_workcenter_rel",
        "action_id",
        "workcenter_id",
        string="Work centres",
        check_company=True,
        groups="mrp.group_mrp_user",
        help="The work centres the action is about (e.g. the equipment to repair).",
    )
    production_ids = fields.Many2many(
        "mrp.production",
        "quality_complaint_action_mrp_production_rel",
        "action_id",
        "production_id",
        string="Manufacturing orders",
        check_company=True,
        groups="mrp.group_mrp_user",
        help="The manufacturing orders that made the lots the action is about.",
    )

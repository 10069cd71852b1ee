"""Action proposals: the actions an approved root cause calls for (docs/process.md §4).

A company edits them under Configuration > Action Proposals; an approved
investigation proposes, as draft actions, those of its root-cause category (see
``quality.complaint.investigation.actions.action_propose_actions``).
"""

from odoo import api, fields, models
from odoo.addons.quality_complaint_investigation.models.fishbone_cause import CAUSE_CATEGORIES

from .corrective_action import ACTION_KINDS

# Days to do the action, when the proposal does not say.
DEFAULT_DEADLINE_DAYS = {"containment": 2, "corrective": 14, "preventive": 30}


class QualityComplaintActionTemplate(models.Model):
    _name = "quality.complaint.action.template"
    _description = "Action proposal for a root-cause category"
    _order = "root_cause_category, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to propose the action in every company.",
    )
    root_cause_category = fields.Selection(
        CAUSE_CATEGORIES,
        string="Root-cause category",
        required=True,
        index=True,
        help="Proposed when the investigation's root cause (its category, or a fishbone "
        "cause marked as root cause) falls in this category.",
    )
    kind = fields.Selection(ACTION_KINDS, required=True, default="corrective")
    title = fields.Char(required=True, translate=True)
    description = fields.Html(translate=True)
    department_id = fields.Many2one(
        "quality.complaint.department",
        check_company=True,
        help="Its head owns the proposed action; without a head, the investigation's owner.",
    )
    deadline_days = fields.Integer(
        string="Days to do it",
        compute="_compute_deadline_days",
        store=True,
        readonly=False,
        help="The proposed deadline is this many days after the proposal.",
    )
    to_supplier = fields.Boolean(
        string="Addressed to the supplier",
        help="The action goes to the supplier at fault, with the purchase orders and "
        "lots the investigation traced back to it.",
    )

    _deadline_days_positive = models.Constraint(
        "CHECK(deadline_days >= 0)", "The days to do an action cannot be negative."
    )

    @api.depends("kind")
    def _compute_deadline_days(self):
        for template in self:
            template.deadline_days = DEFAULT_DEADLINE_DAYS.get(template.kind, 14)

    @api.depends("title", "root_cause_category")
    def _compute_display_name(self):
        labels = dict(self._fields["root_cause_category"]._description_selection(self.env))
        for template in self:
            category = labels.get(template.root_cause_category)
            template.display_name = (
                f"{category}: {template.title}" if category else template.title or ""
            )

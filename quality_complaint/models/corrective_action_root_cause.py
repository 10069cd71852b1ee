"""The root cause an action answers: a fishbone cause or the 5-Why conclusion of
its investigation, and the scope the investigation proposes (SPEC §4)."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .fishbone_cause import CAUSE_CATEGORIES

ROOT_CAUSE_SOURCES = [
    ("fishbone", "Fishbone cause"),
    ("five_whys", "5-Why conclusion"),
]


class QualityComplaintActionRootCause(models.AbstractModel):
    _name = "quality.complaint.action.root.cause"
    _description = "Corrective action: root cause answered"

    investigation_id = fields.Many2one("quality.complaint.investigation")

    root_cause_source = fields.Selection(
        ROOT_CAUSE_SOURCES,
        groups="base.group_user",
        string="Answers",
        help="The root cause this action answers: a fishbone cause or the "
        "conclusion of the 5-Why chain.",
    )
    fishbone_cause_id = fields.Many2one(
        "quality.complaint.fishbone.cause",
        groups="base.group_user",
        string="Fishbone cause",
        domain="[('investigation_id', '=', investigation_id)]",
        ondelete="set null",
    )
    root_cause = fields.Text(
        compute="_compute_root_cause",
        store=True,
        readonly=False,
        help="The root cause this action answers.",
    )
    root_cause_category = fields.Selection(
        CAUSE_CATEGORIES,
        compute="_compute_root_cause",
        store=True,
        readonly=False,
        index=True,
    )

    @api.depends(
        "root_cause_source",
        "fishbone_cause_id.description",
        "fishbone_cause_id.category",
        "investigation_id.why_ids.because",
        "investigation_id.root_cause_category",
    )
    def _compute_root_cause(self):
        for action in self:
            investigation = action.investigation_id
            if action.root_cause_source == "fishbone" and action.fishbone_cause_id:
                action.root_cause = action.fishbone_cause_id.description
                action.root_cause_category = action.fishbone_cause_id.category
            elif action.root_cause_source == "five_whys" and investigation.why_ids:
                last = investigation.why_ids.sorted(lambda w: (w.sequence, w.id))[-1:]
                action.root_cause = last.because or last.why
                action.root_cause_category = investigation.root_cause_category
            elif investigation and not action.root_cause_category:
                action.root_cause_category = investigation.root_cause_category

    @api.onchange("investigation_id")
    def _onchange_investigation_id(self):
        investigation = self.investigation_id
        if not investigation:
            return
        if not self.product_ids and investigation.product_id:
            self.product_ids = investigation.product_id
        if not self.lot_ids and investigation.lot_ids:
            self.lot_ids = investigation.lot_ids
        if not self.partner_id and investigation.supplier_id:
            self.partner_id = investigation.supplier_id.commercial_partner_id

    def _qca_check_vals(self, vals_list, creating=False):
        """The actions of a closed investigation belong to the case library: only a
        quality manager changes them (the business actions write as superuser)."""
        if not creating and not self.env.su:
            # Purchasing writes supplier actions without reading investigations.
            closed = self.sudo().filtered(lambda a: a.investigation_id.state == "closed")
            if closed and not self.env.user.has_group("quality_complaint.group_complaint_manager"):
                raise UserError(
                    self.env._(
                        "%(action)s belongs to the closed investigation %(investigation)s: "
                        "only a quality manager can change it.",
                        action=closed[0].display_name,
                        investigation=closed[0].investigation_id.display_name,
                    )
                )
        return super()._qca_check_vals(vals_list, creating=creating)

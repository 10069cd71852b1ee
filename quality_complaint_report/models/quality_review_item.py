"""The agenda items and the decisions of a monthly quality review: they belong to
the review and are locked with it once it is closed."""

from odoo import Command, api, fields, models
from odoo.addons.quality_complaint_action.models.corrective_action import ACTION_KINDS
from odoo.exceptions import UserError

ITEM_KINDS = [
    ("urgent_open", "Urgent complaints still open"),
    ("sla_breach", "SLA breaches of the month"),
    ("action_overdue", "Corrective actions overdue"),
    ("supplier_overdue", "Supplier answers overdue"),
    ("verification", "Actions awaiting verification"),
    ("recurrence", "Recurrences"),
]


class QualityComplaintReviewItem(models.Model):
    _name = "quality.complaint.review.item"
    _description = "Quality review agenda item"
    _order = "review_id, sequence, id"

    review_id = fields.Many2one(
        "quality.complaint.review", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(ITEM_KINDS, required=True)
    description = fields.Char(required=True)
    ticket_id = fields.Many2one("helpdesk.ticket", string="Complaint", ondelete="set null")
    action_id = fields.Many2one(
        "quality.complaint.action", string="Corrective action", ondelete="set null"
    )
    discussed = fields.Boolean()

    @api.model_create_multi
    def create(self, vals_list):
        reviews = self.env["quality.complaint.review"].browse(
            {vals.get("review_id") for vals in vals_list}
        )
        reviews._qc_check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.review_id._qc_check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        self.review_id._qc_check_editable()


class QualityComplaintReviewDecision(models.Model):
    _name = "quality.complaint.review.decision"
    _description = "Quality review decision"
    _inherit = ["quality.complaint.protected.mixin"]
    _order = "review_id, id"
    _qc_protected_fields = ("action_id",)

    review_id = fields.Many2one(
        "quality.complaint.review", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    description = fields.Char(required=True)
    kind = fields.Selection(ACTION_KINDS, string="Action kind", required=True, default="corrective")
    user_id = fields.Many2one("res.users", string="Owner", domain="[('share', '=', False)]")
    date_deadline = fields.Date(string="Deadline")
    investigation_id = fields.Many2one(
        "quality.complaint.investigation",
        domain="[('company_id', '=', company_id)]",
    )
    partner_id = fields.Many2one("res.partner", string="Supplier")
    product_id = fields.Many2one("product.product")
    action_id = fields.Many2one(
        "quality.complaint.action", string="Corrective action", readonly=True, copy=False
    )

    @api.model_create_multi
    def create(self, vals_list):
        self._qc_check_protected(vals_list, creating=True)
        reviews = self.env["quality.complaint.review"].browse(
            {vals.get("review_id") for vals in vals_list}
        )
        reviews._qc_check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self._qc_check_protected([vals])
        self.review_id._qc_check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        self.review_id._qc_check_editable()
        if self.filtered("action_id"):
            raise UserError(
                self.env._("A decision that became a corrective action cannot be deleted.")
            )

    def _qc_check_complete(self):
        missing = self.filtered(lambda d: not d.user_id or not d.date_deadline)
        if missing:
            raise UserError(
                self.env._(
                    "Give each decision an owner and a deadline before creating its action: %s",
                    ", ".join(missing.mapped("description")),
                )
            )

    def _qc_action_vals(self):
        self.ensure_one()
        vals = {
            "title": self.description,
            "kind": self.kind,
            "user_id": self.user_id.id,
            "date_deadline": self.date_deadline,
            "company_id": self.review_id.company_id.id,
        }
        if self.investigation_id:
            vals["investigation_id"] = self.investigation_id.id
        if self.partner_id:
            vals["partner_id"] = self.partner_id.id
        if self.product_id:
            vals["product_ids"] = [Command.set(self.product_id.ids)]
        return vals

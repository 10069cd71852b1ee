"""The customer remedy plan of a complaint (docs/process.md §4, §5): proposed from the grade's
default plan and the customer's request, approved, executed line by line through
Odoo documents (remedy.py); when the last remedy of the plan is executed the
customer's feedback is due (helpdesk_ticket_feedback.py)."""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..roles import CUSTOMER_SERVICE, role

REMEDY_STATE = [
    ("none", "No plan"),
    ("planned", "Plan proposed"),
    ("executing", "Being carried out"),
    ("executed", "Executed"),
]
# Only the plan's actions set these.
REMEDY_TICKET_PROTECTED = {"qc_plan_version"}


class QualityComplaintTicketRemedy(models.AbstractModel):
    """Remedy concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.remedy"
    _description = "Complaint remedy plan"

    remedy_ids = fields.One2many(
        "quality.complaint.remedy", "ticket_id", string="Remedies", groups="base.group_user"
    )
    qc_plan_version = fields.Integer(
        string="Remedy plan", readonly=True, copy=False, groups="base.group_user"
    )
    qc_remedy_state = fields.Selection(
        REMEDY_STATE,
        string="Remedy",
        compute="_compute_qc_remedy_state",
        store=True,
        index=True,
        groups="base.group_user",
    )
    qc_remedy_cost = fields.Monetary(
        string="Remedy cost",
        compute="_compute_qc_remedy_cost",
        store=True,
        currency_field="qc_currency_id",
        groups="quality_complaint.group_complaint_officer",
        help="What the executed and running remedies cost the company.",
    )
    qc_currency_id = fields.Many2one(
        "res.currency", compute="_compute_qc_currency_id", groups="base.group_user"
    )
    qc_picking_count = fields.Integer(
        string="Transfers", compute="_compute_qc_document_counts", groups="base.group_user"
    )
    qc_credit_note_count = fields.Integer(
        string="Credit notes", compute="_compute_qc_document_counts", groups="base.group_user"
    )

    @api.depends("company_id")
    def _compute_qc_currency_id(self):
        for ticket in self:
            ticket.qc_currency_id = (ticket.company_id or self.env.company).currency_id

    @api.depends("qc_plan_version", "remedy_ids.state", "remedy_ids.plan_version")
    def _compute_qc_remedy_state(self):
        for ticket in self:
            lines = ticket._qc_current_remedies().filtered(lambda r: r.state != "cancelled")
            if not lines:
                ticket.qc_remedy_state = "none"
            elif all(r.state == "executed" for r in lines):
                ticket.qc_remedy_state = "executed"
            elif any(r.state in ("in_progress", "executed") for r in lines):
                ticket.qc_remedy_state = "executing"
            else:
                ticket.qc_remedy_state = "planned"

    @api.depends("remedy_ids.cost", "remedy_ids.state")
    def _compute_qc_remedy_cost(self):
        for ticket in self:
            ticket.qc_remedy_cost = sum(
                ticket.remedy_ids.filtered(lambda r: r.state in ("in_progress", "executed")).mapped(
                    "cost"
                )
            )

    @api.depends("remedy_ids.picking_id", "remedy_ids.invoice_id")
    def _compute_qc_document_counts(self):
        for ticket in self:
            ticket.qc_picking_count = len(ticket.remedy_ids.picking_id)
            ticket.qc_credit_note_count = len(ticket.remedy_ids.invoice_id)

    # ------------------------------------------------------------ actions
    @role(CUSTOMER_SERVICE)
    def action_propose_remedy_plan(self):
        """Propose the remedy plan: the grade's default remedies and those answering
        the customer's request. A plan not approved yet is proposed anew."""
        for ticket in self:
            if ticket.complaint_state != "registered":
                raise UserError(
                    self.env._(
                        "%s: register the complaint before proposing a remedy plan.",
                        ticket.display_name,
                    )
                )
            if ticket.stage_id.closed:
                raise UserError(self.env._("%s is closed.", ticket.display_name))
            current = ticket._qc_current_remedies()
            if current.filtered(lambda r: r.state not in ("planned", "cancelled")):
                raise UserError(
                    self.env._(
                        "%s: the plan is being carried out; a revised plan follows the "
                        "customer's feedback.",
                        ticket.display_name,
                    )
                )
            # The action decides what is replaced: lines nobody approved yet.
            current.filtered(lambda r: r.state == "planned").sudo().unlink()
            version = ticket.qc_plan_version or 1
            vals_list = ticket._qc_remedy_plan_vals(version)
            if not vals_list:
                raise UserError(
                    self.env._(
                        "%s: no remedy type is proposed for its grade or the customer's "
                        "request; add remedies by hand or set the grade's default plan.",
                        ticket.display_name,
                    )
                )
            ticket.sudo().write(
                {
                    "qc_plan_version": version,
                    "remedy_ids": [Command.create(vals) for vals in vals_list],
                }
            )
        self._qc_move_to_step("remedy")
        return True

    @role(CUSTOMER_SERVICE)
    def action_view_remedy_pickings(self):
        return self.remedy_ids.filtered("picking_id")._qc_documents_action()

    @role(CUSTOMER_SERVICE)
    def action_view_remedy_credit_notes(self):
        return self.remedy_ids.filtered("invoice_id")._qc_documents_action()

    # ------------------------------------------------------------ hooks
    def _qc_current_remedies(self):
        self.ensure_one()
        return self.remedy_ids.filtered(lambda r: r.plan_version == (self.qc_plan_version or 1))

    def _qc_remedy_types(self):
        """The remedy types of the plan: the grade's, then those answering the
        customer's request, then the pick-up the others need."""
        self.ensure_one()
        company = self.company_id or self.env.company
        Type = self.env["quality.complaint.remedy.type"]
        available = Type.search([("company_id", "in", [company.id, False])])
        types = self.grade_id.remedy_type_ids & available
        if self.customer_request:
            types |= available.filtered(lambda t: t.customer_request == self.customer_request)
        if types.filtered("collect_goods") and "return" not in types.mapped("action"):
            types = available.filtered(lambda t: t.action == "return")[:1] | types
        return types.sorted(lambda t: (t.sequence, t.id))

    def _qc_remedy_plan_vals(self, version):
        self.ensure_one()
        sale_line = self.sale_line_id
        quantity = self.affected_qty or 1.0
        Remedy = self.env["quality.complaint.remedy"]
        lines = []
        for sequence, kind in enumerate(self._qc_remedy_types(), start=1):
            vals = {
                "type_id": kind.id,
                "name": kind.description or kind.name,
                "sequence": sequence,
                "plan_version": version,
                "product_id": (
                    kind.product_id if kind.action == "gift" else kind.product_id or self.product_id
                ).id,
                "lot_ids": [Command.set(self.lot_ids.ids)] if kind.action == "return" else [],
                "quantity": 1.0 if kind.product_id else quantity,
                "user_id": self.user_id.id or self.env.user.id,
                "warranty_months": kind.warranty_months,
            }
            if kind.action == "credit_note" and kind.collect_goods:
                # a refund: what the customer paid for the units, in the invoice's currency
                vals["amount"] = (
                    Remedy._qc_refund_figures(self, quantity)["total"] if sale_line else 0.0
                )
            elif kind.action == "credit_note":
                vals["amount"] = kind.default_amount
            else:
                vals["percent"] = kind.default_amount
            lines.append(vals)
        return lines

    def _qc_on_remedy_state_changed(self):
        """A remedy moved: the plan's state follows; when the last remedy of the
        plan is executed, the customer's feedback is due."""
        self.filtered(lambda t: t.qc_remedy_state in ("executing", "executed"))._qc_move_to_step(
            "remedy"
        )
        finished = self.filtered(lambda t: t.qc_remedy_state == "executed")
        if finished:
            finished._qc_on_remedies_executed()

    def _qc_on_remedies_executed(self):
        """Every remedy of the current plan is executed; called again whenever a
        remedy of an executed plan moves, so implementations are idempotent
        (helpdesk_ticket_feedback.py)."""
        return None

"""A customer remedy (docs/process.md §4, §5): one line of a complaint's remedy plan, carried
out by the Odoo document made for it, never by a note saying it happened.

This file owns what happens when a remedy is created, written, approved, executed
or cancelled; each kind of document is a concern with its own file:

- remedy_pickup.py        pick-up (return transfer to the inspection location)
- remedy_delivery.py      replacement and gift shipments, the transfers' life
- remedy_credit_note.py   compensation and refunds (customer credit notes)
- remedy_customer.py      warranty extension on the serial/lot, instructions
- bridges add theirs: quality_complaint_repair (repair order),
  quality_complaint_loyalty (coupon)

An executor ``_qc_execute_<action>`` creates the document; the remedy is
executed when the document is done (``_qc_document_done``).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..roles import CUSTOMER_SERVICE, role

REMEDY_STATES = [
    ("planned", "Planned"),
    ("approved", "Approved"),
    ("in_progress", "Under way"),
    ("executed", "Executed"),
    ("cancelled", "Cancelled"),
]
# Only the remedy's actions (approve, execute, its document) set these.
REMEDY_PROTECTED = {
    "state",
    "approved_by_id",
    "approved_date",
    "executed_date",
    "executed_by_id",
    "plan_version",
    # the documents: only executing the remedy links them
    "picking_id",
    "invoice_id",
    "message_id",
    "warranty_end_date",
    # an amount follows its complaint's company (and its approval limit)
    "company_id",
}
# What an approval approves: changing one of these sends the remedy back to planned.
APPROVED_FIELDS = (
    "type_id",
    "ticket_id",
    "company_id",
    "product_id",
    "quantity",
    "lot_ids",
    "amount",
    "percent",
    "warranty_months",
)
# Actions whose line needs a positive amount, and those that ship a quantity.
AMOUNT_ACTIONS = {"credit_note"}
QUANTITY_ACTIONS = {"return", "replacement", "gift"}


class QualityComplaintRemedy(models.Model):
    _name = "quality.complaint.remedy"
    _inherit = [
        "mail.thread",
        "quality.complaint.protected.mixin",
        "quality.complaint.remedy.delivery",
        "quality.complaint.remedy.pickup",
        "quality.complaint.remedy.credit.note",
        "quality.complaint.remedy.customer",
    ]
    _description = "Customer remedy"
    _order = "ticket_id, plan_version desc, sequence, id"
    _qc_protected_fields = REMEDY_PROTECTED

    ticket_id = fields.Many2one(
        "helpdesk.ticket", string="Complaint", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    type_id = fields.Many2one(
        "quality.complaint.remedy.type", string="Remedy", required=True, ondelete="restrict"
    )
    action = fields.Selection(related="type_id.action", store=True)
    name = fields.Char(string="Description", required=True)
    plan_version = fields.Integer(
        string="Plan", default=1, readonly=True, help="The remedy plan this line belongs to."
    )
    state = fields.Selection(
        REMEDY_STATES, default="planned", required=True, readonly=True, tracking=True, index=True
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    # the amount's currency: a refund's is its invoice's (remedy_credit_note.py)
    currency_id = fields.Many2one("res.currency", compute="_compute_currency_id")
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Customer")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
        tracking=True,
    )
    product_id = fields.Many2one("product.product")
    lot_ids = fields.Many2many("stock.lot", string="Lots/Serial numbers")
    quantity = fields.Float(default=1.0, digits="Product Unit")
    amount = fields.Monetary(
        currency_field="currency_id",
        help="Compensation or refund: the amount credited to the customer.",
    )
    percent = fields.Float(string="Discount (%)", help="Coupon: the discount on the next purchase.")
    warranty_months = fields.Integer(string="Warranty extension (months)")
    cost = fields.Monetary(
        currency_field="company_currency_id",
        compute="_compute_cost",
        store=True,
        groups="quality_complaint.group_complaint_officer",
        help="What the remedy costs the company: the amount credited, or the cost of "
        "the goods shipped.",
    )
    needs_manager_approval = fields.Boolean(
        compute="_compute_needs_manager_approval",
        help="Above the company's approval limit: only a quality manager approves it.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, tracking=True)
    approved_date = fields.Datetime(readonly=True)
    executed_date = fields.Datetime(readonly=True)
    executed_by_id = fields.Many2one("res.users", readonly=True)
    document_ref = fields.Char(
        string="Document",
        compute="_compute_document_ref",
        help="The reference of the Odoo document that carries the remedy out.",
    )
    customer_info = fields.Char(
        string="For the customer",
        compute="_compute_document_ref",
        help="What the customer is told of it: tracking reference, credit note "
        "number, coupon code, new warranty end.",
    )

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        self._qc_check_protected(vals_list, creating=True)
        remedies = super().create(vals_list)
        remedies._qc_check_editable_plan()
        return remedies

    def write(self, vals):
        self._qc_check_protected([vals])
        if not self.env.su:
            self._qc_check_editable_plan(vals)
        approved = self.browse()
        if vals.keys() & set(APPROVED_FIELDS):
            approved = self.filtered(lambda r: r.state == "approved")
        before = {remedy.id: remedy._qc_approved_values() for remedy in approved}
        result = super().write(vals)
        approved.filtered(lambda r: r._qc_approved_values() != before[r.id])._qc_unapprove()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        started = self.filtered(lambda r: r.state != "planned")
        if started:
            raise UserError(
                self.env._(
                    "%(remedies)s: only a planned remedy is removed; cancel the others, "
                    "their documents stay on the complaint.",
                    remedies=", ".join(started.mapped("name")),
                )
            )

    # ------------------------------------------------------------ computes
    @api.depends("action", "amount", "quantity", "product_id.standard_price")
    def _compute_cost(self):
        for remedy in self:
            remedy.cost = remedy._qc_cost()

    @api.depends(
        "action",
        "amount",
        "quantity",
        "percent",
        "type_id",
        "product_id.standard_price",
        "ticket_id.sale_line_id",
        "invoice_id.amount_total_signed",
        "company_id.qc_remedy_approval_limit",
    )
    def _compute_needs_manager_approval(self):
        for remedy in self:
            remedy.needs_manager_approval = remedy._qc_over_approval_limit()

    @api.depends("state", "action")
    def _compute_document_ref(self):
        for remedy in self:
            ref, info = remedy._qc_document_facts()
            remedy.document_ref = ref
            remedy.customer_info = info

    @api.constrains("quantity", "amount", "percent", "warranty_months")
    def _check_numbers(self):
        for remedy in self:
            if remedy.quantity < 0 or remedy.amount < 0:
                raise ValidationError(
                    self.env._(
                        "%(remedy)s: a remedy's quantity and amount cannot be negative.",
                        remedy=remedy.name,
                    )
                )
            if remedy.percent < 0 or remedy.percent > 100:
                raise ValidationError(self.env._("A discount is between 0 and 100 %."))
            if remedy.warranty_months < 0:
                raise ValidationError(self.env._("A warranty extension cannot be negative."))
            most = remedy.company_id.qc_remedy_max_warranty_months
            if most and remedy.warranty_months > most:
                raise ValidationError(
                    self.env._(
                        "%(remedy)s: a warranty is extended by %(most)s months at most "
                        "(company setting), not %(months)s.",
                        remedy=remedy.name,
                        most=most,
                        months=remedy.warranty_months,
                    )
                )

    # ------------------------------------------------------------ actions
    @role(CUSTOMER_SERVICE)
    def action_approve(self):
        """Approve planned remedies; above the company's limit a quality manager must."""
        planned = self.filtered(lambda r: r.state == "planned")
        planned._qc_check_executable()
        manager = self.env.user.has_group("quality_complaint.group_complaint_manager")
        over = planned.filtered("needs_manager_approval")
        if over and not manager:
            raise UserError(
                self.env._(
                    "%(remedies)s: the amount is above the approval limit of "
                    "%(limit)s; a quality manager must approve it.",
                    remedies=", ".join(over.mapped("name")),
                    limit=over[:1].company_id.qc_remedy_approval_limit,
                )
            )
        planned._qc_write_protected(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    @role(CUSTOMER_SERVICE)
    def action_execute(self):
        """Carry the remedies out: each creates its Odoo document."""
        done = self.filtered(lambda r: r.state in ("in_progress", "executed", "cancelled"))
        if done:
            raise UserError(
                self.env._(
                    "%(remedies)s: already executed, under way or cancelled; it cannot be "
                    "executed again.",
                    remedies=", ".join(done.mapped("name")),
                )
            )
        self.filtered(lambda r: r.state == "planned").action_approve()
        self._qc_check_approval_holds()
        self._qc_check_executable()
        for remedy in self:
            executor = getattr(remedy, f"_qc_execute_{remedy.action}", None)
            if executor is None:
                raise UserError(
                    self.env._(
                        "%(remedy)s cannot be executed: its document's application is "
                        "not installed.",
                        remedy=remedy.name,
                    )
                )
            remedy._qc_write_protected({"state": "in_progress"})
            executor()
        # A document still to finish (a transfer to validate, a credit note to
        # post) opens; a remedy done at once leaves the user on the complaint.
        under_way = self.filtered(lambda r: r.state == "in_progress")
        return (under_way and under_way._qc_documents_action()) or True

    @role(CUSTOMER_SERVICE)
    def action_cancel(self):
        executed = self.filtered(lambda r: r.state == "executed")
        if executed:
            raise UserError(
                self.env._(
                    "%(remedies)s: already executed; an executed remedy is not cancelled.",
                    remedies=", ".join(executed.mapped("name")),
                )
            )
        # its documents' cancellation must not send it back to execution
        cancelling = set(self.env.context.get("qc_cancelling_remedy_ids", ())) | set(self.ids)
        self.with_context(qc_cancelling_remedy_ids=sorted(cancelling))._qc_cancel_documents()
        self._qc_write_protected({"state": "cancelled"})
        self.ticket_id._qc_on_remedy_state_changed()
        return True

    @role(CUSTOMER_SERVICE)
    def action_open_document(self):
        self.ensure_one()
        return self._qc_documents_action()

    # ------------------------------------------------------------ hooks
    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s cannot be set directly: use the remedy's buttons (Approve, "
            "Execute, Cancel).",
            fields=labels,
        )

    def _qc_check_editable_plan(self, vals=None):
        """Only planned remedies of an open complaint are edited; the state,
        owner and sequence may change later."""
        if vals is not None and not (
            vals.keys() - {"user_id", "sequence", "message_main_attachment_id"}
        ):
            return
        locked = self.filtered(lambda r: r.state not in ("planned", "approved"))
        if vals is not None and locked:
            raise UserError(
                self.env._(
                    "%(remedies)s: under way, executed or cancelled remedies cannot be changed.",
                    remedies=", ".join(locked.mapped("name")),
                )
            )
        closed = self.filtered(lambda r: r.ticket_id.stage_id.closed)
        if closed and not self.env.user.has_group("quality_complaint.group_complaint_manager"):
            raise UserError(self.env._("The complaint is closed: its remedies cannot be changed."))

    def _qc_approved_values(self):
        """What the approval of one remedy covers, to tell a change from none."""
        self.ensure_one()
        return tuple(
            self[name].ids
            if self._fields[name].type == "many2many"
            else self[name].id
            if self._fields[name].type == "many2one"
            else self[name]
            for name in APPROVED_FIELDS
        )

    def _qc_unapprove(self):
        """Approved remedies whose terms changed are to be approved again."""
        if not self:
            return
        self.sudo().write({"state": "planned", "approved_by_id": False, "approved_date": False})
        body = self.env._("Changed after its approval: the remedy is to be approved again.")
        self._message_log_batch(dict.fromkeys(self.ids, body))

    def _qc_over_approval_limit(self):
        self.ensure_one()
        limit = self.company_id.qc_remedy_approval_limit
        value = self._qc_value_company_currency()
        return bool(limit) and self.company_currency_id.compare_amounts(value, limit) > 0

    def _qc_check_approval_holds(self):
        """At execution, the approval still covers the remedy: above the limit,
        only a quality manager's approval carries it out."""
        for remedy in self:
            approver = remedy.approved_by_id
            if remedy._qc_over_approval_limit() and not (
                approver._is_superuser()
                or approver.has_group("quality_complaint.group_complaint_manager")
            ):
                raise UserError(
                    self.env._(
                        "%(remedy)s is worth more than the approval limit of %(limit)s; "
                        "%(approver)s approved it, a quality manager must.",
                        remedy=remedy.name,
                        limit=remedy.company_id.qc_remedy_approval_limit,
                        approver=approver.name or self.env._("nobody"),
                    )
                )

    def _qc_check_executable(self):
        """Clear message for a line that cannot be carried out as it is."""
        for remedy in self:
            if remedy.action in AMOUNT_ACTIONS and remedy.amount <= 0:
                raise UserError(
                    self.env._("%(remedy)s: enter a positive amount.", remedy=remedy.name)
                )
            if remedy.action in QUANTITY_ACTIONS and remedy.quantity <= 0:
                raise UserError(
                    self.env._("%(remedy)s: enter a positive quantity.", remedy=remedy.name)
                )

    def _qc_document_done(self):
        """The document of these remedies is done: they are executed."""
        remedies = self.filtered(lambda r: r.state in ("approved", "in_progress"))
        if not remedies:
            return
        remedies.sudo().write(
            {
                "state": "executed",
                "executed_date": fields.Datetime.now(),
                "executed_by_id": self.env.user.id,
            }
        )
        remedies.ticket_id._qc_on_remedy_state_changed()

    def _qc_document_cancelled(self):
        """The document of these remedies was cancelled outside the complaint: those
        under way are approved again, to be executed anew (a new document); the old
        one stays named in the remedy's and the complaint's chatter."""
        cancelling = set(self.env.context.get("qc_cancelling_remedy_ids", ()))
        remedies = self.filtered(lambda r: r.state == "in_progress" and r.id not in cancelling)
        for remedy in remedies.sudo():
            field, reference = remedy._qc_document_link()
            if not field:
                continue
            remedy.write({"state": "approved", field: False})
            body = self.env._(
                "%(document)s was cancelled: %(remedy)s is to be executed again.",
                document=reference,
                remedy=remedy.name,
            )
            remedy.message_post(body=body)
            remedy.ticket_id.message_post(body=body)

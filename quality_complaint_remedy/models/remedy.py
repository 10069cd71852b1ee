"""A customer remedy (docs/process.md §4, §5): one line of a complaint's remedy plan, carried
out by the Odoo document made for it, never by a note saying it happened.

The whole remedy in one class: what happens when it is created, written,
approved, executed or cancelled, then each kind of document: the pick-up (a
return transfer to the inspection location), the replacement and the gift
(shipments), compensation and refunds (customer credit notes), the warranty
extension on the lots and the instructions. The bridges add theirs:
quality_complaint_repair (repair order), quality_complaint_loyalty (coupon).

An executor ``_qc_execute_<action>`` creates the document; the remedy is
executed when the document is done (``_qc_document_done``).
"""

from collections import defaultdict

from dateutil.relativedelta import relativedelta
from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, Command, api, fields, models
from odoo.addons.quality_complaint.lang import company_env, company_envs, reader_env
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role
from odoo.addons.quality_complaint_investigation.models.investigation import OPEN_STATES
from odoo.exceptions import ConcurrencyError, UserError, ValidationError
from odoo.tools import SQL, clean_context, format_date
from odoo.tools.misc import formatLang

# Seconds an execution waits for another one on the same sale order (then the
# server runs it again).
ORDER_LOCK_TIMEOUT = 10

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


DELIVERY_ACTIONS = ("return", "replacement", "gift")

SHIPPING_ACTIONS = ("replacement", "gift")

# The next person's activity on a document customer service leaves to others.
POST_ACTIVITY = "quality_complaint_remedy.mail_activity_type_post_credit_note"
VALIDATE_ACTIVITY = "quality_complaint_remedy.mail_activity_type_validate_transfer"


class QualityComplaintRemedy(models.Model):
    _name = "quality.complaint.remedy"
    _inherit = [
        "mail.thread",
        "quality.complaint.protected.mixin",
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
    # the amount's currency: a refund's is its invoice's (the credit notes below)
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

    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, copy=False, index="btree_not_null"
    )
    invoice_id = fields.Many2one(
        "account.move", string="Credit note", readonly=True, copy=False, index="btree_not_null"
    )
    is_refund = fields.Boolean(
        string="Refund of the units",
        compute="_compute_is_refund",
        help="A refund of the units sold: it reverses their invoice (or, not invoiced "
        "yet, leaves them out of the invoice to come).",
    )
    warranty_end_date = fields.Date(string="New warranty end", readonly=True, copy=False)
    message_id = fields.Many2one(
        "mail.message",
        string="Message sent",
        readonly=True,
        copy=False,
        help="Instructions: the message sent to the customer on the complaint.",
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
    @api.depends_context("lang")
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
        self._qc_lock_remedies()
        planned = self.filtered(lambda r: r.state == "planned")
        if self and not planned:
            # a second click, an old page: somebody approved (or went further) already
            raise UserError(
                self.env._(
                    "%(remedies)s: not to be approved any more (%(state)s, approved by "
                    "%(approver)s). Reload the page to see its state.",
                    remedies=", ".join(self.mapped("name")),
                    state=", ".join(
                        sorted(
                            {
                                dict(self._fields["state"]._description_selection(self.env))[
                                    r.state
                                ]
                                for r in self
                            }
                        )
                    ),
                    approver=", ".join(self.approved_by_id.mapped("name")) or self.env._("nobody"),
                )
            )
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
        self._qc_lock_remedies()
        self._qc_lock_sale_orders()
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
        # post) opens, and whoever finishes it is asked to; a remedy done at once
        # leaves the user on the complaint.
        under_way = self.filtered(lambda r: r.state == "in_progress")
        under_way._qc_hand_over_documents()
        return (under_way and under_way._qc_documents_action()) or True

    @role(CUSTOMER_SERVICE)
    def action_cancel(self):
        self._qc_lock_remedies()
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

    # ------------------------------------------------------------ the plan as a whole
    def _qc_each(self, method):
        """Run ``method`` (an action) on each remedy on its own: what one remedy
        refuses (the caller's role, a missing product, the approval limit) leaves
        it as it was and the others go on. Returns (remedies done, {remedy: why})."""
        done = self.browse()
        left = {}
        for remedy in self:
            try:
                with self.env.cr.savepoint():
                    getattr(remedy, method)()
            except UserError as error:
                left[remedy] = error.args[0]
            else:
                done |= remedy
        return done, left

    # ------------------------------------------------------------ hand-overs
    def _qc_hand_over_documents(self):
        """Ask the next person to finish what customer service leaves to others: a
        draft credit note to accounting, an open transfer to the warehouse. One
        activity per document (in the person's language), on the document; none
        twice. Where nobody can be asked, the complaint says so."""
        for remedy in self.sudo():
            company = remedy.company_id or self.env.company
            credit_notes = remedy.invoice_id.filtered(lambda m: m.state == "draft")
            pickings = remedy._qc_pickings().filtered(lambda p: p.state not in ("done", "cancel"))
            if credit_notes:
                user = remedy._qc_hand_over_user(
                    company, "qc_accounting_user_id", "account.group_account_invoice"
                )
                remedy._qc_ask(
                    credit_notes,
                    POST_ACTIVITY,
                    user,
                    lambda env, doc, r=remedy: env._(
                        "Post the credit note of complaint %(ticket)s: %(remedy)s",
                        ticket=r.ticket_id.number or r.ticket_id.name,
                        remedy=r.name,
                    ),
                )
            if pickings:
                user = remedy._qc_hand_over_user(
                    company,
                    "qc_warehouse_user_id",
                    "stock.group_stock_user",
                    besides="quality_complaint.group_complaint_user",
                )
                remedy._qc_ask(
                    pickings,
                    VALIDATE_ACTIVITY,
                    user,
                    lambda env, doc, r=remedy: env._(
                        "Validate %(picking)s of complaint %(ticket)s: %(remedy)s",
                        picking=doc.name,
                        ticket=r.ticket_id.number or r.ticket_id.name,
                        remedy=r.name,
                    ),
                )

    def _qc_hand_over_user(self, company, setting, group_xmlid, besides=None):
        """Who finishes a document of ``company``: the company's ``setting``, else
        the first user of the group (preferring those outside ``besides``)."""
        user = company[setting]
        if user.active:
            return user
        group = self.env.ref(group_xmlid, raise_if_not_found=False)
        if not group:
            return self.env["res.users"]
        users = (
            group.sudo()
            .all_user_ids.filtered(
                lambda u: (
                    u.active and not u.share and u.id != SUPERUSER_ID and company in u.company_ids
                )
            )
            .sorted("id")
        )
        other = self.env.ref(besides, raise_if_not_found=False) if besides else None
        if other:
            users = users.filtered(lambda u: other not in u.all_group_ids) or users
        return users[:1]

    def _qc_ask(self, documents, xmlid, user, summary):
        """An activity of type ``xmlid`` for ``user`` on each of ``documents`` that
        has none yet; ``summary(env, document)`` in the user's language."""
        self.ensure_one()
        activity_type = self.env.ref(xmlid)
        waiting = documents.filtered(
            lambda d: not d.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )
        if not waiting:
            return
        if not user:
            self.ticket_id._message_log(
                body=self.env._(
                    "%(documents)s of %(remedy)s must be finished, but nobody is told: set "
                    "who does it in the settings (Customer remedies).",
                    documents=", ".join(waiting.mapped("display_name")),
                    remedy=self.name,
                )
            )
            return
        env = self.with_context(lang=user.lang or self.env.lang).env
        for document in waiting:
            document.sudo().activity_schedule(
                xmlid, user_id=user.id, summary=summary(env, document)
            )

    def _qc_hand_over_users(self):
        """The users asked to finish the remedies' open documents."""
        types = self.env.ref(POST_ACTIVITY) | self.env.ref(VALIDATE_ACTIVITY)
        activities = self.sudo().invoice_id.activity_ids | self.sudo()._qc_pickings().activity_ids
        return activities.filtered(lambda a: a.activity_type_id in types).user_id

    # ------------------------------------------------------------ hooks
    def _qc_lock_remedies(self):
        """One user at a time approves, executes or cancels a remedy: the other one
        is told so at once, and the state is checked afresh after the lock."""
        self._qc_lock_for_action(
            lambda: self.env._(
                "%(remedies)s: someone else is approving, executing or cancelling this "
                "remedy at this moment, or just did. Reload the page to see its state; "
                "it is carried out once.",
                remedies=", ".join(self.sudo().mapped("name")),
            )
        )

    def _qc_lock_sale_orders(self):
        """The documents of a remedy (a return, a credit note) update their sale
        order: its delivery and invoice status are one row shared by every
        complaint of the order. Without this, two executions on one order at once
        have the second fail on that row with a serialization error when the first
        changed it (an ERROR in the server's log, then Odoo's retry).

        The order's row is taken first, before this transaction changes anything:
        executions on one order follow one another (each waits for the one before,
        a fraction of a second, at most ``ORDER_LOCK_TIMEOUT``). When the one before
        changed the order (its status flipped) this transaction, begun earlier,
        cannot use it: it has done nothing yet and asks Odoo to run the request
        again at once (``ConcurrencyError``, retried quietly); a wait past the
        timeout does the same."""
        orders = self.sudo().ticket_id.sale_order_id
        if not orders:
            return
        cr = self.env.cr
        try:
            with cr.savepoint(flush=False):
                cr.execute(SQL("SET LOCAL lock_timeout = %s", f"{ORDER_LOCK_TIMEOUT}s"))
                cr.execute(
                    SQL(
                        "SELECT id FROM sale_order WHERE id IN %s ORDER BY id FOR NO KEY UPDATE",
                        tuple(orders.ids),
                    ),
                    log_exceptions=False,
                )
        except (pg_errors.LockNotAvailable, pg_errors.SerializationFailure) as error:
            raise ConcurrencyError(
                self.env._(
                    "Another remedy of %(orders)s is being carried out at this moment: "
                    "try again in a few seconds.",
                    orders=", ".join(orders.mapped("name")),
                )
            ) from error
        finally:
            if not cr.closed:
                cr.execute("SET LOCAL lock_timeout = DEFAULT")

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
        envs = company_envs(self.env, self)  # notes for everyone
        self._message_log_batch(
            {
                remedy.id: envs[remedy.company_id]._(
                    "Changed after its approval: the remedy is to be approved again."
                )
                for remedy in self
            }
        )

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

    def _qc_document_cancelled(self, how="cancelled"):
        """The document of these remedies was cancelled, deleted or archived outside
        the complaint, by its own application (``how``: "cancelled", "deleted",
        "archived"): those under way or executed are approved again, to be executed
        anew (a new document), and are no longer counted as done; the old one stays
        named in the remedy's and the complaint's chatter.

        Called by the documents' applications (stock_picking.py, account_move.py, the
        repair and coupon bridges) before a deletion, while the document can still
        be read; whoever cancels need not read complaints (as superuser)."""
        cancelling = set(self.env.context.get("qc_cancelling_remedy_ids", ()))
        remedies = self.sudo().filtered(
            lambda r: r.state in ("in_progress", "executed") and r.id not in cancelling
        )
        envs = company_envs(remedies.env, remedies)  # notes for everyone
        links = {r: r.with_env(envs[r.company_id])._qc_document_link() for r in remedies}
        remedies = remedies.filtered(lambda r: links[r][0])
        if not remedies:
            return
        for field in {field for field, __ in links.values() if field}:
            remedies.filtered(lambda r, f=field: links[r][0] == f).write(
                {
                    "state": "approved",
                    field: False,
                    "executed_date": False,
                    "executed_by_id": False,
                }
            )
        bodies = {
            remedy.id: remedy.with_env(envs[remedy.company_id])._qc_document_gone_note(
                links[remedy][1], how
            )
            for remedy in remedies
        }
        remedies._message_log_batch(bodies)
        for remedy in remedies:
            remedy.ticket_id.message_post(body=bodies[remedy.id], subtype_xmlid="mail.mt_note")

    def _qc_document_gone_note(self, reference, how):
        """What the chatter says of one remedy whose document ``reference`` is gone."""
        if how == "deleted":
            return self.env._(
                "%(document)s was deleted: %(remedy)s is to be executed again.",
                document=reference,
                remedy=self.name,
            )
        if how == "archived":
            return self.env._(
                "%(document)s was archived: %(remedy)s is to be executed again.",
                document=reference,
                remedy=self.name,
            )
        return self.env._(
            "%(document)s was cancelled: %(remedy)s is to be executed again.",
            document=reference,
            remedy=self.name,
        )

    def _qc_document_reset(self):
        """The posted document of these executed remedies (a credit note) was reset
        to draft by its application: they are under way again until it is posted
        again (or cancelled, or deleted: _qc_document_cancelled)."""
        remedies = self.sudo().filtered(lambda r: r.state == "executed")
        if not remedies:
            return
        envs = company_envs(remedies.env, remedies)  # notes for everyone
        links = {r: r.with_env(envs[r.company_id])._qc_document_link()[1] for r in remedies}
        remedies.write({"state": "in_progress", "executed_date": False, "executed_by_id": False})
        bodies = {
            remedy.id: envs[remedy.company_id]._(
                "%(document)s was reset to draft: %(remedy)s is executed once it is posted again.",
                document=links[remedy],
                remedy=remedy.name,
            )
            for remedy in remedies
        }
        remedies._message_log_batch(bodies)
        for remedy in remedies:
            remedy.ticket_id.message_post(body=bodies[remedy.id], subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------ remedy document

    def _qc_pickings_action(self, pickings):
        """The window action opening ``pickings`` (a form for one)."""
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfers"),
            "res_model": "stock.picking",
            "domain": [("id", "in", pickings.ids)],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }
        if len(pickings) == 1:
            action.update(res_id=pickings.id, views=[(False, "form")])
        return action

    # ------------------------------------------------------------ remedy delivery

    # ------------------------------------------------------------ executors
    def _qc_execute_replacement(self):
        """Ship a new unit to the customer, free of charge."""
        return self._qc_ship_free()

    def _qc_execute_gift(self):
        """Ship the gift to the customer, free of charge."""
        return self._qc_ship_free()

    def _qc_ship_free(self):
        self.ensure_one()
        ticket = self.ticket_id
        product = self.product_id
        if not product:
            raise UserError(
                self.env._("%(remedy)s: choose the gift's product.", remedy=self.name)
                if self.action == "gift"
                else self.env._("%(remedy)s: choose the product to ship.", remedy=self.name)
            )
        if product.type != "consu":
            raise UserError(
                self.env._(
                    "%(remedy)s: %(product)s is a service; only goods are shipped.",
                    remedy=self.name,
                    product=product.display_name,
                )
            )
        self._qc_check_lots_shippable(self.lot_ids)
        order = ticket.sale_order_id
        partner = order.partner_shipping_id
        if not partner and ticket.partner_id:
            partner = partner.browse(ticket.partner_id.address_get(["delivery"])["delivery"])
        if not partner:
            raise UserError(
                self.env._(
                    "%(remedy)s: the complaint has no customer to ship to.", remedy=self.name
                )
            )
        warehouse = self._qc_warehouse()
        picking_type = warehouse.out_type_id
        source = picking_type.default_location_src_id
        destination = picking_type.default_location_dest_id or self.env.ref(
            "stock.stock_location_customers"
        )
        reference = ticket.number or ticket.name
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "partner_id": partner.id,
                "company_id": warehouse.company_id.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                # not from a sale order: nothing of it is invoiced
                "origin": reference,
                "note": self.env._(
                    "Free of charge (not invoiced): %(remedy)s for complaint %(ticket)s.",
                    remedy=self.name,
                    ticket=reference,
                ),
                "move_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": self.quantity,
                            "product_uom": product.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                            "partner_id": partner.id,
                            "company_id": warehouse.company_id.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        self._qc_reserve(picking)
        self._qc_write_protected({"picking_id": picking.id})
        return picking

    # ------------------------------------------------------------ helpers
    def _qc_warehouse(self):
        self.ensure_one()
        company = self.ticket_id.company_id or self.env.company
        order = self.ticket_id.sale_order_id
        warehouse = (
            order.warehouse_id
            if order.warehouse_id.company_id == company
            else self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        )
        if not warehouse:
            raise UserError(
                self.env._("%(company)s has no warehouse to ship from.", company=company.name)
            )
        return warehouse

    def _qc_lots_under_investigation(self, lots=None, product=None):
        """{lot: open investigation} of ``lots`` (or of every lot of ``product``).

        Read as superuser: whoever ships (customer service, the warehouse) must be
        stopped even when they cannot read investigations."""
        domain = [("state", "in", OPEN_STATES)]
        if lots is not None:
            if not lots:
                return {}
            domain.append(("lot_ids", "in", lots.ids))
        else:
            domain.append(("lot_ids.product_id", "=", product.id))
        result = {}
        for investigation in (
            self.env["quality.complaint.investigation"].sudo().search(domain, order="id")
        ):
            for lot in investigation.lot_ids:
                if (lots is None or lot in lots) and lot not in result:
                    result[lot] = investigation
        return result

    def _qc_lots_not_shipped(self, product):
        """{lot: why} of the lots of ``product`` that a replacement or gift does not
        ship: those under an open investigation, in one exclusion. As superuser, as
        above. Extended by quality_complaint_action (lots on quality hold)."""
        return {
            lot: self.env._(
                "under investigation (%(investigation)s)", investigation=investigation.name
            )
            for lot, investigation in self._qc_lots_under_investigation(product=product).items()
        }

    def _qc_check_lots_shippable(self, lots):
        """Refuse to ship ``lots`` if one is under investigation. Extended by
        quality_complaint_action (lots on quality hold)."""
        blocked = self._qc_lots_under_investigation(lots.sudo())
        if blocked:
            lot, investigation = next(iter(blocked.items()))
            raise UserError(
                self.env._(
                    "Lot %(lot)s is under investigation (%(investigation)s): it is not "
                    "shipped to customers. Choose another lot.",
                    lot=lot.name,
                    investigation=investigation.name,
                )
            )

    def _qc_reserve(self, picking):
        """Reserve as usual (quality_complaint_action leaves the lots on quality hold), then give
        back what was taken from a lot the remedy does not ship (on hold, under
        investigation, or outside the remedy's lots) and take other lots instead.
        When no other lot is there, the transfer and the remedy say so."""
        picking.action_assign()
        for move in picking.move_ids.filtered(lambda m: m.product_id.tracking != "none"):
            blocked = self._qc_lots_not_shipped(product=move.product_id)
            refused = move.move_line_ids.filtered(
                lambda ml, b=blocked: (
                    ml.lot_id
                    and (ml.lot_id in b or (self.lot_ids and ml.lot_id not in self.lot_ids))
                )
            )
            if refused or self.lot_ids:
                refused.unlink()
                domain = [
                    ("product_id", "=", move.product_id.id),
                    ("location_id", "child_of", move.location_id.id),
                    ("lot_id", "not in", [lot.id for lot in blocked]),
                    ("quantity", ">", 0),
                ]
                if self.lot_ids:
                    domain.append(("lot_id", "in", self.lot_ids.ids))
                quants = self.env["stock.quant"].search(domain, order="in_date, id")
                for lot in quants.lot_id:
                    need = move.product_uom_qty - move.quantity
                    if move.product_uom.compare(need, 0) <= 0:
                        break
                    move._update_reserved_quantity(need, move.location_id, lot_id=lot, strict=False)
                move._recompute_state()
            self._qc_note_lots_left(move, blocked)

    def _qc_note_lots_left(self, move, blocked):
        """``move`` is not fully reserved while lots of ``blocked`` ({lot: why}) are
        in stock where it ships from: tell the transfer and the remedy why."""
        missing = move.product_uom_qty - move.quantity
        if move.product_uom.compare(missing, 0) <= 0 or not blocked:
            return
        in_stock = (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("product_id", "=", move.product_id.id),
                    ("location_id", "child_of", move.location_id.id),
                    ("lot_id", "in", [lot.id for lot in blocked]),
                    ("quantity", ">", 0),
                ]
            )
            .lot_id
        )
        if not in_stock:
            return
        body = company_env(self.env, self.company_id)._(  # a note for everyone
            "%(product)s: no lot that may be shipped to the customer is available for "
            "%(missing)s %(uom)s. Not shipped: %(lots)s. The transfer waits for another "
            "lot, or until these may be shipped.",
            product=move.product_id.display_name,
            missing=f"{missing:g}",
            uom=move.product_uom.name,
            lots="; ".join(f"{lot.name} {blocked[lot]}" for lot in in_stock.sorted("name")),
        )
        move.picking_id.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _qc_pickings(self):
        """The transfers of the remedies with their backorders."""
        pickings = self.picking_id
        backorders = pickings.backorder_ids
        while backorders - pickings:
            pickings |= backorders
            backorders = pickings.backorder_ids
        return pickings

    def _qc_check_pickings_lots(self, pickings):
        """Validating ``pickings`` of replacements or gifts: none of their lots is
        under investigation."""
        shipping = self.filtered(lambda r: r.action in SHIPPING_ACTIONS)
        if not shipping:
            return
        lines = (pickings & shipping._qc_pickings()).move_ids.move_line_ids.filtered(
            lambda ml: ml.quantity > 0
        )
        blocked = self._qc_lots_under_investigation(lines.lot_id.sudo())
        if blocked:
            lot, investigation = next(iter(blocked.items()))
            raise UserError(
                self.env._(
                    "%(picking)s ships lot %(lot)s, which is under investigation "
                    "(%(investigation)s): take another lot before validating.",
                    picking=", ".join(
                        lines.filtered(lambda ml: ml.lot_id == lot).picking_id.mapped("name")
                    ),
                    lot=lot.name,
                    investigation=investigation.name,
                )
            )

    # ------------------------------------------------------------ remedy pickup

    # ------------------------------------------------------------ executor
    def _qc_execute_return(self):
        """Pick the defective units up: a return of the customer's delivery."""
        self.ensure_one()
        ticket = self.ticket_id
        product = self.product_id or ticket.product_id
        lots = self.lot_ids or ticket.lot_ids.filtered(lambda lot: lot.product_id == product)
        order = ticket.sale_order_id
        deliveries = order.picking_ids.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and p.location_dest_id.usage == "customer"
            )
        )
        if not deliveries:
            raise UserError(
                self.env._(
                    "%(remedy)s: complaint %(ticket)s has no delivered sale order to "
                    "return the units from; set its sale order, or collect them by a "
                    "receipt in Inventory.",
                    remedy=self.name,
                    ticket=ticket.display_name,
                )
            )
        # the delivery that can return the most of these units (lots)
        plans = {picking: self._qc_return_plan(picking, product, lots) for picking in deliveries}
        picking = max(deliveries, key=lambda p: sum(sum(t.values()) for t in plans[p].values()))
        plan = plans[picking]
        available = sum(sum(take.values()) for take in plan.values())
        if product.uom_id.compare(available, self.quantity) < 0:
            raise UserError(
                self.env._(
                    "%(remedy)s: only %(available)s %(product)s%(lots)s delivered on %(order)s "
                    "can still be returned, not %(quantity)s.",
                    remedy=self.name,
                    available=f"{available:g}",
                    product=product.display_name,
                    lots=self.env._(" of lot %s", ", ".join(lots.mapped("name"))) if lots else "",
                    order=order.name,
                    quantity=f"{self.quantity:g}",
                )
            )
        plan = self._qc_return_plan(picking, product, lots, self.quantity)
        wizard = (
            self.env["stock.return.picking"]
            .with_context(
                active_model="stock.picking",
                active_id=picking.id,
                active_ids=picking.ids,
                qc_keep_returns_reserved=True,
            )
            .create({"picking_id": picking.id})
        )
        # "update quantities on SO" only for units the customer is refunded: an
        # exchanged or inspected unit stays sold (the credit notes below)
        refunded = any(
            r._qc_is_refund() for r in ticket._qc_current_remedies() if r.state != "cancelled"
        )
        for line in wizard.product_return_moves:
            taken = sum(plan.get(line.move_id, {}).values())
            line.quantity = product.uom_id._compute_quantity(taken, line.uom_id)
            line.to_refund = refunded
        action = wizard.action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        returned.write(
            {
                "location_dest_id": self._qc_inspection_location(picking).id,
                "origin": f"{ticket.number or ticket.name}: {returned.origin}",
            }
        )
        # the units come back in the lots the customer received
        for move in returned.move_ids:
            take = plan.get(move.origin_returned_move_id)
            if not take:
                continue
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                [
                    {
                        "move_id": move.id,
                        "picking_id": returned.id,
                        "product_id": move.product_id.id,
                        "product_uom_id": move.product_id.uom_id.id,
                        "location_id": move.location_id.id,
                        "location_dest_id": move.location_dest_id.id,
                        "lot_id": lot.id,
                        "quantity": quantity,
                    }
                    for lot, quantity in take.items()
                ]
            )
        self._qc_write_protected({"picking_id": returned.id})
        return returned

    def _qc_inspection_location(self, delivery):
        """Where quality inspects the returned units: the company's setting, else the
        stock of the warehouse that delivered them."""
        company = delivery.company_id
        return (
            company.qc_return_location_id
            or delivery.picking_type_id.warehouse_id.lot_stock_id
            or self._qc_warehouse().lot_stock_id
        )

    def _qc_return_plan(self, delivery, product, lots, quantity=None):
        """{delivery move: {lot: quantity}} of ``product`` delivered by ``delivery``
        in ``lots`` (any lot if empty) and not returned yet, up to ``quantity``."""
        need = quantity
        plan = {}
        moves = delivery.move_ids.filtered(lambda m: m.product_id == product and m.state == "done")
        for move in moves:
            left = defaultdict(float)
            for line in move.move_line_ids:
                left[line.lot_id] += line.quantity_product_uom
            returns = move.returned_move_ids.filtered(lambda m: m.state != "cancel")
            for line in returns.move_line_ids:
                left[line.lot_id] -= line.quantity_product_uom
            take = {}
            for lot, available in left.items():
                if (lots and lot not in lots) or product.uom_id.compare(available, 0) <= 0:
                    continue
                taken = available
                if need is not None:
                    if product.uom_id.compare(need, 0) <= 0:
                        break
                    taken = min(available, need)
                    need -= taken
                take[lot] = taken
            if take:
                plan[move] = take
        return plan

    def _qc_inspect_returned_units(self):
        """The returned units become the subject of an inspection of the complaint's
        open investigation: the inspection the quality officer prepared for the
        complaint, or a new one; its owner is asked to inspect them.

        Runs as superuser: the warehouse validating the return may not edit
        investigations."""
        for remedy in self.filtered(lambda r: r.action == "return").sudo():
            investigation = remedy.ticket_id.investigation_id
            if not investigation or investigation.state not in OPEN_STATES:
                continue
            pickings = remedy._qc_pickings().filtered(lambda p: p.state == "done")
            lots = pickings.move_line_ids.lot_id
            vals = {"picking_id": remedy.picking_id.id, "lot_ids": [Command.set(lots.ids)]}
            inspection = investigation.inspection_ids.filtered(
                lambda i, t=remedy.ticket_id: i.ticket_id == t and not i.picking_id
            )[:1]
            if inspection:
                inspection.write(vals)
            else:
                inspection = inspection.create(
                    {
                        **vals,
                        "investigation_id": investigation.id,
                        "ticket_id": remedy.ticket_id.id,
                        "inspector_id": investigation.user_id.id or self.env.user.id,
                    }
                )
            env = reader_env(self.env, inspection.inspector_id)
            investigation.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=env._("Inspect the returned units"),
                note=env._(
                    "Complaint %(ticket)s: %(picking)s brought back %(lots)s.",
                    ticket=remedy.ticket_id.number or remedy.ticket_id.name,
                    picking=", ".join(pickings.mapped("name")),
                    lots=", ".join(lots.mapped("name")) or remedy.product_id.display_name,
                ),
                user_id=inspection.inspector_id.id,
            )

    # ------------------------------------------------------------ remedy credit note

    # ------------------------------------------------------------ computes
    @api.depends("action", "type_id.collect_goods")
    def _compute_is_refund(self):
        for remedy in self:
            remedy.is_refund = remedy._qc_is_refund()

    @api.depends(
        "action",
        "type_id.collect_goods",
        "type_id.currency_id",
        "company_id.currency_id",
        "ticket_id.sale_order_id.currency_id",
        "invoice_id.currency_id",
    )
    def _compute_currency_id(self):
        """The currency of the remedy's amount: a refund's is the currency of the
        invoice it reverses (the order's before it is made); a compensation's is its
        type's, else the company's; any other remedy's the company's."""
        for remedy in self:
            company_currency = (remedy.company_id or self.env.company).currency_id
            if remedy.action != "credit_note":
                remedy.currency_id = company_currency
            elif remedy.invoice_id:
                remedy.currency_id = remedy.invoice_id.sudo().currency_id
            elif remedy._qc_is_refund():
                remedy.currency_id = remedy.ticket_id.sale_order_id.currency_id or company_currency
            else:
                remedy.currency_id = remedy.type_id.currency_id or company_currency

    @api.onchange("type_id", "quantity")
    def _onchange_refund_amount(self):
        """A refund's amount is what the customer paid for the units."""
        for remedy in self.filtered(lambda r: r._qc_is_refund() and r.ticket_id.sale_line_id):
            remedy.amount = remedy._qc_refund_figures(remedy.ticket_id, remedy.quantity)["total"]

    # ------------------------------------------------------------ figures
    def _qc_is_refund(self):
        """A credit note whose type collects the units is a refund of them."""
        self.ensure_one()
        return self.action == "credit_note" and self.type_id.collect_goods

    @api.model
    def _qc_refund_figures(self, ticket, quantity):
        """What the customer paid for ``quantity`` units (product unit) of the
        complaint's order line: {"currency", "total", "untaxed", "invoiced"} where
        "invoiced" is a list of (posted invoice line, quantity in its unit) to
        reverse, latest invoices first, and "missing" the units (in the order
        line's unit) not invoiced (or already refunded).

        Read as superuser: customer service may not read invoices."""
        sale_line = ticket.sale_line_id.sudo()
        currency = sale_line.order_id.currency_id or ticket.company_id.currency_id
        figures = {"currency": currency, "total": 0.0, "untaxed": 0.0, "invoiced": []}
        if not sale_line or quantity <= 0:
            figures["missing"] = 0.0
            return figures
        uom = sale_line.product_uom_id
        need = sale_line.product_id.uom_id._compute_quantity(quantity, uom, round=False)
        lines = sale_line.invoice_lines.filtered(
            lambda line: line.display_type == "product" and line.move_id.state != "cancel"
        )

        def in_order_unit(line):
            return line.product_uom_id._compute_quantity(line.quantity, uom, round=False)

        # units refunded already (or being refunded) come off the latest invoices
        skip = sum(in_order_unit(line) for line in lines if line.move_id.move_type == "out_refund")
        invoiced = lines.filtered(
            lambda line: line.move_id.move_type == "out_invoice" and line.move_id.state == "posted"
        ).sorted(lambda line: (line.move_id.invoice_date, line.move_id.id, line.id), reverse=True)
        for line in invoiced:
            if uom.compare(need, 0) <= 0:
                break
            available = in_order_unit(line)
            skipped = min(skip, available)
            skip -= skipped
            available -= skipped
            if uom.compare(available, 0) <= 0:
                continue
            take = min(available, need)
            need -= take
            quantity_in_line_unit = uom._compute_quantity(take, line.product_uom_id, round=False)
            figures["invoiced"].append((line, quantity_in_line_unit))
            share = quantity_in_line_unit / line.quantity
            figures["total"] += line.price_total * share
            figures["untaxed"] += line.price_subtotal * share
        if figures["invoiced"]:
            figures["currency"] = figures["invoiced"][0][0].currency_id
        elif sale_line.product_uom_qty:
            # not invoiced: the order line's price, for what the invoice leaves out
            share = need / sale_line.product_uom_qty
            figures["total"] = sale_line.price_total * share
            figures["untaxed"] = sale_line.price_subtotal * share
        figures["missing"] = max(need, 0.0)
        figures["total"] = figures["currency"].round(figures["total"])
        figures["untaxed"] = figures["currency"].round(figures["untaxed"])
        return figures

    # ------------------------------------------------------------ executor
    def _qc_execute_credit_note(self):
        """A draft customer credit note (the remedy is executed when it is posted);
        a refund of units not invoiced yet is carried by their return."""
        self.ensure_one()
        if self._qc_is_refund():
            return self._qc_execute_refund()
        ticket = self.ticket_id
        company = ticket.company_id or self.env.company
        customer = ticket.partner_id.commercial_partner_id
        if not customer:
            raise UserError(
                self.env._("%(remedy)s: the complaint has no customer to credit.", remedy=self.name)
            )
        if customer.company_id and customer.company_id != company:
            raise UserError(
                self.env._(
                    "%(remedy)s: the customer %(customer)s belongs to %(other)s, not to "
                    "%(company)s; a credit note of %(company)s cannot be made for them.",
                    remedy=self.name,
                    customer=customer.display_name,
                    other=customer.company_id.name,
                    company=company.name,
                )
            )
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search(
            [*Journal._check_company_domain(company), ("type", "=", "sale")], limit=1
        )
        if not journal:
            raise UserError(
                self.env._(
                    "%(remedy)s: %(company)s has no sales journal to issue the credit note "
                    "in; set up Accounting first.",
                    remedy=self.name,
                    company=company.name,
                )
            )
        self._qc_make_credit_note(
            {
                "company_id": company.id,
                "journal_id": journal.id,
                "partner_id": customer.id,
                "currency_id": (self.type_id.currency_id or company.currency_id).id,
                "invoice_origin": ticket.number or ticket.name,
                "ref": self.name,
                "invoice_user_id": self.env.user.id,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": self.name,
                            "quantity": 1.0,
                            "price_unit": self.amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def _qc_make_credit_note(self, vals):
        """Customer service asks for the credit note; accounting posts it."""
        ticket = self.ticket_id
        company = self.env["res.company"].browse(vals["company_id"])
        # the caller's context gives no default to the credit note (auto-posting it,
        # another date or bank account): only what is written here
        credit_note = (
            self.env["account.move"]
            .with_context(clean_context(self.env.context))
            .sudo()
            .with_company(company)
            .create({"move_type": "out_refund", **vals})
        )
        self.sudo().write({"invoice_id": credit_note.id, "amount": credit_note.amount_total})
        credit_note.message_post_with_source(
            "mail.message_origin_link",
            render_values={"self": credit_note, "origin": ticket},
            subtype_xmlid="mail.mt_note",
        )
        return credit_note

    def _qc_execute_refund(self):
        """Give back what the customer paid for the units: reverse their invoice,
        or, not invoiced yet, leave them out of the invoice to come."""
        self.ensure_one()
        ticket = self.ticket_id
        sale_line = ticket.sale_line_id.sudo()
        if not sale_line:
            raise UserError(
                self.env._(
                    "%(remedy)s: a refund gives back the price of the units of the "
                    "complaint's order line; set the order line on the complaint, or "
                    "offer a compensation instead.",
                    remedy=self.name,
                )
            )
        if self.product_id and self.product_id != sale_line.product_id:
            raise UserError(
                self.env._(
                    "%(remedy)s: the complaint's order line sold %(sold)s, not %(product)s; "
                    "only the units sold are refunded.",
                    remedy=self.name,
                    sold=sale_line.product_id.display_name,
                    product=self.product_id.display_name,
                )
            )
        if self.quantity <= 0:
            raise UserError(
                self.env._("%(remedy)s: enter the number of units refunded.", remedy=self.name)
            )
        figures = self._qc_refund_figures(ticket, self.quantity)
        uom = sale_line.product_uom_id
        if not figures["invoiced"]:
            return self._qc_refund_by_return(sale_line)
        if uom.compare(figures["missing"], 0) > 0:
            invoiced = self.quantity - sale_line.product_id.uom_id.round(
                uom._compute_quantity(figures["missing"], sale_line.product_id.uom_id)
            )
            raise UserError(
                self.env._(
                    "%(remedy)s: only %(invoiced)s of the %(quantity)s units are invoiced on "
                    "%(order)s and not refunded yet. Refund %(invoiced)s units here (a "
                    "credit note reversing the invoice) and the others in a second refund "
                    "(their return leaves them out of the invoice to come).",
                    remedy=self.name,
                    invoiced=f"{invoiced:g}",
                    quantity=f"{self.quantity:g}",
                    order=sale_line.order_id.name,
                )
            )
        self._qc_return_updates_the_order(sale_line)
        invoices = self.env["account.move"]
        for line, _quantity in figures["invoiced"]:
            invoices |= line.move_id
        latest = invoices[:1]
        several = len(invoices) > 1
        reason = f"{ticket.number or ticket.name}: {self.name}"
        credit_note = self._qc_make_credit_note(
            {
                "company_id": latest.company_id.id,
                "journal_id": latest.journal_id.id,
                "partner_id": latest.partner_id.id,
                "currency_id": latest.currency_id.id,
                "fiscal_position_id": latest.fiscal_position_id.id,
                "reversed_entry_id": latest.id,
                "invoice_origin": latest.invoice_origin or sale_line.order_id.name,
                "invoice_payment_term_id": False,
                "invoice_user_id": latest.invoice_user_id.id or self.env.user.id,
                "ref": self.env._(
                    "Reversal of: %(invoices)s, %(reason)s",
                    invoices=", ".join(invoices.mapped("name")),
                    reason=reason,
                ),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"{line.move_id.name}: {line.name}" if several else line.name,
                            "product_id": line.product_id.id,
                            "product_uom_id": line.product_uom_id.id,
                            "quantity": quantity,
                            "price_unit": line.price_unit,
                            "discount": line.discount,
                            "tax_ids": [Command.set(line.tax_ids.ids)],
                            "account_id": line.account_id.id,
                            "analytic_distribution": line.analytic_distribution,
                            "sale_line_ids": [Command.set(line.sale_line_ids.ids)],
                        }
                    )
                    for line, quantity in figures["invoiced"]
                ],
            }
        )
        env = company_env(self.env, credit_note.company_id)  # notes for everyone
        for invoice in invoices:
            invoice._message_log(
                body=env._(
                    "Partly reversed by %(credit_note)s: refund of complaint %(reason)s.",
                    credit_note=credit_note._get_html_link(
                        title=credit_note.name
                        if credit_note.name and credit_note.name != "/"
                        else env._("a draft credit note")
                    ),
                    reason=reason,
                )
            )
        return credit_note

    def _qc_refund_returns(self, sale_line):
        """The return moves of the complaint's pick-ups that bring units of
        ``sale_line`` back, not cancelled."""
        pickups = self.ticket_id.remedy_ids.filtered(
            lambda r: r.action == "return" and r.state != "cancelled" and r.picking_id
        )
        return (
            pickups.sudo()
            ._qc_pickings()
            .move_ids.filtered(
                lambda m: (
                    m.state != "cancel"
                    and m.origin_returned_move_id.sale_line_id == sale_line
                    and m.location_id.usage == "customer"
                )
            )
        )

    def _qc_return_updates_the_order(self, sale_line):
        """The units refunded come back with "update quantities on SO": the order's
        delivered quantity goes down with its invoiced quantity (Odoo's returns).
        A return already validated keeps what it did."""
        self._qc_refund_returns(sale_line).filtered(
            lambda m: m.state != "done" and not m.to_refund
        ).write({"to_refund": True})

    def _qc_refund_by_return(self, sale_line):
        """Not invoiced yet: no credit note; the return of the units makes the order's
        delivered quantity go down, so the invoice to come leaves them out."""
        order = sale_line.order_id
        product = sale_line.product_id
        drafts = sale_line.invoice_lines.move_id.filtered(
            lambda m: m.move_type == "out_invoice" and m.state == "draft"
        )
        if drafts:
            raise UserError(
                self.env._(
                    "%(remedy)s: the draft invoice of %(order)s still bills these units; "
                    "post it, then execute the refund (its credit note reverses the "
                    "invoice), or take the units off the draft first.",
                    remedy=self.name,
                    order=order.name,
                )
            )
        if product.invoice_policy != "delivery":
            raise UserError(
                self.env._(
                    "%(remedy)s: %(order)s is not invoiced yet, and %(product)s is invoiced "
                    "on the ordered quantities: a return does not change what is "
                    "invoiced. Invoice the order, then execute the refund: its credit "
                    "note reverses the invoice.",
                    remedy=self.name,
                    order=order.name,
                    product=product.display_name,
                )
            )
        moves = self._qc_refund_returns(sale_line)
        moves.filtered(lambda m: m.state != "done" and not m.to_refund).write({"to_refund": True})
        moves = moves.filtered("to_refund")
        returning = sum(
            m.product_uom._compute_quantity(
                m.quantity if m.state == "done" else m.product_uom_qty, product.uom_id
            )
            for m in moves
        )
        others = self.ticket_id.remedy_ids.filtered(
            lambda r: (
                r != self
                and r.action == "credit_note"
                and r.state != "cancelled"
                and r.picking_id
                and r.picking_id in moves.picking_id
            )
        )
        returning -= sum(others.mapped("quantity"))
        if product.uom_id.compare(returning, self.quantity) < 0:
            raise UserError(
                self.env._(
                    "%(remedy)s: %(order)s is not invoiced yet, so no credit note is "
                    "made: the units are refunded by leaving them out of the invoice to "
                    "come, once they are returned. Execute the pick-up of the %(quantity)s "
                    "units first (its return updates the order's quantities), then the "
                    "refund; or invoice the order and refund then.",
                    remedy=self.name,
                    order=order.name,
                    quantity=f"{self.quantity:g}",
                )
            )
        picking = moves.picking_id.sorted("id")[:1]
        self._qc_write_protected({"picking_id": picking.id})
        body = company_env(self.env, self.company_id)._(  # a note for everyone
            "%(order)s is not invoiced yet: no credit note. The %(quantity)s units "
            "returned by %(picking)s are left out of the order's invoice to come.",
            order=order.name,
            quantity=f"{self.quantity:g}",
            picking=picking.name,
        )
        self.sudo().message_post(body=body)
        if picking.state == "done":
            self._qc_document_done()
        return picking

    def _qc_refund_carried_by_return(self):
        self.ensure_one()
        return self.action == "credit_note" and bool(self.picking_id) and not self.invoice_id

    # ------------------------------------------------------------ remedy customer

    # ------------------------------------------------------------ executors
    def _qc_execute_warranty(self):
        """Extend the warranty of the customer's serials/lots by the remedy's months,
        from their current end, else the purchase date, else today."""
        self.ensure_one()
        ticket = self.ticket_id
        lots = self.lot_ids or ticket.lot_ids
        if not lots:
            raise UserError(
                self.env._(
                    "%(remedy)s: name the serial/lot numbers whose warranty is extended, "
                    "on the remedy or on the complaint.",
                    remedy=self.name,
                )
            )
        foreign = lots - self._qc_lots_delivered_to_customer(lots)
        if foreign:
            raise UserError(
                self.env._(
                    "%(remedy)s: lot %(lot)s was not delivered to %(customer)s; only the "
                    "customer's own serials/lots are extended.",
                    remedy=self.name,
                    lot=foreign[0].name,
                    customer=ticket.partner_id.commercial_partner_id.display_name
                    or self.env._("the complaint's customer"),
                )
            )
        if self.warranty_months <= 0:
            raise UserError(
                self.env._(
                    "%(remedy)s: enter the number of months the warranty is extended by.",
                    remedy=self.name,
                )
            )
        start = ticket.purchase_date or ticket._qc_company_today()
        ends = {}
        for lot in lots.sudo():
            ends[lot] = (lot.qc_warranty_end_date or start) + relativedelta(
                months=self.warranty_months
            )
            lot.qc_warranty_end_date = ends[lot]
        self.sudo().write(
            {"lot_ids": [fields.Command.set(lots.ids)], "warranty_end_date": min(ends.values())}
        )
        self._qc_document_done()

    def _qc_lots_delivered_to_customer(self, lots):
        """Those of ``lots`` that a done move delivered to the complaint's customer
        (its commercial entity), whatever the order; one query."""
        self.ensure_one()
        customer = self.ticket_id.partner_id.commercial_partner_id
        if not customer or not lots:
            return lots.browse()
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lots.ids),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    "|",
                    ("move_id.partner_id", "child_of", customer.id),
                    ("picking_id.partner_id", "child_of", customer.id),
                ]
            )
        )
        return lots & lines.lot_id.with_env(lots.env)

    def _qc_execute_instructions(self):
        """Send the type's message to the customer on the complaint, with its
        attachments."""
        self.ensure_one()
        template = self.type_id.mail_template_id
        if not template:
            raise UserError(
                self.env._(
                    "%(remedy)s: the remedy type %(type)s has no message to send; set "
                    "its mail template.",
                    remedy=self.name,
                    type=self.type_id.name,
                )
            )
        ticket = self.ticket_id
        if not ticket.partner_id:
            raise UserError(
                self.env._(
                    "%(remedy)s: the complaint has no customer to write to.", remedy=self.name
                )
            )
        message = template._qc_post_rendered(
            self,
            lambda remedy, rendered: {
                "email_from": rendered.get("email_from") or None,
                "partner_ids": rendered.get("partner_ids") or ticket.partner_id.ids,
            },
            post_on=lambda remedy: ticket,
            scheduled=False,
            attachments=True,
        )
        self.sudo().message_id = message
        self._qc_document_done()

    # ------------------------------------------------------------ documents
    # Each kind of remedy is carried out with its Odoo document: a transfer
    # (pick-up, replacement, gift), a credit note (or, for a refund of returned
    # units, the return itself), the warranty on the lots, the instructions'
    # message. quality_complaint_repair and quality_complaint_loyalty extend these
    # methods for the repair order and the coupon.
    def _qc_cost(self):
        """What the remedy costs the company: the amount credited (without the tax a
        refund gives back: the tax authority gives it back), the goods shipped."""
        self.ensure_one()
        if self.action == "credit_note":
            return self._qc_value_company_currency(untaxed=True)
        if self.action in ("replacement", "gift"):
            return self.product_id.standard_price * self.quantity
        return 0.0

    def _qc_value_company_currency(self, untaxed=False):
        """What the remedy gives the customer, in the company's currency (the
        approval limit). A credit note's total once it is made (as booked), else a
        refund's price of the units (tax included unless ``untaxed``) or the
        compensation's amount, at today's rate; for the other kinds, the cost of
        what is shipped or repaired."""
        self.ensure_one()
        if self.action != "credit_note":
            return self._qc_cost()
        company = self.company_id or self.env.company
        credit_note = self.invoice_id.sudo()
        if credit_note and credit_note.state != "cancel":
            booked = (
                credit_note.amount_untaxed_signed if untaxed else credit_note.amount_total_signed
            )
            return abs(booked)
        currency = self.currency_id or company.currency_id
        amount = self.amount
        if self._qc_is_refund() and self.ticket_id.sale_line_id:
            figures = self._qc_refund_figures(self.ticket_id, self.quantity)
            currency = figures["currency"]
            amount = figures["untaxed" if untaxed else "total"]
        return currency._convert(
            amount, company.currency_id, company, fields.Date.context_today(self)
        )

    def _qc_pickings_done(self):
        """Transfers of the remedies were validated (stock_picking.py). The remedies
        whose transfers are all finished are executed, their returned units go to
        the investigation; so is a refund carried by the return."""
        finished = self.filtered(
            lambda r: (
                r.action in DELIVERY_ACTIONS
                and r.state in ("approved", "in_progress")
                and all(p.state in ("done", "cancel") for p in r._qc_pickings())
                and any(p.state == "done" for p in r._qc_pickings())
            )
        )
        finished._qc_inspect_returned_units()
        finished._qc_document_done()
        refunds = self.filtered(
            lambda r: (
                r._qc_refund_carried_by_return()
                and r.state in ("approved", "in_progress")
                and all(p.state in ("done", "cancel") for p in r._qc_pickings())
                and any(p.state == "done" for p in r._qc_pickings())
            )
        )
        refunds._qc_document_done()

    def _qc_document_facts(self):
        """(document reference, what the customer is told of it) of one remedy."""
        self.ensure_one()
        if self.action in DELIVERY_ACTIONS and self.picking_id:
            return self._qc_transfer_facts()
        if self.action == "credit_note":
            facts = self._qc_credit_note_facts()
            if facts:
                return facts
        if self.action == "warranty" and self.warranty_end_date:
            return ", ".join(self.lot_ids.mapped("name")), self.env._(
                "warranty extended until %(date)s",
                date=format_date(self.env, self.warranty_end_date),
            )
        if self.action == "instructions" and self.message_id:
            sent = self.ticket_id._qc_company_today(self.message_id.sudo().date)
            return self.message_id.sudo().subject or self.type_id.name, self.env._(
                "instructions sent on %(date)s", date=format_date(self.env, sent)
            )
        return False, False

    def _qc_credit_note_facts(self):
        """(reference, what the customer is told) of a credit note remedy's
        document, or None while it has none."""
        if self._qc_refund_carried_by_return():
            pickings = self._qc_pickings()
            reference = ", ".join(pickings.mapped("name"))
            order = self.ticket_id.sale_order_id.name
            if pickings and all(p.state in ("done", "cancel") for p in pickings):
                return reference, self.env._(
                    "not invoiced: the %(quantity)s returned units are left out of the "
                    "invoice of %(order)s (%(ref)s)",
                    quantity=f"{self.quantity:g}",
                    order=order,
                    ref=reference,
                )
            return reference, self.env._(
                "not invoiced: the %(quantity)s units are left out of the invoice of "
                "%(order)s once returned (%(ref)s)",
                quantity=f"{self.quantity:g}",
                order=order,
                ref=reference,
            )
        if self.invoice_id:
            credit_note = self.invoice_id.sudo()
            amount = credit_note.amount_total
            formatted = formatLang(self.env, amount, currency_obj=credit_note.currency_id)
            if credit_note.state == "posted":
                return credit_note.name, self.env._(
                    "credit note %(number)s of %(amount)s",
                    number=credit_note.name,
                    amount=formatted,
                )
            if credit_note.state == "cancel":
                return credit_note.name or self.env._("Cancelled credit note"), False
            return self.env._("Draft credit note"), self.env._(
                "credit note of %(amount)s being issued", amount=formatted
            )
        return None

    def _qc_transfer_facts(self):
        """(references, what the customer is told) of a remedy's transfers."""
        reference = ", ".join(self._qc_pickings().mapped("name"))
        pickings = self._qc_pickings().filtered(lambda p: p.state != "cancel")
        done = pickings.filtered(lambda p: p.state == "done")
        if done and done == pickings:
            date = format_date(
                self.env, fields.Datetime.context_timestamp(self, max(done.mapped("date_done")))
            )
            info = (
                self.env._("Collected on %(date)s (%(ref)s)", date=date, ref=reference)
                if self.action == "return"
                else self.env._("Shipped on %(date)s (%(ref)s)", date=date, ref=reference)
            )
        elif self.state == "cancelled" or not pickings:
            info = False
        else:
            info = (
                self.env._("Pick-up %(ref)s being arranged", ref=reference)
                if self.action == "return"
                else self.env._("Shipment %(ref)s being prepared", ref=reference)
            )
        return reference, info

    def _qc_document_link(self):
        """(field linking one remedy to its document, the document's reference), or
        (False, False)."""
        self.ensure_one()
        if self.action in DELIVERY_ACTIONS and self.picking_id:
            return "picking_id", self.picking_id.name
        if self.action == "credit_note" and self._qc_refund_carried_by_return():
            return "picking_id", self.picking_id.name
        if self.action == "credit_note" and self.invoice_id:
            credit_note = self.invoice_id.sudo()
            if credit_note.name and credit_note.name != "/":
                return "invoice_id", credit_note.name
            formatted = formatLang(
                self.env, credit_note.amount_total, currency_obj=credit_note.currency_id
            )
            return "invoice_id", self.env._("The draft credit note of %(amount)s", amount=formatted)
        return False, False

    def _qc_documents_action(self):
        """The window action opening the remedies' documents, or False."""
        pickings = self.filtered(lambda r: r.action in DELIVERY_ACTIONS)._qc_pickings()
        if pickings:
            return self._qc_pickings_action(pickings)
        carried = self.filtered(lambda r: r.action == "credit_note" and r.picking_id)
        if carried and carried == self and not self.invoice_id:
            return self._qc_pickings_action(carried._qc_pickings())
        credit_notes = self.invoice_id
        if credit_notes and all(r.action == "credit_note" for r in self):
            return self._qc_credit_notes_action(credit_notes)
        return self._qc_customer_documents_action()

    def _qc_credit_notes_action(self, credit_notes):
        """The window action on the remedies' credit notes."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_refund_type"
        )
        if len(credit_notes) == 1:
            action.update(
                {
                    "res_id": credit_notes.id,
                    "view_mode": "form",
                    "views": [(self.env.ref("account.view_move_form").id, "form")],
                }
            )
        else:
            action["domain"] = [("id", "in", credit_notes.ids)]
        action["context"] = {"default_move_type": "out_refund", "create": False}
        return action

    def _qc_customer_documents_action(self):
        """The lots of warranty remedies, or the complaint holding the instructions'
        message, or False."""
        if not self or any(r.action not in ("warranty", "instructions") for r in self):
            return False
        if all(r.action == "warranty" for r in self):
            lots = self.lot_ids
            if not lots:
                return False
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "stock.action_production_lot_form"
            )
            if len(lots) == 1:
                action.update({"res_id": lots.id, "view_mode": "form", "views": [(False, "form")]})
            else:
                action["domain"] = [("id", "in", lots.ids)]
            action["context"] = {"create": False}
            return action
        # The instructions are a message in the complaint's chatter.
        tickets = self.filtered("message_id").ticket_id
        if len(tickets) != 1:
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": tickets.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _qc_cancel_documents(self):
        """Cancel the remedies' documents that are not done yet. A refund carried by
        the pick-up's return leaves the return to the pick-up."""
        self.filtered(lambda r: r.action in DELIVERY_ACTIONS)._qc_pickings().filtered(
            lambda p: p.state not in ("done", "cancel")
        ).action_cancel()
        drafts = (
            self.filtered(lambda r: r.action == "credit_note")
            .invoice_id.sudo()
            .filtered(lambda m: m.state == "draft")
        )
        drafts.button_cancel()

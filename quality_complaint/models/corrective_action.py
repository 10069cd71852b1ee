"""The corrective action: containment, corrective or preventive (SPEC §4-§6).

This file owns what happens when an action is created, written or moved through
its states; each concern implements its part as named hooks:

- corrective_action_root_cause.py   the root cause it answers, the scope from the investigation
- corrective_action_containment.py  lots on hold while a containment runs
- corrective_action_verification.py effectiveness verification due after done
- corrective_action_recurrence.py   complaints that come back after verification

The hooks (``_qca_*``) have no-op defaults in ``quality.complaint.action.hooks``
(corrective_action_hooks.py); a concern extends them with ``super()``.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..roles import CUSTOMER_SERVICE, OFFICER, role

ACTION_KINDS = [
    ("containment", "Containment"),
    ("corrective", "Corrective"),
    ("preventive", "Preventive"),
]
ACTION_STATES = [
    ("draft", "Draft"),
    ("open", "Open"),
    ("done", "Done"),
    ("effective", "Verified effective"),
    ("reopened", "Reopened"),
    ("cancelled", "Cancelled"),
]
# States in which the action is being worked on.
WORKING_STATES = ("open", "reopened")
# Set only by the actions of the action (and its concerns, which extend
# ``_qc_protected``).
ACTION_PROTECTED = {
    "name",
    "state",
    "date_open",
    "date_done",
    "done_by_id",
    "date_closed",
}


class QualityComplaintAction(models.Model):
    _name = "quality.complaint.action"
    _description = "Corrective action"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "quality.complaint.action.root.cause",
        "quality.complaint.action.containment",
        "quality.complaint.action.verification.mixin",
        "quality.complaint.action.recurrence",
        # After the concerns: their deadline event hooks come first and call super().
        "quality.complaint.deadline.mixin",
        "quality.complaint.action.hooks",
        "quality.complaint.protected.mixin",
    ]
    _qc_protected_fields = tuple(ACTION_PROTECTED)
    _order = "id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "title"]

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    title = fields.Char(required=True, tracking=True)
    kind = fields.Selection(ACTION_KINDS, required=True, default="corrective", tracking=True)
    description = fields.Html()
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        ACTION_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    investigation_id = fields.Many2one(
        "quality.complaint.investigation",
        groups="base.group_user",
        tracking=True,
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
    )
    ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        groups="base.group_user",
        string="Complaints",
        compute="_compute_ticket_ids",
        help="The complaints of the investigation the action comes from.",
    )
    ticket_count = fields.Integer(
        string="Complaint count", compute="_compute_ticket_ids", groups="base.group_user"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
        index="btree_not_null",
    )
    department_id = fields.Many2one(
        "quality.complaint.department",
        groups="base.group_user",
        tracking=True,
        check_company=True,
    )
    date_deadline = fields.Date(string="Deadline", tracking=True, index=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        tracking=True,
        index="btree_not_null",
        check_company=True,
        help="The supplier the action is addressed to (its company, when a contact is given).",
    )
    product_ids = fields.Many2many(
        "product.product",
        "quality_complaint_action_product_rel",
        "action_id",
        "product_id",
        string="Products",
        check_company=True,
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        "quality_complaint_action_stock_lot_rel",
        "action_id",
        "lot_id",
        string="Lots / serial numbers",
        check_company=True,
    )
    purchase_order_ids = fields.Many2many(
        "purchase.order",
        "quality_complaint_action_purchase_order_rel",
        "action_id",
        "purchase_order_id",
        groups="base.group_user",
        string="Purchase orders",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    date_open = fields.Datetime(string="Opened on", readonly=True, copy=False)
    date_done = fields.Datetime(string="Done on", readonly=True, copy=False)
    done_by_id = fields.Many2one(
        "res.users", string="Done by", readonly=True, copy=False, groups="base.group_user"
    )
    date_closed = fields.Datetime(
        string="Closed on",
        readonly=True,
        copy=False,
        help="When the action was verified effective or cancelled.",
    )
    is_late = fields.Boolean(compute="_compute_is_late", search="_search_is_late")

    _name_company_uniq = models.Constraint(
        "UNIQUE(name, company_id)", "The action reference must be unique per company."
    )

    # ------------------------------------------------------------ computes
    @api.depends("investigation_id.ticket_ids")
    def _compute_ticket_ids(self):
        for action in self:
            action.ticket_ids = action.investigation_id.ticket_ids
            action.ticket_count = len(action.ticket_ids)

    @api.depends("date_deadline", "state")
    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_late = bool(
                action.state in ("draft", *WORKING_STATES)
                and action.date_deadline
                and action.date_deadline < today
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on late actions."))
        domain = [
            ("state", "in", ("draft", *WORKING_STATES)),
            ("date_deadline", "<", fields.Date.context_today(self)),
        ]
        late = (operator == "=") == value
        return domain if late else ["!", "&", *domain]

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        self._qc_check_protected(vals_list, creating=True)
        self._qca_check_deadline(vals_list)
        self._qca_check_vals(vals_list, creating=True)
        new = self.env._("New")
        for vals in vals_list:
            self._qca_supplier_company(vals)
            if not vals.get("name") or vals["name"] == new:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "quality.complaint.action"
                ) or self.env._("New")
        actions = super().create(vals_list)
        actions._qca_on_written({key for vals in vals_list for key in vals})
        return actions

    def write(self, vals):
        self._qc_check_protected([vals])
        self._qca_check_deadline([vals])
        self._qca_check_vals([vals])
        self._qca_supplier_company(vals)
        result = super().write(vals)
        self._qca_on_written(set(vals))
        return result

    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s of a corrective action change only through its buttons "
            "(Start, Mark as Done, Verify, Cancel), not by a direct edit.",
            fields=labels,
        )

    def _qca_supplier_company(self, vals):
        """An action is addressed to the supplier's company, not to one contact."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id

    def _qca_check_deadline(self, vals_list):
        """A deadline, when it is set or moved, lies today or later."""
        today = fields.Date.context_today(self)
        for vals in vals_list:
            deadline = vals.get("date_deadline")
            if deadline and fields.Date.to_date(deadline) < today:
                raise ValidationError(
                    self.env._(
                        "The deadline %(date)s is in the past: give the date by which the "
                        "action will be done (today or later).",
                        date=fields.Date.to_date(deadline).strftime("%Y-%m-%d"),
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_started(self):
        started = self.filtered(lambda a: a.state not in ("draft", "cancelled"))
        if started:
            raise UserError(
                self.env._(
                    "Action %(ref)s has started: cancel it instead of deleting it.",
                    ref=started[0].name,
                )
            )

    # ------------------------------------------------------------ actions
    def _qca_check_state(self, allowed, message):
        wrong = self.filtered(lambda a: a.state not in allowed)
        if wrong:
            raise UserError(message % {"ref": wrong[0].name})

    @role(OFFICER)
    def action_open(self):
        """Start the work: the owner and the deadline are known."""
        self._qca_check_state(
            ("draft",), self.env._("Action %(ref)s is not a draft: it is already under way.")
        )
        for action in self:
            missing = []
            if not action.user_id:
                missing.append(self.env._("an owner"))
            if not action.date_deadline:
                missing.append(self.env._("a deadline"))
            if missing:
                raise UserError(
                    self.env._(
                        "Action %(ref)s needs %(items)s before it is opened.",
                        ref=action.name,
                        items=self.env._(" and ").join(missing),
                    )
                )
        self._qc_write_protected({"state": "open", "date_open": fields.Datetime.now()})
        self._qca_on_open()
        return True

    @role(OFFICER)
    def action_done(self):
        """The owner has carried out the action; its verification is now due."""
        self._qca_check_state(
            WORKING_STATES,
            self.env._("Only an open or reopened action can be marked as done (%(ref)s)."),
        )
        for action in self:
            gaps = action._qca_done_gaps()
            if gaps:
                raise UserError(
                    self.env._(
                        "%(ref)s cannot be marked as done yet:\n%(items)s",
                        ref=action.name,
                        items="\n".join(f"- {gap}" for gap in gaps),
                    )
                )
        self._qc_write_protected(
            {
                "state": "done",
                "date_done": fields.Datetime.now(),
                "done_by_id": self.env.user.id,
            }
        )
        self._qca_on_done()
        return True

    def _qca_reopen(self, reason):
        """Back to work (a verification found the action not effective)."""
        self._qc_write_protected(
            {"state": "reopened", "date_done": False, "done_by_id": False, "date_closed": False}
        )
        for action in self:
            action.message_post(
                body=self.env._("Reopened: %(reason)s", reason=reason),
                subtype_xmlid="mail.mt_note",
            )
        self._qca_on_reopen(reason)

    @role(OFFICER)
    def action_cancel(self):
        self._qca_check_state(
            ("draft", *WORKING_STATES, "done"),
            self.env._("Action %(ref)s is closed and cannot be cancelled."),
        )
        self._qc_write_protected({"state": "cancelled", "date_closed": fields.Datetime.now()})
        self._qca_on_cancel()
        return True

    @role(OFFICER)
    def action_reset_draft(self):
        self._qca_check_state(
            ("cancelled",), self.env._("Only a cancelled action goes back to draft (%(ref)s).")
        )
        self._qc_write_protected({"state": "draft", "date_open": False, "date_closed": False})
        return True

    # ------------------------------------------------------------ navigation
    @role(CUSTOMER_SERVICE)
    def action_view_tickets(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("id", "in", self.ticket_ids.ids)],
            name=self.env._("Complaints of %s", self.name),
        )

    def _qca_action_for(self, domain, name=None, context=None):
        """Window action on the corrective actions matching ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_complaint.action_corrective_action"
        )
        action["domain"] = domain
        action["context"] = dict(context or {})
        if name:
            action["name"] = name
        return action

"""The corrective action: containment, corrective or preventive (docs/process.md §4-§6).

The whole ``quality.complaint.action`` in one class, read top-down: fields,
computes, ORM overrides, actions and state changes, then one section per part of
its life: the root cause it answers (the investigation's 5 Whys or fishbone),
containment with the lots it puts on quality hold, the effectiveness
verification due once it is done, and the complaints that come back after it
was verified (recurrence). quality_complaint_purchase extends it with the
supplier's side (``_qca_*`` methods it overrides say so).
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.quality_complaint.lang import company_env, company_envs
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, MANAGER, OFFICER, role
from odoo.addons.quality_complaint_investigation.models.fishbone_cause import CAUSE_CATEGORIES
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

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


ROOT_CAUSE_SOURCES = [
    ("fishbone", "Fishbone cause"),
    ("five_whys", "5-Why conclusion"),
]

# States of an action in which its lots go on hold (the action's WORKING_STATES).
HOLDING_STATES = ("open", "reopened")

MANAGER_GROUP = "quality_complaint.group_complaint_manager"

HOLD_HELP = (
    "Lots this containment put on quality hold: no delivery to a customer ships them. "
    "Closing the action does not release them; a quality manager does (Release Lots here, "
    "or Release Hold on the lot). Cancelled by a quality manager, the action releases the "
    "lots no other containment holds; cancelled by anybody else, they stay on hold until a "
    "quality manager releases them."
)

VERIFICATION = "verification"

VERIFICATION_ACTIVITY = "quality_complaint_action.mail_activity_type_action_verification"

REWORK_ACTIVITY = "quality_complaint_action.mail_activity_type_action_rework"

# The quality manager's digest of the overdue verifications: one activity per
# company, updated in place.
VERIFICATION_OVERDUE_ACTIVITY = "quality_complaint_action.mail_activity_type_verification_overdue"

OFFICER_GROUP = "quality_complaint.group_complaint_officer"

# Share of the verification time left under which it is at risk.
VERIFICATION_AT_RISK_PERCENT = 30.0

VERDICTS = [
    ("effective", "Effective"),
    ("not_effective", "Not effective"),
]

# The link between an action and the complaints that repeat its problem; the
# complaint's side (``qc_recurrence_action_ids``) is the same table.
RECURRENCE_RELATION = "quality_complaint_action_recurrence_rel"

# Set only when a registration finds a recurrence.
RECURRENCE_PROTECTED = {"recurrence_ticket_ids", "recurred", "date_recurred"}


class QualityComplaintAction(models.Model):
    _name = "quality.complaint.action"
    _description = "Corrective action"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "portal.mixin",
        "quality.complaint.deadline.mixin",
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
    # The proposal an action comes from: proposing twice does not duplicate it.
    template_id = fields.Many2one(
        "quality.complaint.action.template",
        string="Proposed from",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )
    held_lot_ids = fields.Many2many(
        "stock.lot",
        "quality_complaint_action_lot_hold_rel",
        "action_id",
        "lot_id",
        groups="base.group_user",
        string="Lots on hold",
        readonly=True,
        copy=False,
        help=HOLD_HELP,
    )
    released_lot_ids = fields.Many2many(
        "stock.lot",
        "quality_complaint_action_lot_release_rel",
        "action_id",
        "lot_id",
        groups="base.group_user",
        string="Released lots",
        readonly=True,
        copy=False,
        help="Lots of this containment a quality manager released from hold.",
    )
    held_lot_count = fields.Integer(string="Lots on hold count", compute="_compute_held_lot_count")
    verification_ids = fields.One2many(
        "quality.complaint.action.verification",
        "action_id",
        string="Verifications",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    # Not stored: the clock (one per action) is found by its document; the fields
    # showing it follow its changes in the cache.
    verification_deadline_id = fields.Many2one(
        "quality.complaint.deadline",
        string="Verification clock",
        compute="_compute_verification_deadline_id",
        search="_search_verification_deadline_id",
        groups="base.group_user",
    )
    verification_due = fields.Date(
        compute="_compute_verification_clock",
        groups="base.group_user",
        help="Quality verifies by this day that the action works: the company's "
        "verification days after the action was marked as done.",
    )
    verification_status = fields.Selection(
        [
            ("on_track", "On track"),
            ("at_risk", "At risk"),
            ("breached", "Overdue"),
            ("met", "Verified in time"),
        ],
        string="Verification deadline",
        compute="_compute_verification_clock",
        groups="base.group_user",
    )
    verification_overdue = fields.Boolean(
        compute="_compute_verification_clock",
        search="_search_verification_overdue",
        groups="base.group_user",
    )
    last_verdict = fields.Selection(
        VERDICTS,
        compute="_compute_last_verdict",
        store=True,
        copy=False,
        groups="base.group_user",
        help="The verdict of the action's latest verification.",
    )
    recurrence_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        RECURRENCE_RELATION,
        "action_id",
        "ticket_id",
        string="Recurrences",
        readonly=True,
        copy=False,
        groups="quality_complaint.group_complaint_user",
        help="Complaints registered after the action was verified effective that repeat "
        "the problem it fixed.",
    )
    recurrence_count = fields.Integer(
        string="Recurrence count",
        compute="_compute_recurrence_count",
        groups="quality_complaint.group_complaint_user",
    )
    recurred = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="A complaint repeated the problem after the action was verified effective.",
    )
    date_recurred = fields.Datetime(
        string="Recurred on",
        readonly=True,
        copy=False,
        help="When the first complaint repeating the problem was registered.",
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

    def _qc_log_with_complaints(self, bodies):
        """Log ``bodies`` ({action: text}) on each action and on its complaints:
        what happened to a document the action names (quality_complaint_mrp's
        manufacturing orders, quality_complaint_purchase's purchase orders)."""
        if not bodies:
            return
        self.browse([action.id for action in bodies])._message_log_batch(
            {action.id: body for action, body in bodies.items()}
        )
        for action, body in bodies.items():
            if action.ticket_ids:
                action.ticket_ids._message_log_batch(dict.fromkeys(action.ticket_ids.ids, body))

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
        envs = company_envs(self.env, self)  # notes for everyone
        for action in self:
            action.message_post(
                body=envs[action.company_id]._("Reopened: %(reason)s", reason=reason),
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

    # ------------------------------------------------------------ state changes
    def _qc_protected(self):
        return (
            super()._qc_protected()
            | {"held_lot_ids", "released_lot_ids", "last_verdict"}
            | RECURRENCE_PROTECTED
        )

    def _qca_check_vals(self, vals_list, creating=False):
        """Hook: refuse bad values before they are written. Extended by
        quality_complaint_purchase (a sent request keeps its supplier).

        The actions of a closed investigation belong to the case library: only a
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

    def _qca_on_written(self, vals):
        """A containment's lots changed: hold the new ones."""
        if {"lot_ids", "kind"} & set(vals):
            self._qca_hold_lots()

    def _qca_on_open(self):
        # A new action on a closed investigation reopens it: its work is not over.
        env = company_env(self.env, self.investigation_id.company_id[:1])  # its note's
        self.investigation_id._qci_reopen_for(self, env._("a new action is opened"))
        self._qca_hold_lots(again=True)

    def _qca_on_done(self):
        self._qc_close_activities_of(REWORK_ACTIVITY, self.env._("The action is done again."))
        self._qcv_start()

    def _qca_on_reopen(self, reason):
        self._qcv_stop()
        self.investigation_id._qci_reopen_for(self, reason)
        self._qca_hold_lots(again=True)

    def _qca_on_cancel(self):
        """Hook: the actions in ``self`` were cancelled. Extended by
        quality_complaint_purchase (the supplier's request is withdrawn)."""
        self._qcv_stop()
        self.investigation_id._qci_close_if_verified()
        self.sudo().filtered("held_lot_ids")._qca_cancelled_holds(self.env.user)

    def _qca_done_gaps(self):
        """Hook: what is still missing before the action can be marked as done.
        Extended by quality_complaint_purchase (the supplier's answer)."""
        return []

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
            "quality_complaint_action.action_corrective_action"
        )
        action["domain"] = domain
        action["context"] = dict(context or {})
        if name:
            action["name"] = name
        return action

    # ------------------------------------------------------------ root cause

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

    # ------------------------------------------------------------ containment

    @api.depends("held_lot_ids")
    def _compute_held_lot_count(self):
        # Purchasing reads the action without inventory rights: the count only.
        for action in self:
            action.held_lot_count = len(action.sudo().held_lot_ids)

    def _qca_cancelled_holds(self, user):
        """Containments holding lots were cancelled by ``user`` (``self`` as superuser):
        a quality manager's cancellation releases them, anybody else's leaves them on
        hold and tells the quality manager."""
        if user._is_superuser() or user.has_group(MANAGER_GROUP):
            for action in self:
                action.held_lot_ids.with_user(user)._qc_release(
                    actions=action,
                    reason=company_env(self.env, action.company_id)._(
                        "Containment %(ref)s was cancelled.", ref=action.name
                    ),
                )
            return
        for action in self:
            body = company_env(self.env, action.company_id)._(  # a note for everyone
                "Containment %(ref)s was cancelled by %(user)s: the lot stays on quality "
                "hold until a quality manager releases it.",
                ref=action.name,
                user=user.name,
            )
            for lot in action.held_lot_ids:
                lot.message_post(
                    body=body,
                    partner_ids=action.company_id.qc_quality_manager_id.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_holding_lots(self):
        holding = self.sudo().filtered("held_lot_ids")
        if holding:
            raise UserError(
                self.env._(
                    "Action %(ref)s holds lots on quality hold (%(lots)s): a quality "
                    "manager releases them (Release Lots) before it is deleted.",
                    ref=holding[0].name,
                    lots=", ".join(holding[0].held_lot_ids.mapped("name")),
                )
            )

    # ------------------------------------------------------------ hold and release
    def _qca_hold_lots(self, again=False):
        """Put the lots of the containment actions in force on hold. ``again``: also
        those a quality manager released from this action (it opens or reopens)."""
        for action in self.sudo():
            if action.kind != "containment" or action.state not in HOLDING_STATES:
                continue
            lots = action.lot_ids - action.held_lot_ids
            if not again:
                lots -= action.released_lot_ids
            lots._qc_hold(action)

    def _qca_check_release_rights(self):
        """Who may release the lots these containments hold (names the manager)."""
        self.sudo().held_lot_ids.with_env(self.env)._qc_check_release_rights(self)

    @role(MANAGER, refusal="_qca_check_release_rights")
    def action_qca_release_lots(self):
        """Release Lots (quality manager): the lots this containment holds may ship
        again, unless another containment in force holds them too."""
        lots = self.sudo().held_lot_ids
        if not lots:
            raise UserError(self.env._("%(ref)s holds no lot on quality hold.", ref=self[:1].name))
        self._qca_check_release_rights()
        self.check_access("write")
        for action in self:
            action.sudo().held_lot_ids.with_env(self.env)._qc_release(
                actions=action,
                reason=company_env(self.env, action.company_id)._(
                    "Containment %(ref)s released.", ref=action.name
                ),
            )
        return True

    # ------------------------------------------------------------ verification
    @api.depends("state")
    def _compute_verification_deadline_id(self):
        clocks = {clock.res_id: clock for clock in self._origin._qc_deadlines(VERIFICATION)}
        for action in self:
            action.verification_deadline_id = clocks.get(action._origin.id, False)

    def _search_verification_deadline_id(self, operator, value):
        if operator != "in":
            raise UserError(self.env._("Unsupported search on verification clocks."))
        ids = [clock_id for clock_id in value if isinstance(clock_id, int)]
        clocks = self.env["quality.complaint.deadline"].sudo().browse(ids).exists()
        return [
            (
                "id",
                "in",
                [
                    clock.res_id
                    for clock in clocks
                    if clock.res_model == self._name and clock.kind == VERIFICATION
                ],
            )
        ]

    @api.depends(
        "state",
        "verification_deadline_id.deadline",
        "verification_deadline_id.status",
        "verification_deadline_id.done_date",
        "verification_deadline_id.frozen",
    )
    def _compute_verification_clock(self):
        now = fields.Datetime.now()
        for action in self:
            clock = action.verification_deadline_id
            running = bool(clock and clock.deadline and not clock.done_date and not clock.frozen)
            # A clock stopped by a reopening or a cancellation is no longer shown.
            shown = running or bool(clock and clock.done_date)
            action.verification_due = (
                fields.Date.context_today(action, clock.deadline) if shown else False
            )
            action.verification_status = (clock.status or False) if shown else False
            action.verification_overdue = bool(
                action.state == "done" and running and clock.deadline < now
            )

    def _search_verification_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue verifications."))
        clocks = (
            self.env["quality.complaint.deadline"]
            .sudo()
            ._search(
                [
                    ("res_model", "=", self._name),
                    ("kind", "=", VERIFICATION),
                    ("done_date", "=", False),
                    ("frozen", "=", False),
                    ("deadline", "<", fields.Datetime.now()),
                ]
            )
        )
        domain = [("state", "=", "done"), ("id", "in", clocks.subselect("res_id"))]
        overdue = (operator == "=") == value
        return domain if overdue else ["!", "&", *domain]

    @api.depends("verification_ids.verdict", "verification_ids.date")
    def _compute_last_verdict(self):
        for action in self:
            last = action.verification_ids.sorted(lambda v: (v.date, v.id))[-1:]
            action.last_verdict = last.verdict or False

    # ------------------------------------------------------------ clock
    def _qcv_start(self):
        """Plan the verification clock from now and give quality its activity."""
        now = fields.Datetime.now()
        # Done again after a reopening: a fresh clock.
        values = {
            action.id: self._qc_fresh_clock(
                action.company_id,
                now,
                action.company_id.qc_verification_days,
                "days",
                at_risk_percent=VERIFICATION_AT_RISK_PERCENT,
            )
            for action in self
        }
        clocks = self._qc_deadline_plan(VERIFICATION, values)
        self.invalidate_recordset(["verification_deadline_id"])
        self._qcv_schedule(
            [
                (action, action._qcv_verifier(), clock.deadline, None)
                for action, clock in zip(self, clocks, strict=True)
            ],
            lambda env, action: env._("Verify that %(ref)s works", ref=action.name),
        )

    def _qcv_stop(self):
        """Reopened or cancelled before its verification: the clock is no longer
        watched (its status is kept) and quality's activities go."""
        running = self._qc_deadlines(VERIFICATION).filtered(lambda c: not c.done_date)
        if running:
            running._freeze(True, fields.Datetime.now())
        self.sudo().activity_unlink([VERIFICATION_ACTIVITY], only_automated=False)

    def _qcv_verifier(self):
        """Who verifies: the investigation's owner, else the action's owner, else
        the company's quality manager."""
        self.ensure_one()
        return (
            self.investigation_id.user_id or self.user_id or self.company_id.qc_quality_manager_id
        )

    def _qcv_schedule(self, plans, summary, xmlid=VERIFICATION_ACTIVITY):
        """One activity per (action, user, due moment, note) of ``plans``;
        ``summary(env, action)`` in the user's language. Actions without anyone
        get a note instead."""
        activities, orphans = [], {}
        envs = company_envs(self.env, self.browse([plan[0].id for plan in plans]))
        for action, user, due, note in plans:
            if not user:
                orphans[action.id] = envs[action.company_id]._(
                    "%(what)s, but nobody is told: set an owner on the action or a quality "
                    "manager in the settings.",
                    what=summary(envs[action.company_id], action),
                )
                continue
            env = self.with_context(lang=user.lang or self.env.lang).env
            moment = due or fields.Datetime.now()
            activities.append(
                (
                    action,
                    {
                        "user_id": user.id,
                        "date_deadline": fields.Date.context_today(
                            self.with_context(tz=user.tz or "UTC"), moment
                        ),
                        "summary": summary(env, action),
                        "note": note(env, action) if note else False,
                    },
                )
            )
        self._qc_schedule_activities(xmlid, activities)
        if orphans:
            self.browse(list(orphans))._message_log_batch(orphans)

    # ------------------------------------------------------------ events
    def _qc_deadline_warn(self, kind, clocks):
        if kind != VERIFICATION:
            return super()._qc_deadline_warn(kind, clocks)
        waiting = self.filtered(lambda a: a.state == "done")
        due = {clock.res_id: clock.deadline for clock in clocks}
        envs = company_envs(self.env, waiting)
        waiting._message_log_batch(
            {
                action.id: envs[action.company_id]._(
                    "Verification at risk: quality must verify by %(date)s that the action works.",
                    date=action._qcv_date_text(due.get(action.id)),
                )
                for action in waiting
            }
        )
        waiting._qcv_schedule(
            [(action, action._qcv_verifier(), None, None) for action in waiting],
            lambda env, action: env._(
                "Reminder: verify %(ref)s by %(date)s",
                ref=action.name,
                date=action._qcv_date_text(due.get(action.id)),
            ),
        )
        return None

    def _qc_deadline_escalate(self, kind, clocks):
        if kind != VERIFICATION:
            return super()._qc_deadline_escalate(kind, clocks)
        # The quality manager's digest is the escalation, brought up to date once
        # at the end of the cron's run (_qc_deadline_run_done); an action whose
        # company has no quality manager gets a note saying nobody is told.
        late = self.filtered(lambda a: a.state == "done" and not a.company_id.qc_quality_manager_id)
        due = {clock.res_id: clock.deadline for clock in clocks}
        late._qcv_schedule(
            [(action, False, None, None) for action in late],
            lambda env, action: env._(
                "Verification of %(ref)s is overdue (due by %(date)s)",
                ref=action.name,
                date=action._qcv_date_text(due.get(action.id)),
            ),
        )
        return None

    @api.model
    def _qc_deadline_run_done(self, events):
        if (VERIFICATION, "escalate") in events:
            self._qcv_overdue_digest()
        return super()._qc_deadline_run_done(events)

    def _qc_deadline_escalation_over(self, kind, clocks):
        if kind == VERIFICATION:
            # Rewritten by its cron, soon: users finishing verifications at once
            # never wait on the one digest activity of their company.
            self.env.ref("quality_complaint_action.ir_cron_verification_digest").sudo()._trigger()
        return super()._qc_deadline_escalation_over(kind, clocks)

    @api.model
    def _qcv_overdue_digest(self, companies=None):
        """Bring the quality managers' digests of ``companies`` (default: all) up
        to date: ONE activity per company for its quality manager listing every
        overdue verification (escalated, the action still done and unverified),
        oldest due first, in the manager's language, on the oldest of them;
        marked done when none is overdue. A few queries whatever the backlog."""
        clocks = self._qc_escalated_clocks(VERIFICATION, companies)
        due = {clock.res_id: clock.deadline for clock in clocks}
        late = (
            self.sudo()
            .browse(list(due))
            .exists()
            .filtered(lambda a: a.active and a.state == "done")
            .sorted(lambda a: (due[a.id], a.id))
        )
        digests = {}
        for action in late:
            manager = action.company_id.qc_quality_manager_id
            if manager:
                key = (action.company_id, manager)
                digests[key] = digests.get(key, late.browse()) | action

        def texts(env, actions):
            return actions._qcv_overdue_texts(env, due)

        self._qc_digest_activities(
            VERIFICATION_OVERDUE_ACTIVITY,
            companies,
            digests,
            texts,
            lambda env: env._("No verification is overdue any more."),
        )

    def _qcv_overdue_texts(self, env, due):
        """(summary, note) of a quality manager's digest of the actions, in
        ``env``'s language; ``due``: {action id: verification deadline}."""
        today = fields.Date.context_today(self)
        items = []
        for action in self:
            day = fields.Date.context_today(self, due[action.id])
            items.append(
                Markup('<li><a href="/odoo/%s/%s">%s</a>: %s</li>')
                % (
                    action._name,
                    action.id,
                    action.name,
                    env._(
                        "%(owner)s, due by %(date)s, %(days)s days late",
                        owner=action.user_id.name or env._("no owner"),
                        date=day.strftime("%Y-%m-%d"),
                        days=(today - day).days,
                    ),
                )
            )
        summary = env._("Verifications overdue: %(count)s", count=len(self))
        note = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "On %(date)s, these corrective actions are done and their effectiveness is "
                "not verified in time: have them verified.",
                date=today.strftime("%Y-%m-%d"),
            ),
            Markup("").join(items),
        )
        return summary, note

    def _qcv_date_text(self, moment):
        return fields.Date.context_today(self, moment).strftime("%Y-%m-%d") if moment else ""

    # ------------------------------------------------------------ verify
    @role(OFFICER, refusal="_qcv_check_can_verify")
    def action_verify(self):
        """Open the verification dialog of a done action."""
        self.ensure_one()
        self._qcv_check_can_verify()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Verify %(ref)s", ref=self.name),
            "res_model": "quality.complaint.action.verification",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "quality_complaint_action.quality_complaint_action_verification_view_form_dialog"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
            "context": {"default_action_id": self.id},
        }

    def _qcv_check_can_verify(self):
        if not (self.env.su or self.env.user.has_group(OFFICER_GROUP)):
            raise AccessError(self.env._("Only quality officers verify corrective actions."))
        self._qca_check_state(
            ("done",),
            self.env._(
                "%(ref)s is not done: only a done action can be verified. Its owner marks it "
                "as done once carried out."
            ),
        )

    def _qcv_apply(self, verification):
        """Apply the verdict of a new ``verification`` of the action."""
        self.ensure_one()
        now = fields.Datetime.now()
        clocks = self._qc_deadlines(VERIFICATION).filtered(lambda c: not c.done_date)
        if clocks:
            clocks._mark_done(now, self.env.user)
        if verification.verdict == "effective":
            self._qc_close_activities_of(VERIFICATION_ACTIVITY, self.env._("Verified effective."))
            self._qc_write_protected({"state": "effective", "date_closed": now})
            env = company_env(self.env, self.company_id)  # a note for everyone
            self._message_log(
                body=env._(
                    "Verified effective: %(result)s",
                    result=verification.with_env(env)._result_text(),
                )
            )
            self.investigation_id._qci_close_if_verified()
            return
        self._qc_close_activities_of(VERIFICATION_ACTIVITY, self.env._("Verified not effective."))
        env = company_env(self.env, self.company_id)  # in its notes
        self._qca_reopen(
            env._(
                "not effective (%(result)s): %(reason)s",
                result=verification.with_env(env)._result_text(),
                reason=verification.notes,
            )
        )
        self.write({"date_deadline": verification.rework_deadline})
        due = fields.Datetime.to_datetime(verification.rework_deadline)
        self._qcv_schedule(
            [(self, self.user_id or self.env.user, due, lambda env, action: verification.notes)],
            lambda env, action: env._("Not effective: act again on %(ref)s", ref=action.name),
            xmlid=REWORK_ACTIVITY,
        )

    # ------------------------------------------------------------ recurrence

    @api.depends("recurrence_ticket_ids")
    def _compute_recurrence_count(self):
        for action in self:
            action.recurrence_count = len(action.recurrence_ticket_ids)

    @role(CUSTOMER_SERVICE)
    def action_view_recurrences(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("id", "in", self.recurrence_ticket_ids.ids)],
            name=self.env._("Recurrences of %(ref)s", ref=self.name),
        )

    def _qca_defect_categories(self):
        """The defect categories of the action: those of its investigation's complaints."""
        self.ensure_one()
        return self.investigation_id.ticket_ids.defect_category_id

    def _qca_on_recurrences(self, tickets_by_action):
        """Record the complaints newly found to repeat each action's problem, and
        tell each action's owner and the company's quality manager once, in one note
        listing them. ``tickets_by_action``: {action id: complaints} (only the
        complaints not linked before)."""
        actions = self.browse(list(tickets_by_action)).sudo()
        first = actions.filtered(lambda a: not a.recurred)
        if first:
            first.write({"recurred": True, "date_recurred": fields.Datetime.now()})
        for action in actions:
            action._qca_notify_recurrence(tickets_by_action[action.id])

    def _qca_recurrence_recipients(self):
        self.ensure_one()
        return self.user_id | self.company_id.qc_quality_manager_id

    def _qca_notify_recurrence(self, tickets):
        """One note on the action for its owner and the quality manager, in the
        owner's language and time zone (else the manager's), listing the recurring complaints."""
        self.ensure_one()
        users = self._qca_recurrence_recipients()
        reader = users[:1]
        env = self.with_context(
            lang=reader.lang or self.env.lang, tz=reader.tz or self.env.context.get("tz")
        ).env
        verified = format_date(env, self.date_closed)
        items = Markup("").join(
            Markup("<li>%s</li>") % ticket._get_html_link() for ticket in tickets.sorted("id")
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "The problem %(ref)s had fixed (verified effective on %(date)s) came back: "
                "%(count)s new complaint(s) repeat it.",
                ref=self.name,
                date=verified,
                count=len(tickets),
            ),
            items,
        )
        if not users:
            body += Markup("<p>%s</p>") % env._(
                "Nobody is told: give the action an owner or set a quality manager in the settings."
            )
        self.message_post(
            body=body,
            subject=env._("%(ref)s: the problem came back", ref=self.name),
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

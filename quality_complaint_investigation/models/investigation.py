from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.quality_complaint.lang import company_env
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, MANAGER, OFFICER, role
from odoo.exceptions import AccessError, UserError

from .fishbone_cause import CAUSE_CATEGORIES

INVESTIGATION_STATES = [
    ("draft", "New"),
    ("in_progress", "In progress"),
    ("analysed", "Analysed"),
    ("approved", "Approved"),
    ("closed", "Closed"),
]

# The states in which an investigation is open: complaints on its lots join it.
OPEN_STATES = ("draft", "in_progress", "analysed")

# The quality manager's "approve the analysis" activity (docs/process.md §4).
APPROVAL_ACTIVITY = "quality_complaint_investigation.mail_activity_type_investigation_approval"

# Fields the mail thread and activities write on a locked investigation.
UNLOCKED_FIELDS = {
    "message_main_attachment_id",
    "message_follower_ids",
    "activity_ids",
    "activity_state",
    "activity_user_id",
    "activity_type_id",
    "activity_date_deadline",
    "activity_summary",
}

# Kept by the actions only (Start, Mark as Analysed, Approve, Unlock, Back in
# Progress, Send Progress Update, Notify Them): a direct create or write of them by
# anyone but the superuser is refused. The actions check the user's rights, then
# write them as superuser (``_qc_write_protected``).
PROTECTED_FIELDS = (
    "name",
    "state",
    "approved_by_id",
    "approved_date",
    "progress_update_date",
    "progress_update_count",
    "containment_notified_partner_ids",
)


class QualityComplaintInvestigation(models.Model):
    _name = "quality.complaint.investigation"
    _description = "Quality complaint investigation"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "quality.complaint.protected.mixin",
        "quality.complaint.deadline.mixin",
    ]
    _qc_protected_fields = PROTECTED_FIELDS
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    title = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        INVESTIGATION_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
        help="The quality officer who runs the investigation.",
    )
    date_start = fields.Date(string="Started on", default=fields.Date.context_today, copy=False)
    product_id = fields.Many2one(
        "product.product",
        tracking=True,
        index="btree_not_null",
        check_company=True,
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        "quality_complaint_investigation_stock_lot_rel",
        "investigation_id",
        "lot_id",
        string="Lots / serial numbers",
        check_company=True,
        domain="[('product_id', '=?', product_id)]",
    )
    ticket_ids = fields.One2many(
        "helpdesk.ticket", "investigation_id", string="Complaints", readonly=True
    )
    ticket_count = fields.Integer(string="Complaint count", compute="_compute_ticket_stats")
    customer_count = fields.Integer(compute="_compute_ticket_stats")
    description = fields.Html(string="Problem statement")

    inspection_ids = fields.One2many(
        "quality.complaint.inspection", "investigation_id", string="Inspections", copy=False
    )
    test_ids = fields.One2many(
        "quality.complaint.test", "investigation_id", string="Tests", copy=False
    )
    why_ids = fields.One2many(
        "quality.complaint.why", "investigation_id", string="5 Whys", copy=True
    )
    fishbone_cause_ids = fields.One2many(
        "quality.complaint.fishbone.cause",
        "investigation_id",
        string="Fishbone causes",
        copy=True,
    )
    fishbone_data = fields.Json(
        string="Fishbone",
        compute="_compute_fishbone_data",
        help="The fishbone causes grouped by category, drawn as a diagram.",
    )
    root_cause_summary = fields.Text(tracking=True)
    root_cause_category = fields.Selection(CAUSE_CATEGORIES, tracking=True)
    supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier at fault",
        tracking=True,
        index="btree_not_null",
        check_company=True,
        compute="_compute_supplier_id",
        store=True,
        readonly=False,
        help="The supplier whose material caused the defect. Proposed from the vendors "
        "who delivered the lots; the only one of them when the root cause is a material.",
    )
    qc_lot_vendor_ids = fields.Many2many(
        "res.partner",
        compute="_compute_qc_lot_vendor_ids",
        string="Vendors of the lots",
        help="The vendors whose receipts brought the lots in (traceability).",
    )
    qc_open_investigation_id = fields.Many2one(
        "quality.complaint.investigation",
        compute="_compute_qc_open_investigation_id",
        string="Open investigation of the same lot",
        help="Another open investigation on one of these lots: its complaints belong there.",
    )
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved on", readonly=True, copy=False)
    is_locked = fields.Boolean(
        compute="_compute_is_locked",
        help="Approved analyses are locked except to quality managers.",
    )

    _name_company_uniq = models.Constraint(
        "UNIQUE(name, company_id)", "The investigation reference must be unique per company."
    )

    # live, from the stock moves of the lots
    lot_balance_ids = fields.Many2many(
        "quality.complaint.lot.balance",
        compute="_compute_lot_balance_ids",
        string="Lot quantities",
        help="Per lot: received, delivered, returned and on hand, in the product's unit.",
    )
    trace_move_ids = fields.Many2many(
        "quality.complaint.lot.move",
        compute="_compute_traceability",
        string="Lot movements",
    )
    receipt_move_ids = fields.Many2many(
        "quality.complaint.lot.move", compute="_compute_traceability", string="Receipts"
    )
    delivery_move_ids = fields.Many2many(
        "quality.complaint.lot.move", compute="_compute_traceability", string="Deliveries"
    )
    containment_ids = fields.Many2many(
        "quality.complaint.lot.customer",
        compute="_compute_traceability",
        string="Containment list",
        help="Other customers who received the same lots and have not complained.",
    )
    containment_count = fields.Integer(compute="_compute_traceability")
    containment_notified_partner_ids = fields.Many2many(
        "res.partner",
        "quality_complaint_investigation_notified_rel",
        "investigation_id",
        "partner_id",
        string="Customers notified",
        readonly=True,
        copy=False,
    )
    progress_update_date = fields.Datetime(string="Last progress update", readonly=True, copy=False)
    progress_update_count = fields.Integer(string="Progress updates", readonly=True, copy=False)

    # ------------------------------------------------------------ computes
    @api.depends("ticket_ids.partner_id")
    def _compute_ticket_stats(self):
        for investigation in self:
            tickets = investigation.ticket_ids
            investigation.ticket_count = len(tickets)
            investigation.customer_count = len(tickets.partner_id.commercial_partner_id)

    @api.depends("state")
    def _compute_is_locked(self):
        for investigation in self:
            investigation.is_locked = investigation.state in ("approved", "closed")

    @api.depends("lot_ids")
    def _compute_qc_lot_vendor_ids(self):
        lots = self.lot_ids._origin
        receipts = (
            self.env["quality.complaint.lot.move"].search(
                [("lot_id", "in", lots.ids), ("kind", "=", "receipt"), ("partner_id", "!=", False)]
            )
            if lots
            else self.env["quality.complaint.lot.move"]
        )
        for investigation in self:
            investigation.qc_lot_vendor_ids = receipts.filtered(
                lambda m, inv=investigation: m.lot_id in inv.lot_ids._origin
            ).partner_id

    @api.depends("root_cause_category", "lot_ids")
    def _compute_supplier_id(self):
        """A material root cause: the vendor of the lots when only one delivered them."""
        for investigation in self:
            vendors = investigation.qc_lot_vendor_ids
            if (
                investigation.root_cause_category == "material"
                and not investigation.supplier_id
                and len(vendors) == 1
            ):
                investigation.supplier_id = vendors
            else:
                investigation.supplier_id = investigation.supplier_id

    @api.depends("lot_ids", "company_id", "state")
    def _compute_qc_open_investigation_id(self):
        lots = self.lot_ids._origin
        others = (
            self.search(
                [
                    ("state", "in", OPEN_STATES),
                    ("lot_ids", "in", lots.ids),
                    ("company_id", "in", self.company_id._origin.ids),
                ],
                order="id",
            )
            if lots
            else self.browse()
        )
        for investigation in self:
            investigation.qc_open_investigation_id = (
                others.filtered(
                    lambda o, inv=investigation: (
                        o.id != inv._origin.id
                        and o.company_id == inv.company_id._origin
                        and o.lot_ids & inv.lot_ids._origin
                    )
                )[:1]
                if investigation.state in OPEN_STATES
                else False
            )

    @api.depends(
        "fishbone_cause_ids.category",
        "fishbone_cause_ids.description",
        "fishbone_cause_ids.is_root_cause",
        "fishbone_cause_ids.sequence",
    )
    def _compute_fishbone_data(self):
        labels = dict(
            self.env["quality.complaint.fishbone.cause"]
            ._fields["category"]
            ._description_selection(self.env)
        )
        for investigation in self:
            causes = investigation.fishbone_cause_ids.sorted(lambda c: (c.sequence, c.id or 0))
            investigation.fishbone_data = {
                "effect": investigation.title or investigation.product_id.display_name or "",
                "bones": [
                    {
                        "category": code,
                        "label": labels[code],
                        "causes": [
                            {"text": cause.description or "", "root": cause.is_root_cause}
                            for cause in causes
                            if cause.category == code
                        ],
                    }
                    for code, _label in CAUSE_CATEGORIES
                ],
            }

    # ------------------------------------------------------------ CRUD / lock
    @api.model_create_multi
    def create(self, vals_list):
        new = self.env._("New")
        # a new investigation starts as a draft with a reference from the sequence
        self._qc_check_protected(vals_list, creating=True)
        for vals in vals_list:
            if not vals.get("name") or vals["name"] == new:
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "quality.complaint.investigation"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        self._qc_check_protected([vals])
        if set(vals) - UNLOCKED_FIELDS:
            self._check_unlocked()
        return super().write(vals)

    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s of an investigation change only through its buttons "
            "(Start, Mark as Analysed, Approve Analysis, Unlock, ...), not by a "
            "direct edit.",
            fields=labels,
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        self._check_unlocked()
        if self.ticket_ids:
            raise UserError(
                self.env._(
                    "Investigation %(ref)s still serves complaints: detach them or archive "
                    "the investigation instead.",
                    ref=self.filtered("ticket_ids")[0].name,
                )
            )

    def _check_unlocked(self):
        """Approved investigations change only in the hands of a quality manager."""
        if self.env.su or self.env.user.has_group("quality_complaint.group_complaint_manager"):
            return
        locked = self.filtered(lambda inv: inv.state in ("approved", "closed"))
        if locked:
            raise UserError(
                self.env._(
                    "Investigation %(ref)s is approved and locked. Only a quality manager "
                    "can change it or unlock it.",
                    ref=locked[0].name,
                )
            )

    # ------------------------------------------------------------ actions
    @role(OFFICER)
    def action_start(self):
        for investigation in self:
            if investigation.state != "draft":
                raise UserError(
                    self.env._("Investigation %s has already started.", investigation.name)
                )
        self._qc_write_protected({"state": "in_progress"})
        return True

    @role(OFFICER)
    def action_mark_analysed(self):
        for investigation in self:
            if investigation.state not in ("draft", "in_progress"):
                raise UserError(
                    self.env._(
                        "Only an investigation in progress can be marked as analysed (%s).",
                        investigation.name,
                    )
                )
        self._check_analysis_complete(
            self.env._("%(ref)s cannot be marked as analysed yet:\n%(items)s")
        )
        self._qc_write_protected({"state": "analysed"})
        self._qc_ask_approval()
        return True

    def _check_analysis_complete(self, message):
        """Raise ``message`` (with %(ref)s and %(items)s) for an incomplete analysis."""
        for investigation in self:
            gaps = investigation._analysis_gaps()
            if gaps:
                raise UserError(
                    message
                    % {"ref": investigation.name, "items": "\n".join(f"- {g}" for g in gaps)}
                )

    def _analysis_gaps(self):
        self.ensure_one()
        gaps = []
        if not self.why_ids and not self.fishbone_cause_ids:
            gaps.append(self.env._("a 5-Why chain or fishbone causes"))
        if self.fishbone_cause_ids and not self.fishbone_cause_ids.filtered("is_root_cause"):
            gaps.append(self.env._("at least one fishbone cause marked as root cause"))
        if not (self.root_cause_summary or "").strip():
            gaps.append(self.env._("the root-cause summary"))
        if not self.root_cause_category:
            gaps.append(self.env._("the root-cause category"))
        if self.root_cause_category == "material" and not self.supplier_id:
            gaps.append(self.env._("the supplier at fault (the root cause is a material)"))
        return gaps

    @role(MANAGER, refusal="_check_may_approve")
    def action_approve(self):
        self._check_may_approve()
        for investigation in self:
            if investigation.state != "analysed":
                raise UserError(
                    self.env._(
                        "Investigation %s must be analysed before it is approved.",
                        investigation.name,
                    )
                )
        self._check_analysis_complete(self.env._("%(ref)s cannot be approved:\n%(items)s"))
        self._qc_write_protected(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        self._qc_close_activities_of(
            APPROVAL_ACTIVITY, self.env._("Approved by %s.", self.env.user.name)
        )
        return True

    @role(MANAGER, refusal="_check_may_unlock")
    def action_unlock(self):
        """Reopen an approved analysis for changes (quality managers only)."""
        self._check_may_unlock()
        not_approved = self.filtered(lambda inv: inv.state != "approved")
        if not_approved:
            raise UserError(self.env._("Investigation %s is not approved.", not_approved[0].name))
        self._qc_write_protected(
            {"state": "analysed", "approved_by_id": False, "approved_date": False}
        )
        self._qc_ask_approval()
        return True

    @role(OFFICER)
    def action_reopen(self):
        for investigation in self:
            if investigation.state != "analysed":
                raise UserError(
                    self.env._(
                        "Only an analysed investigation can go back in progress (%s).",
                        investigation.name,
                    )
                )
        self._qc_write_protected({"state": "in_progress"})
        self._qc_close_activities_of(
            APPROVAL_ACTIVITY,
            self.env._("Not approved: sent back in progress by %s.", self.env.user.name),
        )
        return True

    # ------------------------------------------------------------ approval hand-over
    def _qc_approvers(self):
        """Who approves the analysis: the company's quality manager, else the
        active quality managers of the company."""
        self.ensure_one()
        company = self.company_id
        if company.qc_quality_manager_id.active:
            return company.qc_quality_manager_id
        group = self.env.ref("quality_complaint.group_complaint_manager")
        return group.sudo().all_user_ids.filtered(
            lambda u: u.active and not u.share and company in u.company_ids
        )

    def _qc_ask_approval(self):
        """An 'approve the analysis' activity for each approver of the submitted
        investigations, in the approver's language, once; a chatter note where
        nobody can approve."""
        activity_type = self.env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        plans, orphans = [], {}
        for investigation in self:
            approvers = investigation._qc_approvers()
            if not approvers:
                orphans[investigation.id] = self.env._(
                    "Submitted for approval, but nobody is told: set the quality manager "
                    "of %(company)s in the settings or give a user the Quality Manager role.",
                    company=investigation.company_id.name,
                )
                continue
            waiting = (
                investigation.sudo()
                .activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
                .user_id
            )
            for user in approvers - waiting:
                plans.append((investigation, investigation._qc_approval_values(user)))
        self._qc_schedule_activities(APPROVAL_ACTIVITY, plans, notify=True)
        if orphans:
            self.browse(list(orphans))._message_log_batch(orphans)

    def _qc_approval_values(self, user):
        """Summary, note and due date of ``user``'s approval activity."""
        self.ensure_one()
        mine = self.with_context(lang=user.lang or self.env.lang, tz=user.tz or "UTC")
        env = mine.env
        activity_type = env.ref(APPROVAL_ACTIVITY, raise_if_not_found=False)
        due = (
            activity_type._get_date_deadline() if activity_type else fields.Date.context_today(mine)
        )
        return {
            "user_id": user.id,
            "date_deadline": due,
            "summary": env._("Approve the analysis of %s", self.name),
            "note": Markup("<p>%s</p>")
            % env._(
                "%(who)s submitted the root-cause analysis of %(ref)s (%(title)s) for your "
                "approval: approve it, or send it back in progress.",
                who=self.env.user.name,
                ref=self.name,
                title=self.title,
            ),
        }

    def _check_manager(self, message):
        if not (
            self.env.su or self.env.user.has_group("quality_complaint.group_complaint_manager")
        ):
            raise AccessError(message)

    def _check_may_approve(self):
        self._check_manager(self.env._("Only a quality manager can approve an analysis."))

    def _check_may_unlock(self):
        self._check_manager(self.env._("Only a quality manager can unlock an approved analysis."))

    def _action_tickets(self, tickets, name):
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("id", "in", tickets.ids)], {"default_investigation_id": self.id}, name=name
        )

    @role(CUSTOMER_SERVICE)
    def action_open_form(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.name,
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    @role(CUSTOMER_SERVICE)
    def action_view_tickets(self):
        self.ensure_one()
        return self._action_tickets(self.ticket_ids, self.env._("Complaints of %s", self.name))

    @role(CUSTOMER_SERVICE)
    def action_view_lots(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Lots of %s", self.name),
            "res_model": "stock.lot",
            "view_mode": "list,form",
            "domain": [("id", "in", self.lot_ids.ids)],
        }

    # ------------------------------------------------------------ investigation traceability

    @api.depends("lot_ids", "ticket_ids.partner_id")
    def _compute_traceability(self):
        Move = self.env["quality.complaint.lot.move"]
        Customer = self.env["quality.complaint.lot.customer"]
        lots = self.lot_ids
        moves = Move.search([("lot_id", "in", lots.ids)]) if lots else Move
        customers = Customer.search([("lot_id", "in", lots.ids)]) if lots else Customer
        for investigation in self:
            mine = moves.filtered(lambda m, inv=investigation: m.lot_id in inv.lot_ids)
            complained = investigation.ticket_ids.partner_id.commercial_partner_id
            containment = customers.filtered(
                lambda c, inv=investigation, known=complained: (
                    c.lot_id in inv.lot_ids and c.partner_id not in known and c.quantity > 0
                )
            )
            investigation.trace_move_ids = mine
            investigation.receipt_move_ids = mine.filtered(lambda m: m.kind == "receipt")
            investigation.delivery_move_ids = mine.filtered(
                lambda m: m.kind in ("delivery", "customer_return")
            )
            investigation.containment_ids = containment
            investigation.containment_count = len(containment.partner_id)

    @api.depends("lot_ids")
    def _compute_lot_balance_ids(self):
        Balance = self.env["quality.complaint.lot.balance"]
        lots = self.lot_ids
        rows = Balance.search([("lot_id", "in", lots.ids)]) if lots else Balance
        for investigation in self:
            investigation.lot_balance_ids = rows.filtered(
                lambda r, inv=investigation: r.lot_id in inv.lot_ids
            )

    @role(CUSTOMER_SERVICE)
    def action_open_containment_complaints(self):
        """Open a (draft) complaint for every customer on the containment list."""
        self.ensure_one()
        rows = self.containment_ids
        if not rows:
            raise UserError(self.env._("No other customer received the lots of %s.", self.name))
        tickets = self._create_containment_complaints(rows)
        return self._action_tickets(tickets, self.env._("Containment complaints"))

    @role(OFFICER)
    def action_notify_containment(self):
        """Open the preview of the precautionary notice to the containment list.

        One message per customer not notified yet, about the lots she received.
        Nothing is created or recorded before the preview is sent: then each
        customer gets her precautionary complaint, the notice is posted on it and
        she is marked notified (``_qc_preview_send_containment``).
        """
        template, rows = self._qc_containment_notice_check()
        Ticket = self.env["helpdesk.ticket"]
        targets = [
            (
                Ticket.new(values),
                {"customer_id": partner.id, "lot_ids": values["lot_ids"]},
            )
            for partner, values in self._qc_containment_complaint_values(rows).items()
        ]
        return self.env["quality.complaint.message.preview"]._qc_open(
            "containment", self, template, targets
        )

    def _qc_containment_notice_check(self):
        """The notice's template and the containment rows of the customers not
        notified yet; what the user may not do raises (the opening and the send)."""
        self.ensure_one()
        self.check_access("write")
        template = self.env.ref(
            "quality_complaint_investigation.mail_template_containment_notice",
            raise_if_not_found=False,
        )
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: precautionary notice' was deleted: "
                    "restore it (module update) first."
                )
            )
        rows = self.containment_ids.filtered(
            lambda r: r.partner_id not in self.containment_notified_partner_ids
        )
        if not rows:
            raise UserError(
                self.env._("Every customer on the containment list of %s was notified.", self.name)
            )
        return template, rows

    def _qc_preview_send_containment(self, preview):
        """Send the reviewed notices: each customer's precautionary complaint is
        created, the notice posted on it, then the bookkeeping."""
        preview._qc_check_opener(self, "action_notify_containment")
        _template, rows = self._qc_containment_notice_check()
        expected = self._qc_containment_complaint_values(rows)
        lines = preview.line_ids
        for line in lines:
            values = expected.get(line.customer_id)
            if values is None or set(line.lot_ids.ids) != set(values["lot_ids"][0][2]):
                raise UserError(
                    self.env._(
                        "The containment list of %s changed since the preview was opened: "
                        "open it again.",
                        self.name,
                    )
                )
        if len(lines.customer_id) != len(lines):
            raise UserError(self.env._("Each customer is notified once."))
        tickets = self._create_containment_complaints(
            rows.filtered(lambda r: r.partner_id in lines.customer_id)
        )
        for line in lines:
            ticket = tickets.filtered(lambda t, c=line.customer_id: t.partner_id == c)[:1]
            line._qc_post(ticket)
        self._qc_containment_notice_sent(tickets)

    def _qc_containment_notice_sent(self, tickets):
        """After the notice was sent on ``tickets``: note and bookkeeping."""
        self.ensure_one()
        partners = tickets.partner_id - self.containment_notified_partner_ids
        if not partners:
            return
        self._qc_write_protected(
            {"containment_notified_partner_ids": [fields.Command.link(pid) for pid in partners.ids]}
        )
        self.message_post(
            body=company_env(self.env, self.company_id)._(  # a note for everyone
                "Precautionary notice sent to: %s", ", ".join(partners.mapped("display_name"))
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _qc_containment_complaint_values(self, rows):
        """{customer: values of her precautionary complaint} for the customers of
        ``rows``: written for her (she reads it on her portal), in her language."""
        self.ensure_one()
        team = self.company_id.qc_team_id
        result = {}
        for partner in rows.partner_id:
            mine = rows.filtered(lambda r, p=partner: r.partner_id == p)
            # one complaint is about one product; its order only when a single one
            # delivered all of the lots (the complaint checks lots against it)
            product = mine.product_id[:1]
            mine = mine.filtered(lambda r, prod=product: r.product_id == prod)
            lots = mine.lot_id
            order = mine.sale_id if len(mine.sale_id) == 1 and all(mine.mapped("sale_id")) else None
            lot_names = ", ".join(lots.mapped("name"))
            env = self.with_context(lang=partner.lang or self.env.lang).env
            result[partner] = {
                "name": env._("Precautionary check: lot %s", lot_names),
                "description": env._(
                    "<p>You received %(product)s from lot %(lots)s. Other units of this lot "
                    "were reported with a defect: as a precaution, please check your units "
                    "and tell us about anything unusual.</p>",
                    product=product.with_env(env).display_name,
                    lots=lot_names,
                ),
                "is_quality_complaint": True,
                "team_id": team.id,
                "company_id": self.company_id.id,
                "partner_id": partner.id,
                "sale_order_id": order.id if order else False,
                "product_id": product.id,
                "lot_ids": [fields.Command.set(lots.ids)],
                "affected_qty": 0,
                "investigation_id": self.id,
            }
        return result

    def _create_containment_complaints(self, rows):
        """One draft complaint per customer of ``rows``, or the one already open;
        why it was opened is an internal note on it."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"]
        existing = Ticket.search(
            [
                ("investigation_id", "=", self.id),
                ("partner_id", "in", rows.partner_id.ids),
            ]
        )
        values = self._qc_containment_complaint_values(
            rows.filtered(lambda r: r.partner_id not in existing.partner_id)
        )
        created = Ticket.create(list(values.values())) if values else Ticket
        for ticket in created:
            ticket.message_post(
                body=self.env._(
                    "Precautionary complaint opened from investigation %(ref)s: this "
                    "customer received lot %(lots)s and has not complained.",
                    ref=self.name,
                    lots=", ".join(ticket.lot_ids.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return existing | created

    # ------------------------------------------------------------ investigation progress

    @role(OFFICER)
    def action_send_progress_update(self):
        """Open the preview of the progress update to the linked complaints' customers.

        A customer with several complaints in the investigation is e-mailed once
        (on the oldest one); the bookkeeping is done when the preview is sent
        (``_qc_preview_send_progress``).
        """
        template, firsts = self._qc_progress_update_check()
        return self.env["quality.complaint.message.preview"]._qc_open(
            "progress", self, template, [(ticket, {}) for ticket in firsts]
        )

    def _qc_progress_update_check(self):
        """The update's template and the complaints it is posted on; what the user
        may not do raises (the opening and the send)."""
        self.ensure_one()
        self.check_access("write")
        template = self.env.ref(
            "quality_complaint_investigation.mail_template_investigation_progress",
            raise_if_not_found=False,
        )
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: investigation progress' was "
                    "deleted: restore it (module update) before sending progress updates."
                )
            )
        firsts = self._qc_progress_first_tickets()
        if not firsts:
            raise UserError(
                self.env._(
                    "Investigation %s has no complaint with a customer to inform.", self.name
                )
            )
        return template, firsts

    def _qc_preview_send_progress(self, preview):
        """Send the reviewed progress update, then the notes and bookkeeping."""
        preview._qc_check_opener(self, "action_send_progress_update")
        _template, firsts = self._qc_progress_update_check()
        sent = self.env["helpdesk.ticket"]
        for line, ticket in preview._qc_lines_on(firsts):
            line._qc_post(ticket)
            sent |= ticket
        self._qc_progress_update_sent(sent)

    def _qc_progress_first_tickets(self):
        """The oldest complaint of each customer of the investigation."""
        firsts = self.env["helpdesk.ticket"]
        for ticket in self.ticket_ids.filtered("partner_id").sorted("id"):
            customer = ticket.partner_id.commercial_partner_id
            if customer not in firsts.partner_id.commercial_partner_id:
                firsts |= ticket
        return firsts

    def _qc_progress_update_sent(self, tickets):
        """After the update was sent on ``tickets``: notes and bookkeeping."""
        self.ensure_one()
        env = company_env(self.env, self.company_id)  # notes for everyone
        for ticket in self.ticket_ids.filtered("partner_id").sorted("id") - tickets:
            first = tickets.filtered(
                lambda t, c=ticket.partner_id.commercial_partner_id: (
                    t.partner_id.commercial_partner_id == c
                )
            )[:1]
            if first:
                ticket.message_post(
                    body=env._(
                        "Investigation progress update sent to the customer on %s.",
                        first.display_name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        self.message_post(
            body=env._(
                "Progress update sent to %(count)s customer(s): %(names)s",
                count=len(tickets),
                names=", ".join(tickets.partner_id.mapped("display_name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._qc_write_protected(
            {
                "progress_update_date": fields.Datetime.now(),
                "progress_update_count": self.progress_update_count + 1,
            }
        )

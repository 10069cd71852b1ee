"""The supplier's side of an action (SCAR): request, answer on the portal, review, reminders.

- "Send to Supplier" (quality officers, purchasing) e-mails the supplier's contact
  the template ``mail_template_supplier_request`` with the signed portal link of
  the action, in the contact's language, and starts the "supplier_answer" clock of
  the deadline mechanism (deadline.py): the company's answer days, calendar days.
- The supplier answers on the portal (controllers/supplier_portal.py): containment,
  root cause on their side, corrective action, planned date, evidence files, all
  through ``_qca_supplier_answer``; the clock is done and the reviewing buyer gets
  an activity.
- Purchasing accepts the answer or rejects it with a reason that goes back to the
  supplier, and the clock starts again.
- An overdue answer: the supplier is reminded and the purchasing manager alerted,
  once per overdue period. The escalation (``_qc_deadline_escalate``) marks the
  action; at the end of the deadline cron's run (``_qca_supplier_remind``) each
  supplier contact gets ONE e-mail listing all its overdue requests, posted on the
  oldest of them, and every late action a note saying which reminder it is in.
  Each purchasing manager has ONE activity per company listing all the overdue
  answers (``_qca_supplier_overdue_digest``), on the oldest of them, updated in
  place by the next run and whenever a listed answer comes in or its request is
  cancelled or sent back; marked done once none is overdue.
- A sent request belongs to its supplier: its supplier is not changed (cancel it
  and make a new action for the other supplier). The signed link belongs to the
  contact it was sent to: cancelling the action or re-addressing the request to
  another contact signs a new one, and the old link opens nothing any more.
"""

import uuid
from collections import defaultdict
from datetime import date

from markupsafe import Markup

from odoo import api, fields, models
from odoo.addons.quality_complaint.lang import company_env, company_envs
from odoo.addons.quality_complaint.roles import OFFICER, PURCHASE, role
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date, plaintext2html

# The request's life as the buyer follows it: not sent, sent (the supplier's
# answer is awaited), answered (the buyer reviews it), then accepted, or rejected:
# sent back to the supplier with the reason, a new answer awaited. The stored
# values are those of the first release; only the labels and order are the buyer's.
SUPPLIER_STATES = [
    ("none", "Not sent"),
    ("requested", "Sent"),
    ("answered", "Answered"),
    ("rejected", "Rejected, sent back"),
    ("accepted", "Accepted"),
]

# States in which the supplier's answer is awaited.
SUPPLIER_AWAITED = ("requested", "rejected")

SUPPLIER_ANSWER = "supplier_answer"

REQUEST_TEMPLATE = "quality_complaint_purchase.mail_template_supplier_request"

REVIEW_ACTIVITY = "quality_complaint_purchase.mail_activity_type_supplier_review"

# Action states in which a supplier may still be asked and answer.
SUPPLIER_ACTION_STATES = ("draft", "open", "reopened")

MAX_ANSWER_TEXT = 10000

MAX_EVIDENCE_FILES = 10

# Only the supplier flow's actions set these: the state, its dates and the
# supplier's own words.
SUPPLIER_PROTECTED = {
    "supplier_state",
    "supplier_request_date",
    "supplier_answer_due",
    "supplier_deadline_id",
    "supplier_containment_done",
    "supplier_containment_note",
    "supplier_root_cause",
    "supplier_corrective_action",
    "supplier_planned_date",
    "supplier_evidence_ids",
    "supplier_answer_date",
    "supplier_answered_by",
    "supplier_reject_reason",
    "supplier_reviewed_by_id",
    "supplier_review_date",
    "supplier_reminder_due",
    "supplier_reminded_date",
    "supplier_reminder_carrier_id",
}

# Who sends requests and reviews answers.
SUPPLIER_GROUPS = ("quality_complaint.group_complaint_officer", "purchase.group_purchase_user")

REJECTION_TEMPLATE = "quality_complaint_purchase.mail_template_supplier_rejection"

REMINDER_TEMPLATE = "quality_complaint_purchase.mail_template_supplier_reminder"

# The reminder of a contact with several overdue requests: one e-mail listing them.
REMINDER_DIGEST_TEMPLATE = "quality_complaint_purchase.mail_template_supplier_reminder_digest"

# The purchasing managers' digest of the overdue answers: one activity per manager
# and company, updated in place.
OVERDUE_DIGEST_ACTIVITY = "quality_complaint_purchase.mail_activity_type_supplier_overdue"


class QualityComplaintAction(models.Model):
    _inherit = "quality.complaint.action"

    supplier_contact_id = fields.Many2one(
        "res.partner",
        string="Supplier contact",
        compute="_compute_supplier_contact_id",
        store=True,
        readonly=False,
        tracking=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="Who receives the request at the supplier: by default its first contact "
        "with an e-mail, else the supplier itself.",
    )
    supplier_state = fields.Selection(
        SUPPLIER_STATES,
        string="Supplier answer",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    supplier_next_step = fields.Char(
        string="Next step with the supplier",
        compute="_compute_supplier_next_step",
        help="Who acts next on the request, and what: the buyer or the supplier.",
    )
    supplier_problem = fields.Text(
        string="Problem told to the supplier",
        tracking=True,
        help="What the supplier reads of the problem, in the request and on its portal "
        "page: written for the supplier (the defect seen on its parts). The description, "
        "the root cause and the investigation stay internal; the supplier's lots and our "
        "purchase orders are named for it.",
    )
    # Internal texts: our instructions and our root-cause analysis are not the
    # supplier's to read (a portal supplier reads its requests over RPC too).
    description = fields.Html(groups="base.group_user")
    root_cause = fields.Text(groups="base.group_user")
    supplier_request_date = fields.Datetime(string="Request sent on", readonly=True, copy=False)
    supplier_deadline_id = fields.Many2one(
        "quality.complaint.deadline",
        string="Supplier answer clock",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    supplier_answer_due = fields.Date(
        string="Answer due on",
        readonly=True,
        copy=False,
        help="The supplier's answer is due by this day: the company's answer days from "
        "the request (or from the last rejection).",
    )
    supplier_answer_late = fields.Boolean(
        string="Answer overdue", compute="_compute_supplier_answer_late"
    )
    supplier_containment_done = fields.Boolean(
        string="Containment done by the supplier", readonly=True, copy=False
    )
    supplier_containment_note = fields.Text(
        string="Supplier's containment", readonly=True, copy=False
    )
    supplier_root_cause = fields.Text(
        string="Root cause at the supplier", readonly=True, copy=False
    )
    supplier_corrective_action = fields.Text(
        string="Supplier's corrective action", readonly=True, copy=False
    )
    supplier_planned_date = fields.Date(
        string="Planned by the supplier for", readonly=True, copy=False
    )
    supplier_evidence_ids = fields.Many2many(
        "ir.attachment",
        "quality_complaint_action_supplier_evidence_rel",
        "action_id",
        "attachment_id",
        string="Supplier's evidence",
        readonly=True,
        copy=False,
    )
    supplier_answer_date = fields.Datetime(string="Answered on", readonly=True, copy=False)
    supplier_answered_by = fields.Many2one(
        "res.partner", string="Answered by", readonly=True, copy=False
    )
    supplier_reject_reason = fields.Text(
        string="Reason of the last rejection", readonly=True, copy=False
    )
    supplier_reviewed_by_id = fields.Many2one(
        "res.users", string="Reviewed by", readonly=True, copy=False
    )
    supplier_review_date = fields.Datetime(string="Reviewed on", readonly=True, copy=False)
    supplier_reminder_due = fields.Boolean(
        string="Supplier reminder queued",
        readonly=True,
        copy=False,
        help="The answer went overdue: the deadline cron reminds the supplier's contact "
        "(one e-mail for all its overdue requests) and alerts purchasing at the end of "
        "its run.",
    )

    supplier_reminded_date = fields.Datetime(
        string="Reminded on",
        readonly=True,
        copy=False,
        help="When the deadline cron last reminded the supplier's contact of this overdue answer.",
    )
    supplier_reminder_carrier_id = fields.Many2one(
        "quality.complaint.action",
        string="Reminder e-mail on",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The contact's overdue requests are reminded in one e-mail, posted in the "
        "chatter of its oldest one: this action's reminder is there. Empty when the "
        "e-mail is in this action's own chatter.",
    )

    _supplier_reminder_due_idx = models.Index("(id) WHERE supplier_reminder_due IS TRUE")

    @api.constrains("supplier_contact_id", "partner_id")
    def _check_supplier_contact(self):
        for action in self:
            contact = action.supplier_contact_id
            if contact and contact.commercial_partner_id != action.partner_id:
                raise ValidationError(
                    self.env._(
                        "%(contact)s does not work for the supplier %(supplier)s of %(ref)s: "
                        "choose one of the supplier's contacts.",
                        contact=contact.display_name,
                        supplier=action.partner_id.display_name or "-",
                        ref=action.name,
                    )
                )

    # ------------------------------------------------------------ computes
    def _compute_access_url(self):
        # The supplier's portal page of the action (no other URL to keep from super()).
        for action in self:
            action.access_url = f"/my/supplier-actions/{action.id}"

    @api.depends("partner_id")
    def _compute_supplier_contact_id(self):
        for action in self:
            supplier = action.partner_id
            if action.supplier_contact_id.commercial_partner_id == supplier and supplier:
                continue
            contacts = supplier.child_ids.filtered(lambda c: c.email and not c.is_company)
            action.supplier_contact_id = contacts[:1] or supplier

    @api.depends("supplier_state", "supplier_answer_due")
    def _compute_supplier_answer_late(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.supplier_answer_late = bool(
                action.supplier_state in SUPPLIER_AWAITED
                and action.supplier_answer_due
                and action.supplier_answer_due < today
            )

    @api.depends(
        "supplier_state",
        "supplier_answer_due",
        "supplier_answer_date",
        "supplier_contact_id",
        "partner_id",
        "state",
    )
    def _compute_supplier_next_step(self):
        today = fields.Date.context_today(self)
        states = dict(self._fields["state"]._description_selection(self.env))
        for action in self:
            supplier, person = action.partner_id, action.supplier_contact_id
            contact = (
                self.env._(
                    "%(contact)s (%(supplier)s)", contact=person.name, supplier=supplier.name
                )
                if person and person != supplier
                else supplier.name
            )
            due = (
                format_date(self.env, action.supplier_answer_due)
                if action.supplier_answer_due
                else ""
            )
            supplier_state = action.supplier_state
            step = False
            if not action.partner_id:
                step = False
            elif action.state not in SUPPLIER_ACTION_STATES and supplier_state in (
                "none",
                *SUPPLIER_AWAITED,
            ):
                step = self.env._(
                    "The action is %(state)s: no request is sent and no answer awaited.",
                    state=states[action.state],
                )
            elif supplier_state == "none":
                step = self.env._(
                    "Next: send the request to %(contact)s (Send to Supplier).", contact=contact
                )
            elif supplier_state in SUPPLIER_AWAITED and (
                action.supplier_answer_due and action.supplier_answer_due < today
            ):
                step = self.env._(
                    "The answer of %(contact)s was due on %(date)s and is overdue: the supplier is "
                    "reminded and the purchasing manager alerted; follow it up with the supplier.",
                    contact=contact,
                    date=due,
                )
            elif supplier_state == "requested":
                step = self.env._(
                    "Sent: waiting for the answer of %(contact)s, due on %(date)s.",
                    contact=contact,
                    date=due,
                )
            elif supplier_state == "rejected":
                step = self.env._(
                    "Rejected and sent back to %(contact)s with the reason: a new answer is "
                    "due on %(date)s.",
                    contact=contact,
                    date=due,
                )
            elif supplier_state == "answered":
                step = self.env._(
                    "Answered on %(date)s: review the answer, then accept it or reject it "
                    "with a reason (it goes back to the supplier).",
                    date=format_date(self.env, action.supplier_answer_date),
                )
            elif supplier_state == "accepted":
                step = self.env._("Accepted: nothing more is awaited from the supplier.")
            action.supplier_next_step = step

    # ------------------------------------------------------------ hooks
    def _qc_protected(self):
        return super()._qc_protected() | SUPPLIER_PROTECTED

    def _qca_done_gaps(self):
        gaps = super()._qca_done_gaps()
        if self.supplier_state in ("requested", "answered", "rejected"):
            gaps.append(self.env._("the supplier's answer is not accepted yet"))
        return gaps

    def _qca_on_cancel(self):
        """A cancelled action waits for no answer: its clock stops being watched, and
        the link sent to the supplier opens nothing any more."""
        clocks = self.sudo().supplier_deadline_id.filtered(lambda c: not c.done_date)
        if clocks:
            clocks._freeze(True, fields.Datetime.now())
        self.filtered(lambda a: a.supplier_state != "none")._qca_supplier_new_link()
        return super()._qca_on_cancel()

    def _qca_check_vals(self, vals_list, creating=False):
        """The supplier of a sent request is not changed: the request, its answer and
        its link are that supplier's."""
        super()._qca_check_vals(vals_list, creating=creating)
        if creating:
            return
        for vals in vals_list:
            if "partner_id" not in vals:
                continue
            supplier = self.env["res.partner"].browse(vals["partner_id"]).commercial_partner_id
            sent = self.filtered(
                lambda a, s=supplier: a.supplier_state != "none" and a.partner_id != s
            )
            if sent:
                raise UserError(
                    self.env._(
                        "The request of %(ref)s was sent to %(supplier)s: its supplier cannot "
                        "be changed. Cancel this action and create a new one for the other "
                        "supplier (Duplicate keeps its content).",
                        ref=sent[0].name,
                        supplier=sent[0].partner_id.display_name,
                    )
                )

    def write(self, vals):
        """Re-addressing a sent request to another contact: the new contact gets it
        with a new link, the old link and the old contact are out."""
        readdressed = self.browse()
        if "supplier_contact_id" in vals:
            contact = self.env["res.partner"].browse(vals["supplier_contact_id"])
            readdressed = self.filtered(
                lambda a: a.supplier_state != "none" and a.supplier_contact_id != contact
            )
            if readdressed:
                readdressed._qca_check_readdress(contact)
        previous = {action.id: action.supplier_contact_id for action in readdressed}
        result = super().write(vals)
        if readdressed:
            readdressed._qca_supplier_readdressed(previous)
        return result

    # ------------------------------------------------------------ rights
    def _qca_check_supplier_user(self):
        """Quality officers and purchasing send requests and review answers.

        Purchasing reads the supplier actions (record rule) and writes none of
        their fields itself: once the user is checked, the supplier's side of the
        actions is written through the returned sudo'd records (the messages
        keep the user as their author)."""
        user = self.env.user
        if not self.env.su and not any(user.has_group(group) for group in SUPPLIER_GROUPS):
            raise AccessError(
                self.env._(
                    "Only quality officers and purchasing send corrective action requests "
                    "to suppliers and review their answers."
                )
            )
        self.check_access("read")
        return self.sudo()

    def _qca_lock_supplier_side(self, for_supplier=False):
        """One at a time on a request: the supplier's answer, purchasing's review, a
        new request. The other one is told at once, nothing of theirs is written
        over, and the state is checked afresh after the lock."""

        def message():
            refs = ", ".join(self.sudo().mapped("name"))
            return (
                self.env._(
                    "An answer to %(ref)s is being recorded at this moment, or was just "
                    "received, or the request is being reviewed. Reload the page to see "
                    "whether an answer is still awaited; nothing of yours was saved.",
                    ref=refs,
                )
                if for_supplier
                else self.env._(
                    "%(ref)s: the supplier is answering, or someone else is sending or "
                    "reviewing the request, at this moment (or just did). Reload the page "
                    "to see the answer and its state.",
                    ref=refs,
                )
            )

        self._qc_lock_for_action(message)

    def _qca_check_supplier_state(self, allowed, message):
        wrong = self.filtered(lambda a: a.supplier_state not in allowed)
        if wrong:
            raise UserError(message % {"ref": wrong[0].name})

    def _qca_check_readdress(self, contact):
        self._qca_check_supplier_user()
        if not contact:
            raise UserError(
                self.env._(
                    "The request of %(ref)s was sent: it keeps a supplier contact. Choose "
                    "another contact of %(supplier)s instead of none.",
                    ref=self[0].name,
                    supplier=self[0].partner_id.display_name,
                )
            )
        if not contact.email:
            raise UserError(
                self.env._(
                    "%(contact)s has no e-mail address: the request of %(ref)s cannot be "
                    "sent to this contact.",
                    contact=contact.display_name,
                    ref=self[0].name,
                )
            )

    def _qca_supplier_readdressed(self, previous):
        """After the contact of sent requests changed (``previous``: {id: old contact}):
        a new link, the old contact no longer follows, and a request still awaiting
        its answer is sent to the new contact."""
        self._qca_supplier_new_link()
        envs = company_envs(self.env, self)  # notes for everyone
        for action in self:
            old = previous[action.id]
            if old:
                action.message_unsubscribe(partner_ids=old.ids)
            action.message_subscribe(partner_ids=action.supplier_contact_id.ids)
            action._message_log(
                body=envs[action.company_id]._(
                    "Request re-addressed from %(old)s to %(new)s: the link sent to %(old)s "
                    "no longer opens it.",
                    old=old.display_name or "-",
                    new=action.supplier_contact_id.display_name,
                )
            )
        awaited = self.filtered(
            lambda a: a.supplier_state in SUPPLIER_AWAITED and a.state in SUPPLIER_ACTION_STATES
        )
        if awaited:
            awaited._qca_supplier_post(self._qca_template(REQUEST_TEMPLATE))

    def _qca_supplier_new_link(self):
        """Sign the actions' portal link anew: the links sent before open nothing."""
        for action in self:
            action.sudo().write({"access_token": str(uuid.uuid4())})

    # ------------------------------------------------------------ request
    def _qca_supplier_portal_url(self):
        """The signed link to the action on the supplier portal, for e-mails."""
        self.ensure_one()
        return self.get_base_url() + self._get_share_url()

    def _qca_supplier_scope(self):
        """What the supplier is told of the problem, whoever sends the e-mail
        (purchasing does not read lots) and in the reader's language: the problem
        written for it, the products, its own lots (the action's lots it delivered
        to us) and our purchase orders from it. Plain values, for the request's
        templates and the portal page.

        ``lot_lines``: [{lot, product, received, orders}] of the supplier's lots;
        ``order_lines``: [{name, partner_ref, date}] of our orders (those the action
        names from this supplier, and those its lots came on); ``lots``,
        ``orders`` and ``products``: the same, as one line of text."""
        self.ensure_one()
        action = self.sudo()
        supplier = action.partner_id.commercial_partner_id
        received = action._qca_supplier_receipts()
        orders = action.purchase_order_ids.filtered(
            lambda o: o.partner_id.commercial_partner_id == supplier and o.state != "cancel"
        )
        for lines in received.values():
            orders |= lines.move_id.purchase_line_id.order_id.filtered(
                lambda o: o.state != "cancel"
            )
        orders = orders.sorted(lambda o: (o.date_order or fields.Datetime.now(), o.id))
        lot_lines = []
        for lot, lines in received.items():
            lot_orders = lines.move_id.purchase_line_id.order_id.filtered(
                lambda o: o.state != "cancel"
            )
            dates = [line.date for line in lines if line.date]
            lot_lines.append(
                {
                    "lot": lot.name,
                    "product": lot.product_id.display_name,
                    "received": format_date(self.env, min(dates)) if dates else "",
                    "orders": ", ".join((orders & lot_orders).mapped("name")),
                }
            )
        order_lines = [
            {
                "name": order.name,
                "partner_ref": order.partner_ref or "",
                "date": format_date(self.env, order.date_approve or order.date_order),
            }
            for order in orders
        ]
        return {
            "problem": action.supplier_problem or "",
            "products": ", ".join(action.product_ids.mapped("display_name")),
            "lots": ", ".join(line["lot"] for line in lot_lines),
            "lot_lines": lot_lines,
            "orders": ", ".join(
                self.env._(
                    "%(order)s (your reference %(ref)s)", order=o["name"], ref=o["partner_ref"]
                )
                if o["partner_ref"]
                else o["name"]
                for o in order_lines
            ),
            "order_lines": order_lines,
        }

    def _qca_supplier_receipts(self):
        """{lot: its done move lines received from the action's supplier}, for the
        action's lots the supplier delivered: a receipt from a vendor location whose
        purchase order, or else transfer, is the supplier's. The other lots (ours,
        another vendor's) are not the supplier's to hear of."""
        self.ensure_one()
        action = self.sudo()
        supplier = action.partner_id.commercial_partner_id
        if not supplier or not action.lot_ids:
            return {}
        lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", action.lot_ids.ids),
                    ("state", "=", "done"),
                    ("location_id.usage", "=", "supplier"),
                ],
                order="date, id",
            )
        )
        received = {}
        for line in lines:
            vendor = (
                line.move_id.purchase_line_id.order_id.partner_id or line.picking_id.partner_id
            ).commercial_partner_id
            if vendor == supplier:
                received.setdefault(line.lot_id, line.browse())
                received[line.lot_id] |= line
        return received

    @role(PURCHASE, OFFICER)
    def action_send_supplier_request(self):
        """E-mail the supplier's contact the request, with the portal link, and start
        the answer clock; again after a rejection."""
        actions, template = self._qca_send_request_check()
        actions._qca_request_sent()
        actions._qca_supplier_post(template)
        return True

    @role(PURCHASE, OFFICER)
    def action_preview_supplier_request(self):
        """Open the preview of the request ("Send to Supplier"), as the supplier will
        read it (its answer due date, its portal link); sending it does what
        ``action_send_supplier_request`` does (``_qc_preview_send_supplier_request``)."""
        actions, template = self._qca_send_request_check()
        for action in actions:
            action._portal_ensure_token()
        return self.env["quality.complaint.message.preview"]._qc_open(
            "supplier_request",
            self,
            template,
            [(action, {}) for action in self],
            prepare=lambda _records: actions._qca_request_sent(),
        )

    def _qc_preview_send_supplier_request(self, preview):
        preview._qc_check_opener(self, "action_preview_supplier_request")
        actions, _template = self._qca_send_request_check()
        pairs = preview._qc_lines_on(actions)
        actions.browse([action.id for _line, action in pairs])._qca_request_sent()
        for line, action in pairs:
            line._qc_post(action)

    def _qca_send_request_check(self):
        """The actions (as superuser, the user checked) and the request's template;
        what the user may not do raises."""
        actions = self._qca_check_supplier_user()
        self._qca_lock_supplier_side()
        self._qca_check_supplier_state(
            ("none", "rejected"),
            self.env._(
                "The request of %(ref)s was already sent: the supplier is reminded "
                "automatically when its answer is late."
            ),
        )
        for action in self:
            if action.state not in SUPPLIER_ACTION_STATES:
                raise UserError(
                    self.env._(
                        "%(ref)s is %(state)s: no request is sent to the supplier any more.",
                        ref=action.name,
                        state=dict(action._fields["state"]._description_selection(self.env))[
                            action.state
                        ],
                    )
                )
            if not action.partner_id:
                raise UserError(
                    self.env._(
                        "Set the supplier of %(ref)s before sending it the request.",
                        ref=action.name,
                    )
                )
            if not action.supplier_contact_id.email:
                raise UserError(
                    self.env._(
                        "The supplier contact of %(ref)s has no e-mail address: choose a "
                        "contact of %(supplier)s with an e-mail, or add one.",
                        ref=action.name,
                        supplier=action.partner_id.display_name,
                    )
                )
        template = self._qca_template(REQUEST_TEMPLATE)
        return actions, template

    def _qca_request_sent(self):
        """The request goes out: its state, the answer clock, the portal link, the
        supplier's contact follows the action."""
        actions = self
        now = fields.Datetime.now()
        actions.write({"supplier_state": "requested", "supplier_request_date": now})
        actions._qca_supplier_start_clock()
        for action in actions:
            action._portal_ensure_token()
            action.message_subscribe(partner_ids=action.supplier_contact_id.ids)

    def _qca_template(self, xmlid):
        template = self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            raise UserError(
                self.env._(
                    "The mail template %(template)s was deleted: restore it (update the "
                    "Quality Complaints module).",
                    template=xmlid,
                )
            )
        return template

    def _qca_supplier_post(self, template, in_batch=False):
        """Post ``template`` to the supplier's contact of each action (their language).

        ``in_batch`` (the reminder cron): subjects and bodies are rendered for all
        the actions at once, and Odoo's scheduled-notification cron lays out and
        sends the e-mails a second later, instead of one composer per action.
        """
        poster = self.with_context(mail_post_autofollow_author_skip=True)
        if not in_batch:
            for action in poster:
                action.message_post_with_source(
                    template, message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            return
        template._qc_post_rendered(
            poster, lambda action, _rendered: {"author_id": action.company_id.partner_id.id}
        )

    def _qca_supplier_start_clock(self):
        """(Re)start the answer clock: the company's answer days from now."""
        now = fields.Datetime.now()
        values = {}
        for action in self:
            company = action.company_id
            values[action.id] = self._qc_fresh_clock(
                company, now, company.qc_supplier_answer_days, "days"
            )
        clocks = self._qc_deadline_plan(SUPPLIER_ANSWER, values)
        for action, clock in zip(self, clocks, strict=True):
            action.sudo().write(
                {
                    "supplier_deadline_id": clock.id,
                    "supplier_answer_due": fields.Date.context_today(action, clock.deadline),
                }
            )

    # ------------------------------------------------------------ answer
    def _qca_supplier_answerer(self):
        """Who is answering: the current user's contact; in a public session (the
        signed link, checked by the portal) the contact the link was sent to."""
        self.ensure_one()
        user = self.env.user
        if user._is_public():
            return self.supplier_contact_id
        return user.partner_id

    def _qca_supplier_answer(self, values):
        """Record the supplier's answer, given by the current user on the portal
        (``_qca_supplier_answerer``).

        ``values``: containment_done, containment_note, root_cause,
        corrective_action, planned_date ("YYYY-MM-DD"), evidence [(name, bytes)].
        Called as superuser by the portal once it has checked the access; refuses
        (and changes nothing) when the answerer is not of the action's supplier (the
        superuser is nobody's supplier), no answer is awaited, or the answer is
        incomplete."""
        self.ensure_one()
        partner = self._qca_supplier_answerer()
        if not partner or partner.commercial_partner_id != self.partner_id:
            raise AccessError(
                self.env._(
                    "This corrective action request is not addressed to your company: "
                    "you cannot answer it."
                )
            )
        self._qca_lock_supplier_side(for_supplier=True)
        answer = self._qca_supplier_check_answer(values)
        now = fields.Datetime.now()
        self.sudo().write(
            {
                **answer,
                "supplier_state": "answered",
                "supplier_answer_date": now,
                "supplier_answered_by": partner.id,
                "supplier_reviewed_by_id": False,
                "supplier_review_date": False,
            }
        )
        message = self.sudo()._qca_supplier_log_answer(partner, values.get("evidence") or [])
        if message.attachment_ids:
            evidence = [(4, attachment.id) for attachment in message.attachment_ids]
            self.sudo().write({"supplier_evidence_ids": evidence})
        clocks = self.sudo().supplier_deadline_id.filtered(lambda c: not c.done_date)
        if clocks:
            user = self.env.user
            clocks._mark_done(now, partner.user_ids[:1] if user._is_public() else user)
        self.sudo()._qca_supplier_schedule_review()
        return True

    def _qca_supplier_check_answer(self, values):
        """The answer's field values, or a UserError saying what is wrong."""
        if self.supplier_state not in SUPPLIER_AWAITED or self.state not in SUPPLIER_ACTION_STATES:
            raise UserError(
                self.env._(
                    "No answer is awaited on %(ref)s now: your answer was already received.",
                    ref=self.name,
                )
                if self.supplier_state in ("answered", "accepted")
                else self.env._("No answer is awaited on %(ref)s.", ref=self.name)
            )

        def text(key):
            return (values.get(key) or "").strip()[:MAX_ANSWER_TEXT]

        root_cause, corrective = text("root_cause"), text("corrective_action")
        missing = []
        if not root_cause:
            missing.append(self.env._("the root cause on your side"))
        if not corrective:
            missing.append(self.env._("the corrective action"))
        if missing:
            raise UserError(
                self.env._("Please give %(items)s.", items=self.env._(" and ").join(missing))
            )
        planned = values.get("planned_date") or False
        if planned:
            try:
                planned = fields.Date.to_date(planned)
            except ValueError:
                raise UserError(
                    self.env._("The planned date %(date)s is not a date.", date=planned)
                ) from None
            if planned < fields.Date.context_today(self):
                raise UserError(
                    self.env._(
                        "The planned date %(date)s is in the past: give the date by which "
                        "the corrective action will be in place (today or later).",
                        date=planned.strftime("%Y-%m-%d"),
                    )
                )
        if len(values.get("evidence") or []) > MAX_EVIDENCE_FILES:
            raise UserError(
                self.env._("Send at most %(count)s files at once.", count=MAX_EVIDENCE_FILES)
            )
        return {
            "supplier_containment_done": bool(values.get("containment_done")),
            "supplier_containment_note": text("containment_note") or False,
            "supplier_root_cause": root_cause,
            "supplier_corrective_action": corrective,
            "supplier_planned_date": planned,
        }

    def _qca_supplier_log_answer(self, partner, files):
        self.ensure_one()
        env = company_env(self.env, self.company_id)  # a note for everyone
        lines = [
            env._("The supplier answered the corrective action request."),
            env._("Root cause: %(text)s", text=self.supplier_root_cause),
            env._("Corrective action: %(text)s", text=self.supplier_corrective_action),
        ]
        if self.supplier_planned_date:
            lines.append(
                env._("Planned for: %(date)s", date=self.supplier_planned_date.strftime("%Y-%m-%d"))
            )
        lines.append(
            env._("Containment done: %(text)s", text=self.supplier_containment_note or "")
            if self.supplier_containment_done
            else env._("Containment: not done")
        )
        # The supplier's files are never served as web pages (HTML, SVG: plain text).
        poster = self.with_context(mail_create_nosubscribe=True, attachments_mime_plainxml=True)
        return poster.message_post(
            body=plaintext2html("\n".join(lines)),
            author_id=partner.id,
            attachments=list(files),
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # ------------------------------------------------------------ people
    def _qca_purchase_managers(self):
        """Who hears of an overdue answer: the company's purchasing manager, else
        the purchase managers of the company."""
        self.ensure_one()
        return self._qca_purchase_managers_of(self.company_id)

    @api.model
    def _qca_purchase_managers_of(self, company):
        """The purchasing manager of ``company``, else its purchase managers."""
        if company.qc_purchase_manager_id.active:
            return company.qc_purchase_manager_id
        group = self.env.ref("purchase.group_purchase_manager")
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    ("all_group_ids", "in", group.id),
                    ("company_ids", "in", company.id),
                    ("share", "=", False),
                ],
                order="id",
            )
        )

    def _qca_supplier_reviewer(self):
        """The buyer who reviews the answer: the action's owner, else the purchasing
        manager."""
        self.ensure_one()
        owner = self.user_id
        if owner.active and not owner.share:
            return owner
        return self._qca_purchase_managers()[:1]

    # ------------------------------------------------------------ review
    def _qca_supplier_schedule_review(self):
        today = fields.Date.context_today(self)
        plans = []
        for action in self:
            reviewer = action._qca_supplier_reviewer()
            if reviewer:
                plans.append(
                    (
                        action,
                        {
                            "user_id": reviewer.id,
                            "date_deadline": today,
                            "summary": self.with_context(lang=reviewer.lang).env._(
                                "Review the supplier's answer"
                            ),
                        },
                    )
                )
        self._qc_schedule_activities(REVIEW_ACTIVITY, plans)

    def _qca_supplier_close_review(self, feedback):
        self._qc_close_activities_of(REVIEW_ACTIVITY, feedback)

    def _qca_check_reviewable(self):
        """Checked reviewer and state; returns the actions to write (sudo'd)."""
        actions = self._qca_check_supplier_user()
        self._qca_lock_supplier_side()
        self._qca_check_supplier_state(
            ("answered",),
            self.env._("%(ref)s has no supplier answer to review."),
        )
        return actions

    @role(PURCHASE, OFFICER)
    def action_accept_supplier_answer(self):
        """Purchasing accepts the supplier's root cause and corrective action."""
        actions = self._qca_check_reviewable()
        actions.write(
            {
                "supplier_state": "accepted",
                "supplier_reviewed_by_id": self.env.user.id,
                "supplier_review_date": fields.Datetime.now(),
            }
        )
        actions._qca_supplier_close_review(self.env._("Supplier's answer accepted."))
        envs = company_envs(self.env, actions)  # notes for everyone
        actions._message_log_batch(
            {
                action.id: envs[action.company_id]._("The supplier's answer is accepted.")
                for action in actions
            }
        )
        return True

    @role(PURCHASE, OFFICER)
    def action_reject_supplier_answer(self):
        """Ask for the reason of the rejection (wizard)."""
        self.ensure_one()
        self._qca_check_reviewable()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reject the Supplier's Answer"),
            "res_model": "quality.complaint.supplier.reject.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_action_id": self.id},
        }

    def _qca_supplier_reject(self, reason):
        """Send the answer back to the supplier with ``reason``; a new answer is due
        within the company's answer days."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(
                self.env._("Say why the answer is rejected: the supplier receives the reason.")
            )
        actions = self._qca_check_reviewable()
        template = self._qca_template(REJECTION_TEMPLATE)
        actions.write(
            {
                "supplier_state": "rejected",
                "supplier_reject_reason": reason,
                "supplier_reviewed_by_id": self.env.user.id,
                "supplier_review_date": fields.Datetime.now(),
            }
        )
        actions._qca_supplier_start_clock()
        actions._qca_supplier_close_review(self.env._("Supplier's answer rejected: %s", reason))
        actions._qca_supplier_post(template)
        return True

    # ------------------------------------------------------------ reminders
    def _qc_deadline_escalate(self, kind, clocks):
        """Overdue answers are queued: the deadline cron reminds each supplier
        contact once at the end of its run (``_qc_deadline_run_done``), whatever
        batches the run's clocks came in."""
        if kind != SUPPLIER_ANSWER:
            return super()._qc_deadline_escalate(kind, clocks)
        late = self.filtered(
            lambda a: a.supplier_state in SUPPLIER_AWAITED and a.state in SUPPLIER_ACTION_STATES
        )
        if late:
            late.sudo().write({"supplier_reminder_due": True})
        return None

    @api.model
    def _qc_deadline_run_done(self, events):
        if (SUPPLIER_ANSWER, "escalate") in events:
            self._qca_supplier_remind()
        return super()._qc_deadline_run_done(events)

    @api.model
    def _qca_supplier_remind(self):
        """Remind the suppliers of the queued overdue answers and alert purchasing.

        One e-mail per supplier contact (and company) listing all its overdue
        requests, in the contact's language: the reminder template for a single
        request, the digest template for several, posted on the contact's oldest
        overdue action. Each late action is listed in the purchasing managers'
        digest activity and records when it was reminded and on which action the
        e-mail is. The queue is emptied: a second run sends nothing."""
        actions = self.sudo()
        # Archived actions too, but only for this search (not the managers' one).
        queued = actions.browse(
            actions.with_context(active_test=False)
            .search([("supplier_reminder_due", "=", True)], order="id")
            .ids
        )
        if not queued:
            return
        late = queued.filtered(
            lambda a: a.supplier_state in SUPPLIER_AWAITED and a.state in SUPPLIER_ACTION_STATES
        )
        by_contact = {}
        for action in late.filtered(lambda a: a.supplier_contact_id.email).sorted(
            lambda a: (a.supplier_answer_due or date.max, a.id)
        ):
            by_contact.setdefault((action.supplier_contact_id, action.company_id), []).append(
                action.id
            )
        templates = {
            single: self.env.ref(xmlid, raise_if_not_found=False)
            for single, xmlid in ((True, REMINDER_TEMPLATE), (False, REMINDER_DIGEST_TEMPLATE))
        }
        late.browse([i for ids in by_contact.values() for i in ids])._qca_supplier_sign_links()
        carriers = {}
        for ids in by_contact.values():
            template = templates[len(ids) == 1]
            if template and template.active:
                carriers.setdefault(template, []).append(ids[0])
        for template, ids in carriers.items():
            late.browse(ids)._qca_supplier_post(template, in_batch=True)
        reminded = {
            key: late.browse(ids)
            for key, ids in by_contact.items()
            if any(ids[0] in carried for carried in carriers.values())
        }
        late._qca_supplier_alert_managers(reminded)
        queued.write({"supplier_reminder_due": False})

    def _qca_supplier_sign_links(self):
        """Sign the portal links of the actions that have none yet, in one query:
        a reminder lists many requests, and signing them one by one while its
        body is rendered would cost a write each."""
        missing = self.filtered(lambda a: not a.access_token)
        if not missing:
            return
        missing.flush_recordset(["access_token"])
        self.env.execute_query(
            SQL(
                "UPDATE quality_complaint_action SET access_token = gen_random_uuid()::text"
                " WHERE id IN %s AND access_token IS NULL",
                tuple(missing.ids),
            )
        )
        missing.invalidate_recordset(["access_token"])

    def _qca_supplier_reminder_requests(self):
        """The requests the reminder to the action's contact lists: its queued
        overdue requests of the same company, oldest due first (the action itself
        when none is queued: a preview of the template)."""
        self.ensure_one()
        requests = self.browse(
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("supplier_reminder_due", "=", True),
                    ("supplier_contact_id", "=", self.supplier_contact_id.id),
                    ("company_id", "=", self.company_id.id),
                    ("supplier_state", "in", SUPPLIER_AWAITED),
                    ("state", "in", SUPPLIER_ACTION_STATES),
                ],
                order="supplier_answer_due, id",
            )
            .ids
        )
        return requests or self

    def _qca_supplier_alert_managers(self, reminded=None):
        """The purchasing managers' digest; on each late action, what was done.

        ``reminded``: {(contact, company): the actions its reminder lists, the
        first one carrying the e-mail}. A reminded action records when and in
        which action's chatter its reminder e-mail is (two writes per contact,
        whatever its number of requests: a backlog of a thousand overdue answers
        costs no thousand chatter posts); an action whose contact could not be
        reminded (no e-mail, the template archived) gets a note saying so and
        who is alerted, for somebody to follow it up by hand. The managers are
        looked up once per company."""
        reminded = reminded or {}
        now = fields.Datetime.now()
        for actions in reminded.values():
            carrier = actions[:1]
            carrier.write({"supplier_reminded_date": now, "supplier_reminder_carrier_id": False})
            (actions - carrier).write(
                {"supplier_reminded_date": now, "supplier_reminder_carrier_id": carrier.id}
            )
        listed = {action.id for actions in reminded.values() for action in actions}
        unreminded = self.filtered(lambda a: a.id not in listed)
        managers_of = {
            company: self._qca_purchase_managers_of(company) for company in unreminded.company_id
        }
        notes = {}
        note_envs = company_envs(self.env, unreminded)
        for action in unreminded:
            managers = managers_of[action.company_id]
            due = (
                action.supplier_answer_due.strftime("%Y-%m-%d")
                if action.supplier_answer_due
                else ""
            )
            contact = action.supplier_contact_id
            note_env = note_envs[action.company_id]  # a note for everyone
            if not contact.email:
                told_contact = note_env._("the supplier contact has no e-mail and is not reminded")
            else:
                told_contact = note_env._(
                    "%(contact)s is not reminded: the reminder's mail template is archived "
                    "or deleted",
                    contact=contact.display_name,
                )
            told = (
                note_env._("%(people)s alerted", people=", ".join(managers.mapped("name")))
                if managers
                else note_env._("nobody is alerted: set a purchasing manager in the settings")
            )
            notes[action.id] = note_env._(
                "The supplier's answer was due on %(date)s and is overdue: %(reminded)s, %(told)s.",
                date=due,
                reminded=told_contact,
                told=told,
            )
        if notes:
            unreminded._message_log_batch(notes)
        self._qca_supplier_overdue_digest()

    def _qc_deadline_escalation_over(self, kind, clocks):
        if kind == SUPPLIER_ANSWER:
            # Rewritten by its cron, soon: suppliers answering at once never wait
            # on the one digest activity of their customer's purchasing manager.
            self.env.ref("quality_complaint_purchase.ir_cron_supplier_digest").sudo()._trigger()
        return super()._qc_deadline_escalation_over(kind, clocks)

    @api.model
    def _qca_supplier_overdue_digest(self, companies=None):
        """Bring the purchasing managers' digests of ``companies`` (default: all)
        up to date: ONE activity per manager and company listing every overdue
        answer (escalated, still awaited), oldest due first, in the manager's
        language; marked done when none is overdue. Its cost does not grow with
        the number of late actions: a few queries, one write or create per
        manager."""
        clocks = self._qc_escalated_clocks(SUPPLIER_ANSWER, companies)
        late = (
            self.sudo()
            .browse(clocks.mapped("res_id"))
            .exists()
            .filtered(
                lambda a: (
                    a.active
                    and a.supplier_state in SUPPLIER_AWAITED
                    and a.state in SUPPLIER_ACTION_STATES
                )
            )
            .sorted(lambda a: (a.supplier_answer_due or date.max, a.id))
        )
        by_company = defaultdict(late.browse)
        for action in late:
            by_company[action.company_id] |= action
        digests = {
            (company, manager): actions
            for company, actions in by_company.items()
            for manager in self._qca_purchase_managers_of(company)
        }
        self._qc_digest_activities(
            OVERDUE_DIGEST_ACTIVITY,
            companies,
            digests,
            self._qca_supplier_overdue_texts,
            lambda env: env._("No supplier answer is overdue any more."),
        )

    @api.model
    def _qca_supplier_overdue_texts(self, env, actions):
        """(summary, note) of a purchasing manager's digest, in ``env``'s language."""
        today = fields.Date.context_today(self)
        items = Markup("").join(
            Markup('<li><a href="/odoo/%s/%s">%s</a>: %s</li>')
            % (
                action._name,
                action.id,
                action.name,
                env._(
                    "%(supplier)s, due on %(date)s, %(days)s days late",
                    supplier=action.partner_id.display_name,
                    date=action.supplier_answer_due.strftime("%Y-%m-%d")
                    if action.supplier_answer_due
                    else "",
                    days=(today - action.supplier_answer_due).days
                    if action.supplier_answer_due
                    else 0,
                ),
            )
            for action in actions
        )
        summary = env._("Supplier answers overdue: %(count)s", count=len(actions))
        note = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "On %(date)s, the suppliers have not answered these corrective action requests "
                "in time: follow them up with the suppliers.",
                date=today.strftime("%Y-%m-%d"),
            ),
            items,
        )
        return summary, note

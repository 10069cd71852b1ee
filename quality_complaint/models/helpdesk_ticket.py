"""The complaint: a helpdesk ticket of the quality complaints team.

Everything the complaint adds to ``helpdesk.ticket``, in one class: its fields
first, then the ORM overrides (``create``, ``write``, ``message_post``, the mail
gateway's ``message_new`` and ``message_update``) and *Register Complaint*, then
one section per step of the case, in the order it flows (docs/process.md):
registration, order and lots (also from an e-mail to the alias), grading, dispatch,
customer messages, the response clock, closing, stages and the portal page.

The addons of the case extend it in their own ``models/helpdesk_ticket.py``:
quality_complaint_investigation (the investigation of the lot),
quality_complaint_remedy (the remedy plan, the result and feedback, the call-back)
and quality_complaint_action. The hooks they extend say so in their docstring.
"""

import logging
import math
import re
from datetime import timedelta

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, consteq, float_compare, html2plaintext, plaintext2html
from odoo.tools.mail import unfold_references
from odoo.tools.misc import clean_context

from ..lang import company_env, company_envs, reader_env
from ..roles import CUSTOMER_SERVICE, OFFICER, role
from .helpdesk_ticket_stage import STEP_ORDER
from .protected_fields import lock_nowait

# Only business actions set these: registration, grading, the SLA clock.
REGISTRATION_PROTECTED = {
    "complaint_state",
    "registered_date",
    "registered_by_id",
    "ack_sent_date",
    "qc_messages_due",
}


CUSTOMER_REQUESTS = [
    ("return", "Return / refund"),
    ("exchange", "Exchange"),
    ("repair", "Repair"),
    ("compensation", "Compensation"),
    ("other", "Other"),
]

IMPACT_LEVELS = [
    ("cosmetic", "Cosmetic flaw"),
    ("minor_function", "Minor function affected, still usable"),
    ("main_function", "Main function lost"),
    ("safety", "Safety hazard"),
]

# Changing one of these on a registered complaint grades it again.
GRADING_FACTS = {
    "impact_level",
    "qc_regulator_threat",
    "affected_qty",
    "lot_ids",
    "sale_order_id",
    "sale_line_id",
    "product_id",
}

# Only the grading itself (and a quality officer's override) sets these.
GRADING_PROTECTED = {
    "grade_id",
    "grade_auto_id",
    "grade_reasons",
    "qc_grade_facts",
    "grade_override_id",
    "grade_override_reason",
    "grade_override_user_id",
    "grade_announced_id",
}

CONTACT_ACTIVITY = "quality_complaint.mail_activity_type_contact_customer"

_logger = logging.getLogger(__name__)

CUSTOMER_MESSAGE_BATCH = 200
BATCH_REGRADE_CRON = "quality_complaint.ir_cron_regrade_batch_lots"

# A word of an e-mail that may name an order or a lot: "S00012", "PO-4711", "K1-A".
MAIL_REFERENCE = re.compile(r"[0-9A-Za-z](?:[0-9A-Za-z/_.\-]*[0-9A-Za-z])?")
MAIL_REFERENCE_LENGTH = 64
MAIL_REFERENCE_MAX = 200

# Only the SLA clock (business actions, first response, cron) sets these.
SLA_PROTECTED = {
    "sla_deadline_id",
    "response_deadline",
    "sla_status",
    "sla_at_risk_date",
    "sla_next_check",
    "sla_paused_since",
    "sla_paused_hours",
    "sla_warned_date",
    "sla_escalated_date",
    "first_response_date",
    "first_response_by_id",
    "qc_response_hours",
}

RESPONSE = "response"


QC_MANAGER_GROUP = "quality_complaint.group_complaint_manager"


# The customer's view of a case, in the order it flows.
PORTAL_STATUSES = [
    ("received", "Received"),
    ("investigating", "Being investigated"),
    ("remedy", "Remedy on its way"),
    ("feedback", "Awaiting your feedback"),
    ("closed", "Closed"),
]

PORTAL_STATUS_ORDER = {code: index for index, (code, _label) in enumerate(PORTAL_STATUSES)}


# The messages of a ticket its portal chatter shows (mail.thread's website_message_ids).
PORTAL_MESSAGE_TYPES = ("email", "comment", "email_outgoing")

MAX_WITHDRAW_REASON = 2000

# The longest texts a customer's complaint form keeps (defect, occurrence; request details).
MAX_PORTAL_TEXT = 5000
MAX_PORTAL_NOTE = 200


# Only registration (the duplicate check), the mail gateway and the duplicate
# actions (Merge, Not a Duplicate) set these.
DUPLICATE_PROTECTED = {
    "qc_duplicate_suspect_id",
    "qc_thread_ticket_id",
    "qc_not_duplicate_ids",
}

# Changing one of these on a registered complaint checks it for duplicates again.
DUPLICATE_FACTS = {"sale_line_id", "lot_ids"}

PROTECTED_FIELDS = REGISTRATION_PROTECTED | GRADING_PROTECTED | SLA_PROTECTED | DUPLICATE_PROTECTED


class HelpdeskTicket(models.Model):
    _name = "helpdesk.ticket"
    _inherit = [
        "helpdesk.ticket",
        # the ticket is a rating.mixin through helpdesk_mgmt_rating (a dependency)
        "quality.complaint.deadline.mixin",
        "quality.complaint.protected.mixin",
    ]
    _qc_protected_fields = PROTECTED_FIELDS

    _qc_messages_due_idx = models.Index("(id) WHERE qc_messages_due")
    # The duplicate check at registration: the customer's earlier registered
    # complaints, newest window first (its cost follows the customer, not the desk).
    _qc_customer_registered_idx = models.Index(
        "(company_id, commercial_partner_id, registered_date, id)"
        " WHERE is_quality_complaint AND complaint_state = 'registered'"
    )
    # The portal form's daily limit: the customer's tickets of the last 24 hours.
    _qc_customer_created_idx = models.Index("(commercial_partner_id, create_date)")

    is_quality_complaint = fields.Boolean(
        string="Quality complaint",
        compute="_compute_is_quality_complaint",
        store=True,
        readonly=False,
        index=True,
        tracking=True,
        help="This ticket is a customer complaint about product quality.",
    )
    complaint_state = fields.Selection(
        [("draft", "Being registered"), ("registered", "Registered")],
        string="Complaint status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    registered_date = fields.Datetime(copy=False, readonly=True, groups="base.group_user")
    registered_by_id = fields.Many2one(
        "res.users", copy=False, readonly=True, groups="base.group_user"
    )
    partner_phone = fields.Char(
        string="Phone",
        compute="_compute_partner_phone",
        store=True,
        readonly=False,
    )
    affected_qty = fields.Float(
        string="Affected quantity",
        default=1.0,
        digits="Product Unit",
    )
    occurrence = fields.Text(
        string="When / where it happens",
        help="When and where the defect shows (at unpacking, after a week of use, "
        "only when hot, ...).",
    )
    impact_level = fields.Selection(IMPACT_LEVELS, string="Impact", tracking=True)
    defect_category_id = fields.Many2one(
        "quality.complaint.defect.category",
        string="Defect category",
        tracking=True,
        index="btree_not_null",
        groups="base.group_user",
    )
    # Table 1 - customer request and evidence
    customer_request = fields.Selection(CUSTOMER_REQUESTS, tracking=True)
    customer_request_note = fields.Char(string="Request details")
    evidence_count = fields.Integer(
        string="Evidence",
        compute="_compute_evidence_count",
        help="Photos, videos and test reports attached to the complaint.",
    )
    details_confirmed = fields.Boolean(
        string="Details confirmed with customer",
        tracking=True,
        copy=False,
        help="Tick once the vague points were re-confirmed with the customer.",
        groups="base.group_user",
    )
    # Registration checklist
    registration_missing = fields.Text(
        compute="_compute_registration_checklist", groups="base.group_user"
    )
    registration_to_confirm = fields.Text(
        compute="_compute_registration_checklist", groups="base.group_user"
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Sale order",
        index="btree_not_null",
        tracking=True,
        domain="[('state', '=', 'sale'), ('partner_id', 'child_of', commercial_partner_id)]"
        " if commercial_partner_id else [('state', '=', 'sale')]",
    )
    sale_line_id = fields.Many2one(
        "sale.order.line",
        string="Order line",
        index="btree_not_null",
        domain="[('order_id', '=', sale_order_id), ('display_type', '=', False)]",
    )
    # Table 1 - product
    # Table 1 - product: helpdesk_product's field, narrowed to goods available
    # for tickets
    product_id = fields.Many2one(
        "product.product",
        index="btree_not_null",
        tracking=True,
        domain=[("type", "=", "consu"), ("ticket_active", "=", True)],
    )
    product_tracking = fields.Selection(related="product_id.tracking")
    lot_ids = fields.Many2many(
        "stock.lot",
        "helpdesk_ticket_stock_lot_rel",
        "ticket_id",
        "lot_id",
        string="Lots / serial numbers",
        domain="[('id', 'in', allowed_lot_ids)] if sale_order_id"
        " else [('product_id', '=?', product_id)]",
        groups="base.group_user",
    )
    qc_warranty_end_date = fields.Date(
        string="Warranty until",
        compute="_compute_qc_warranty_end_date",
        groups="base.group_user",
        help="The warranty end of the lots / serial numbers, as extended by the remedies "
        "of earlier complaints (the earliest when they differ).",
    )
    allowed_lot_ids = fields.Many2many(
        "stock.lot",
        compute="_compute_allowed_lot_ids",
        help="Lots delivered to the customer on the sale order.",
        groups="base.group_user",
    )
    purchase_date = fields.Date(
        compute="_compute_purchase_date",
        store=True,
        readonly=False,
        tracking=True,
    )
    delivered_qty = fields.Float(
        string="Delivered quantity",
        compute="_compute_delivered_qty",
        digits="Product Unit",
        help="Quantity of the product delivered to the customer on the order, returns deducted.",
    )
    qc_regulator_threat = fields.Boolean(
        groups="base.group_user",
        string="Threatens regulators or media",
        tracking=True,
        copy=False,
        help="The customer threatens to complain to a regulator or to the media.",
    )
    grade_id = fields.Many2one(
        "quality.complaint.grade",
        groups="base.group_user",
        ondelete="restrict",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    grade_color = fields.Integer(related="grade_id.color", groups="base.group_user")
    grade_auto_id = fields.Many2one(
        "quality.complaint.grade",
        groups="base.group_user",
        string="Grade by rules",
        readonly=True,
        copy=False,
        help="The grade the rules give, whatever an override says.",
    )
    grade_reasons = fields.Text(
        groups="base.group_user",
        string="Why this grade",
        readonly=True,
        copy=False,
        help="The grading rules that fired, one per line, as written at grading time "
        "in the company's language (exports); screens show them in the reader's.",
    )
    qc_grade_facts = fields.Json(
        groups="base.group_user",
        string="Grade facts",
        readonly=True,
        copy=False,
        help="The grading rules that fired: [grade id, rule code, values] per line, "
        "from which each reader reads the reasons in their own language.",
    )
    grade_reasons_display = fields.Text(
        groups="base.group_user",
        string="Grade reasons",
        compute="_compute_grade_reasons_display",
        help="The grading rules that fired, one per line, in your language.",
    )
    grade_override_id = fields.Many2one(
        "quality.complaint.grade",
        groups="base.group_user",
        string="Grade set by quality",
        readonly=True,
        copy=False,
        tracking=True,
    )
    grade_override_reason = fields.Text(
        groups="base.group_user", string="Override reason", readonly=True, copy=False, tracking=True
    )
    grade_override_user_id = fields.Many2one(
        "res.users",
        string="Overridden by",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    qc_auto_assignee_id = fields.Many2one(
        "res.users",
        string="Assigned automatically to",
        copy=False,
        readonly=True,
        groups="base.group_system",
        help="The user the complaint was assigned to at registration. While it is "
        "still theirs and unanswered, a regrade may hand it to the new grade's users.",
    )
    qc_messages_due = fields.Boolean(
        string="Customer messages to send",
        copy=False,
        readonly=True,
        groups="base.group_user",
        help="The acknowledgement or the grade's message is queued for the customer "
        "(sent by the cron 'Quality complaints: customer messages' within seconds).",
    )
    ack_sent_date = fields.Datetime(
        string="Acknowledged on",
        copy=False,
        readonly=True,
        help="When the 'complaint received' e-mail was queued for the customer; the "
        "chatter shows whether it was delivered (an e-mail the mail server could not "
        "take is sent again once the server is back).",
    )
    qc_contact_promise_text = fields.Char(
        string="Contact promise",
        compute="_compute_qc_contact_promise_text",
        groups="base.group_user",
        help="What the customer is promised: the grade's response time, or the "
        "company's first-contact promise while the complaint has no grade.",
    )
    grade_announced_id = fields.Many2one(
        "quality.complaint.grade",
        groups="base.group_user",
        string="Grade announced to the customer",
        readonly=True,
        copy=False,
    )
    sla_deadline_id = fields.Many2one(
        "quality.complaint.deadline",
        string="Response clock",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    response_deadline = fields.Datetime(
        related="sla_deadline_id.deadline",
        store=True,
        tracking=True,
        groups="base.group_user",
        help="First contact with the customer is due at this time: the grade's "
        "response hours from registration on the working calendar, extended by "
        "the time spent waiting for the customer.",
    )
    sla_status = fields.Selection(
        related="sla_deadline_id.status",
        string="SLA",
        store=True,
        index=True,
        groups="base.group_user",
    )
    first_response_date = fields.Datetime(
        related="sla_deadline_id.done_date",
        string="First response",
        store=True,
        tracking=True,
        groups="base.group_user",
    )
    first_response_by_id = fields.Many2one(
        related="sla_deadline_id.done_by_id", string="First response by", groups="base.group_user"
    )
    sla_at_risk_date = fields.Datetime(
        related="sla_deadline_id.at_risk_date", string="At risk from", groups="base.group_user"
    )
    sla_next_check = fields.Datetime(related="sla_deadline_id.next_check", groups="base.group_user")
    sla_paused_since = fields.Datetime(
        related="sla_deadline_id.paused_since",
        string="Waiting for customer since",
        groups="base.group_user",
    )
    sla_paused_hours = fields.Float(
        related="sla_deadline_id.paused_hours",
        string="Working hours waited for the customer",
        groups="base.group_user",
    )
    sla_warned_date = fields.Datetime(
        related="sla_deadline_id.warned_date", string="At-risk warning on", groups="base.group_user"
    )
    sla_escalated_date = fields.Datetime(
        related="sla_deadline_id.escalated_date", string="Escalated on", groups="base.group_user"
    )
    qc_response_hours = fields.Float(
        string="Hours to first response",
        compute="_compute_qc_response_hours",
        store=True,
        aggregator="avg",
        groups="base.group_user",
        help="Hours from registration to the first response to the customer.",
    )
    sla_time_left = fields.Char(
        string="Time left", compute="_compute_sla_time_left", groups="base.group_user"
    )
    qc_cancel_reason = fields.Text(
        string="Cancellation reason",
        tracking=True,
        copy=False,
        groups="base.group_user",
        help="Why a registered complaint was cancelled (by customer service, or "
        "withdrawn by the customer).",
    )
    qc_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        string="Stages of the team",
        compute="_compute_qc_stage_ids",
        help="The stages the complaint's status bar offers: its team's own steps.",
    )
    qc_locked = fields.Boolean(
        string="Closed for you",
        compute="_compute_qc_locked",
        help="A closed complaint that only a quality manager may change: its form is "
        "read-only for the others.",
    )
    qc_portal_status = fields.Selection(
        PORTAL_STATUSES,
        string="Progress",
        compute="_compute_qc_portal_status",
        help="The complaint's progress as the customer sees it on the portal.",
    )
    qc_portal_promise = fields.Char(
        string="Promised contact time",
        compute="_compute_qc_portal_promise",
        help="The contact time the acknowledgement (or a later update) promised the "
        "customer; empty until the customer was told.",
    )
    qc_duplicate_suspect_id = fields.Many2one(
        "helpdesk.ticket",
        string="Probable duplicate of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        tracking=True,
        groups="base.group_user",
        help="At registration: the first complaint of the same customer about the same "
        "order line or lot within the company's duplicate window, or the complaint "
        "whose e-mail thread this one answers. A suspicion until customer service "
        "merges it (Duplicate of) or confirms it is not a duplicate.",
    )
    qc_thread_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Answers the e-mail thread of",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The ticket one of whose messages the incoming e-mail that created this "
        "ticket answers (its In-Reply-To / References headers).",
    )
    qc_not_duplicate_ids = fields.Many2many(
        "helpdesk.ticket",
        "qc_ticket_not_duplicate_rel",
        "ticket_id",
        "other_id",
        string="Confirmed not duplicates of",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Complaints customer service confirmed this one is not a duplicate of: "
        "the pair is not flagged again.",
    )

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        self._qc_check_protected(vals_list, creating=True)
        self._qc_prepare_registration_vals(vals_list)
        self._qc_prepare_order_vals(vals_list)
        self._qc_check_closing_create(vals_list)
        tickets = super().create(vals_list)
        tickets._qc_check_closing_entry()
        return tickets

    def write(self, vals):
        self._qc_check_protected([vals])
        if "duplicate_id" in vals and not self.env.su and any(self.mapped("is_quality_complaint")):
            # helpdesk_mgmt's Duplicate of takes a complaint out of every report:
            # only Merge into the First sets it, with its checks and its evidence moved.
            raise AccessError(
                self.env._(
                    "A complaint is closed as a duplicate only with Merge into the First, "
                    "which checks it is the same customer's and keeps its messages and "
                    "evidence on the first complaint."
                )
            )
        self._qc_check_closed_write(vals)
        if vals.get("stage_id") and not self.env.su:
            self._qc_check_stage_move(vals["stage_id"])
        closing = self._qc_check_closing_write(vals)
        result = super().write(vals)
        self._qc_check_closing_entry(closing)
        if "stage_id" in vals:
            self._qc_on_stage_changed()
        if GRADING_FACTS & vals.keys():
            self._qc_on_facts_changed()
        if DUPLICATE_FACTS & vals.keys():
            self._qc_flag_duplicates()
        return result

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        self._qc_on_message_posted(message)
        return message

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        ticket = super().message_new(msg_dict, custom_values=custom_values)
        ticket._qc_fill_from_mails(msg_dict)
        ticket._qc_note_email_thread(msg_dict)
        return ticket

    def message_update(self, msg_dict, update_vals=None):
        result = super().message_update(msg_dict, update_vals=update_vals)
        self.filtered(
            lambda t: (
                t.complaint_state == "draft"
                and not t.stage_id.closed
                and not t.sale_order_id
                and not t.lot_ids
            )
        )._qc_fill_from_mails(msg_dict)
        return result

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        """The complaints' kanban shows the complaint teams' own stages, not the
        generic helpdesk ones."""
        if self.env.context.get("qc_complaint_stages"):
            teams = self.env["helpdesk.ticket.team"].search([("qc_is_quality_team", "=", True)])
            own = stages.search([("team_ids", "in", teams.ids)])
            if own:
                return own | stages
        return super()._read_group_stage_ids(stages, domain)

    # ------------------------------------------------------------ actions
    @role(CUSTOMER_SERVICE)
    def action_register_complaint(self):
        """Complete the registration: check Table 1, record it, grade, start the
        response clock, dispatch, and queue the customer's acknowledgement."""
        self._qc_check_registrable()
        to_register = self.filtered(lambda t: t.complaint_state == "draft")
        to_register._qc_on_register()
        to_register._qc_flag_duplicates()
        to_register._qc_move_to_step("registered")
        self.filtered(lambda t: t.complaint_state == "registered" and not t.grade_id)._qc_grade()
        to_register._qc_assign()
        to_register._qc_after_registration()
        to_register._qc_queue_customer_messages()
        return True

    def _qc_after_registration(self):
        """Hook: the complaints in ``self`` were just registered, graded and
        assigned, their acknowledgement not yet queued. Extended by
        quality_complaint_action (a complaint that repeats a verified action's
        problem)."""
        return None

    @role(CUSTOMER_SERVICE)
    def action_make_quality_complaint(self):
        """Turn ordinary tickets (e-mail alias, portal form) into complaints."""
        for ticket in self:
            vals = {"is_quality_complaint": True}
            team = (ticket.company_id or self.env.company).qc_team_id
            if team and not ticket.team_id.qc_is_quality_team:
                vals["team_id"] = team.id
            ticket.write(vals)
        return True

    @role(CUSTOMER_SERVICE)
    def action_view_sale_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.sale_order_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------ called by the ORM overrides
    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s cannot be set directly: they follow from the complaint's "
            "registration, grading and response clock. Use the buttons of the "
            "complaint (Register, Override Grade, Contacted Customer).",
            fields=labels,
        )

    def _qc_on_facts_changed(self):
        """A fact that grades changed: registered, open complaints are graded again."""
        self.filtered(
            lambda t: t.complaint_state == "registered" and not t.stage_id.closed
        )._qc_grade()

    # ------------------------------------------------------------ helpers
    def _qc_action_for(self, domain, context=None, name=None):
        """Window action on the complaints matching ``domain``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_complaint.action_quality_complaints"
        )
        action["domain"] = [("is_quality_complaint", "=", True), *domain]
        action["context"] = dict(context or {}, default_is_quality_complaint=True)
        if name:
            action["name"] = name
        return action

    @api.model
    def _qc_count_by(self, groupby, domain):
        """Number of complaints per value of ``groupby``, in one query: {id: count}."""
        groups = self._read_group(
            [("is_quality_complaint", "=", True), *domain], [groupby], ["__count"]
        )
        return {record.id: count for record, count in groups}

    # ============================================================
    # Registration: Table 1, checklist, acknowledgement (docs/process.md §1)
    # ============================================================

    # ------------------------------------------------------------ computes
    @api.depends("is_quality_complaint", "number")
    def _compute_display_name(self):
        """A complaint not saved yet reads "New complaint", not "/ - False"."""
        res = super()._compute_display_name()
        for ticket in self:
            if ticket.is_quality_complaint and (ticket.number or "/") == "/":
                new = self.env._("New complaint")
                ticket.display_name = f"{new} - {ticket.name}" if ticket.name else new
        return res

    @api.depends("team_id")
    def _compute_is_quality_complaint(self):
        for ticket in self:
            ticket.is_quality_complaint = (
                ticket.is_quality_complaint or ticket.team_id.qc_is_quality_team
            )

    @api.depends("partner_id")
    def _compute_partner_phone(self):
        for ticket in self:
            if ticket.partner_id.phone:
                ticket.partner_phone = ticket.partner_id.phone
            else:
                ticket.partner_phone = ticket.partner_phone

    @api.depends("attachment_ids")
    def _compute_evidence_count(self):
        groups = self.env["ir.attachment"]._read_group(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)],
            ["res_id"],
            ["__count"],
        )
        counts = dict(groups)
        for ticket in self:
            ticket.evidence_count = counts.get(ticket.id, 0)

    @api.depends(
        "is_quality_complaint",
        "partner_id",
        "partner_email",
        "partner_phone",
        "sale_order_id",
        "product_id",
        "lot_ids",
        "purchase_date",
        "affected_qty",
        "description",
        "occurrence",
        "impact_level",
        "defect_category_id",
        "customer_request",
        "details_confirmed",
        "evidence_count",
    )
    def _compute_registration_checklist(self):
        for ticket in self:
            if not ticket.is_quality_complaint:
                ticket.registration_missing = False
                ticket.registration_to_confirm = False
                continue
            missing = ticket._qc_missing_items()
            to_confirm = ticket._qc_items_to_confirm()
            ticket.registration_missing = "\n".join(missing) or False
            ticket.registration_to_confirm = "\n".join(to_confirm) or False

    # ------------------------------------------------------------ helpers
    def _qc_description_text(self):
        self.ensure_one()
        return html2plaintext(self.description or "").strip()

    def _qc_missing_items(self):
        """Mandatory Table 1 items still empty, as user-readable labels."""
        self.ensure_one()
        missing = []
        if not self.partner_id:
            missing.append(self.env._("Customer"))
        if not (
            self.partner_email
            or self.partner_phone
            or self.partner_id.email
            or self.partner_id.phone
        ):
            missing.append(self.env._("Customer contact (e-mail or phone)"))
        if not self.product_id:
            missing.append(self.env._("Product"))
        elif self.product_id.tracking != "none" and not self.lot_ids:
            missing.append(self.env._("Lot / serial number"))
        if not self.purchase_date:
            missing.append(self.env._("Purchase date"))
        if float_compare(self.affected_qty, 0.0, precision_digits=6) <= 0:
            missing.append(self.env._("Affected quantity"))
        if not self._qc_description_text():
            missing.append(self.env._("Defect description"))
        if not self.occurrence:
            missing.append(self.env._("When / where it happens"))
        if not self.impact_level:
            missing.append(self.env._("Impact"))
        if not self.defect_category_id:
            missing.append(self.env._("Defect category"))
        if not self.customer_request:
            missing.append(self.env._("Customer request"))
        if self.defect_category_id.evidence_required and not self.evidence_count:
            missing.append(
                self.env._(
                    "Evidence (photo, video or test report): required for %s",
                    self.defect_category_id.name,
                )
            )
        return missing

    def _qc_description_is_vague(self):
        self.ensure_one()
        text = self._qc_description_text().lower()
        if not text:
            return False
        company = self.company_id or self.env.company
        words = re.findall(r"\w+", text)
        if len(words) < company.qc_min_description_words:
            return True
        return any(term in text for term in company._qc_vague_terms())

    def _qc_items_to_confirm(self):
        """Points to re-confirm with the customer (they do not block registration)."""
        self.ensure_one()
        items = []
        if not self.details_confirmed:
            if self._qc_description_is_vague():
                items.append(
                    self.env._(
                        "The defect description is vague: ask the customer what "
                        "exactly happens, then tick 'Details confirmed'."
                    )
                )
            if self.defect_category_id.confirmation_hint:
                items.append(self.defect_category_id.confirmation_hint)
        if not self.sale_order_id:
            items.append(self.env._("No sale order: ask for the order or invoice number."))
        if not self.evidence_count and not self.defect_category_id.evidence_required:
            items.append(self.env._("No photo or video attached yet: ask the customer for one."))
        return items

    # ------------------------------------------------------------ called by the ORM overrides
    @api.model
    def _qc_records_in(self, vals_list, field_name):
        """{id: record} of the many2one ``field_name`` in create values, browsed
        together so that reading them costs one query."""
        comodel = self.env[self._fields[field_name].comodel_name]
        records = comodel.browse({vals[field_name] for vals in vals_list if vals.get(field_name)})
        return {record.id: record for record in records}

    def _qc_prepare_registration_vals(self, vals_list):
        """On create: the customer's name and e-mail from the order or the partner."""
        orders = self._qc_records_in(vals_list, "sale_order_id")
        for vals in vals_list:
            if vals.get("sale_order_id") and not vals.get("partner_id"):
                customer = orders[vals["sale_order_id"]].partner_id
                vals["partner_id"] = customer.id
                vals.setdefault("partner_name", customer.name)
                vals.setdefault("partner_email", customer.email)
        partners = self._qc_records_in(vals_list, "partner_id")
        for vals in vals_list:
            if vals.get("partner_id") and not vals.get("partner_email"):
                partner = partners[vals["partner_id"]]
                vals["partner_email"] = partner.email
                vals.setdefault("partner_name", partner.name)

    def _qc_check_registrable(self):
        """At registration: every complaint is complete, or nothing is registered."""
        if self.filtered(lambda t: t.complaint_state == "draft"):
            self._qc_acknowledgement_template()
        for ticket in self:
            if not ticket.is_quality_complaint:
                raise UserError(
                    self.env._(
                        "%(ticket)s is not a quality complaint: mark it as one first.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.complaint_state != "draft":
                continue
            missing = ticket._qc_missing_items()
            if missing:
                raise UserError(
                    self.env._(
                        "%(ticket)s cannot be registered yet. Still missing:\n%(items)s",
                        ticket=ticket.display_name,
                        items="\n".join(f"- {item}" for item in missing),
                    )
                )

    def _qc_on_register(self):
        """At registration: record who registered the complaints and when."""
        self.sudo().write(
            {
                "complaint_state": "registered",
                "registered_date": fields.Datetime.now(),
                "registered_by_id": self.env.user.id,
            }
        )

    # ============================================================
    # The same complaint twice: probable duplicates (docs/process.md §1)
    # ============================================================

    def _qc_flag_duplicates(self):
        """Flag the registered, open complaints of ``self`` that repeat an earlier
        one as probable duplicates of the first such complaint, in one query for
        the batch: the same customer (commercial partner) and company, and the same
        order line or a shared lot within the company's duplicate window (0: off),
        or an e-mail answering the earlier complaint's thread. A pair confirmed
        different (Not a Duplicate) is never flagged again; a merged complaint is
        nobody's first."""
        tickets = self.filtered(
            lambda t: (
                t.is_quality_complaint
                and t.complaint_state == "registered"
                and not t.stage_id.closed
                and not t.sudo().qc_duplicate_suspect_id
                and not t.sudo().duplicate_id
            )
        )
        if not tickets:
            return
        self.flush_model()
        self.env["res.company"].flush_model(["qc_duplicate_window_days"])
        self.env.cr.execute(
            SQL(
                """
                SELECT t.id, c.id, c.reason
                  FROM helpdesk_ticket t
                  JOIN res_company co ON co.id = t.company_id
                  CROSS JOIN LATERAL (
                    SELECT c.id,
                           CASE WHEN c.id = t.qc_thread_ticket_id THEN 'thread'
                                WHEN c.sale_line_id = t.sale_line_id THEN 'line'
                                ELSE 'lot' END AS reason
                      FROM helpdesk_ticket c
                      JOIN helpdesk_ticket_stage st ON st.id = c.stage_id
                     WHERE c.id != t.id
                       AND NOT COALESCE(st.closed, FALSE)
                       AND c.is_quality_complaint
                       AND c.active
                       AND c.complaint_state = 'registered'
                       AND c.duplicate_id IS NULL
                       AND c.company_id = t.company_id
                       AND c.commercial_partner_id = t.commercial_partner_id
                       AND (c.registered_date, c.id) < (t.registered_date, t.id)
                       AND NOT EXISTS (
                           SELECT 1 FROM qc_ticket_not_duplicate_rel r
                            WHERE (r.ticket_id = t.id AND r.other_id = c.id)
                               OR (r.ticket_id = c.id AND r.other_id = t.id))
                       AND (c.id = t.qc_thread_ticket_id
                            OR (co.qc_duplicate_window_days > 0
                                AND c.registered_date >= t.registered_date
                                    - make_interval(days => co.qc_duplicate_window_days)
                                AND (c.sale_line_id = t.sale_line_id
                                     OR EXISTS (
                                        SELECT 1
                                          FROM helpdesk_ticket_stock_lot_rel mine
                                          JOIN helpdesk_ticket_stock_lot_rel theirs
                                            ON theirs.lot_id = mine.lot_id
                                         WHERE mine.ticket_id = t.id
                                           AND theirs.ticket_id = c.id))))
                     ORDER BY c.registered_date, c.id
                     LIMIT 1
                  ) c
                 WHERE t.id IN %s
                """,
                tuple(tickets.ids),
            )
        )
        found = {ticket: (first, reason) for ticket, first, reason in self.env.cr.fetchall()}
        if not found:
            return
        flagged = self.browse(list(found))
        by_first = {}
        for ticket in flagged:
            by_first.setdefault(found[ticket.id][0], self.browse())
            by_first[found[ticket.id][0]] |= ticket
        for first_id, duplicates in by_first.items():
            duplicates.sudo().write({"qc_duplicate_suspect_id": first_id})
        bodies = {}
        for ticket in flagged.sudo():
            first, reason = ticket.qc_duplicate_suspect_id, found[ticket.id][1]
            env = company_env(self.env, ticket.company_id)
            why = {
                "thread": env._("this e-mail answers the thread of %s", first.display_name),
                "line": env._(
                    "the same customer complains about the same order line within %s days",
                    ticket.company_id.qc_duplicate_window_days,
                ),
                "lot": env._(
                    "the same customer complains about the same lot within %s days",
                    ticket.company_id.qc_duplicate_window_days,
                ),
            }[reason]
            bodies[ticket.id] = Markup("<p>%s</p>") % env._(
                "Probable duplicate of %(first)s: %(why)s. Merge it into the first, or "
                "confirm it is not a duplicate.",
                first=first._get_html_link(),
                why=why,
            )
        flagged.sudo()._message_log_batch(bodies)

    def _qc_note_email_thread(self, msg_dict):
        """A ticket created from an incoming e-mail: keep the ticket one of whose
        messages the e-mail's In-Reply-To / References headers name (the same
        e-mail thread), for the duplicate check at registration. Only the mail
        gateway (superuser) keeps it: over RPC, nothing."""
        self.ensure_one()
        if not self.env.su:
            return
        references = unfold_references(msg_dict.get("references") or "")
        references += unfold_references(msg_dict.get("in_reply_to") or "")
        references = [ref.strip() for ref in references if ref.strip()]
        if not references:
            return
        message = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("message_id", "in", references),
                    ("model", "=", self._name),
                    ("res_id", "!=", self.id),
                    ("res_id", "!=", 0),
                ],
                order="id",
                limit=1,
            )
        )
        if message:
            self.sudo().write({"qc_thread_ticket_id": message.res_id})

    def _qc_check_may_merge(self, first):
        """Why the complaint ``self`` may not be merged into ``first`` (UserError),
        checked on the server for every caller."""
        self.ensure_one()
        self.check_access("write")
        first.check_access("read")
        me, them = self.sudo(), first.sudo()
        if not me.is_quality_complaint or not them.is_quality_complaint:
            raise UserError(self.env._("Only a complaint is merged into a complaint."))
        if me.duplicate_id:
            raise UserError(
                self.env._(
                    "%(ticket)s was already merged into %(first)s.",
                    ticket=me.display_name,
                    first=me.duplicate_id.display_name,
                )
            )
        if me == them:
            raise UserError(self.env._("%s cannot be merged into itself.", me.display_name))
        if them.duplicate_id:
            raise UserError(
                self.env._(
                    "%(first)s is itself a duplicate merged into %(other)s: merge into "
                    "%(other)s instead.",
                    first=them.display_name,
                    other=them.duplicate_id.display_name,
                )
            )
        if me.company_id != them.company_id or (
            me.commercial_partner_id != them.commercial_partner_id
        ):
            raise UserError(
                self.env._(
                    "%(ticket)s and %(first)s are not complaints of the same customer "
                    "and company: they cannot be merged.",
                    ticket=me.display_name,
                    first=them.display_name,
                )
            )
        if me.stage_id.closed:
            raise UserError(
                self.env._("%s is closed: only an open complaint is merged.", me.display_name)
            )
        if them.stage_id.closed:
            raise UserError(
                self.env._(
                    "%s is closed: a new complaint about it is not a duplicate; "
                    "confirm it is not one and work it.",
                    them.display_name,
                )
            )
        if not me._qc_cancel_stage():
            raise UserError(
                self.env._("%s: its team has no stage that cancels complaints.", me.display_name)
            )

    @role(CUSTOMER_SERVICE)
    def action_qc_merge_duplicate(self):
        """Merge into the first: the probable duplicate's messages, files and
        evidence move to the first complaint, its followers follow the first, and
        it is closed as a duplicate of it (Duplicate of, the cancelling stage with
        the reason); both chatters say so."""
        self.ensure_one()
        first = self.sudo().qc_duplicate_suspect_id.with_env(self.env)
        if not first:
            raise UserError(
                self.env._("%s is not flagged as a probable duplicate.", self.display_name)
            )
        self._qc_check_may_merge(first)
        self._qc_lock_for_action()
        # the first too: a merge of the first elsewhere must not cross this one
        (first.sudo() - self)._qc_lock_for_action()
        self._qc_check_may_merge(first)  # as they stand once locked
        self._qc_merge_into(first)
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": first.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _qc_merge_into(self, first):
        """Move what the complaint ``self`` holds to ``first`` and close it as its
        duplicate (checked by ``_qc_check_may_merge``)."""
        self.ensure_one()
        me = self.sudo()
        messages = me.message_ids.filtered(lambda m: m.message_type != "notification")
        files = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "=", self.id)])
        )
        messages.write({"res_id": first.id})
        files.write({"res_id": first.id})
        (me | first.sudo()).invalidate_recordset(["message_ids", "attachment_ids"])
        first.sudo().message_subscribe(partner_ids=me.message_partner_ids.ids)
        env = company_env(self.env, me.company_id)
        me.write({"duplicate_id": first.id})
        self._qc_cancel(env._("Duplicate of %s (merged into it).", first.sudo().display_name))
        me._message_log(
            body=Markup("<p>%s</p>")
            % env._(
                "Merged into %(first)s as a duplicate by %(user)s: its messages and %(count)s "
                "file(s) are now on %(first)s.",
                first=first._get_html_link(),
                user=self.env.user.name,
                count=len(files),
            )
        )
        first.sudo()._message_log(
            body=Markup("<p>%s</p>")
            % env._(
                "%(ticket)s was merged into this complaint as a duplicate by %(user)s: its "
                "messages and %(count)s file(s) were moved here.",
                ticket=self._get_html_link(),
                user=self.env.user.name,
                count=len(files),
            )
        )

    @role(CUSTOMER_SERVICE)
    def action_qc_not_duplicate(self):
        """Not a Duplicate: clear the flag and keep the decision, so that the pair
        is not flagged again; the chatter says who decided."""
        self.check_access("write")
        for ticket in self:
            first = ticket.sudo().qc_duplicate_suspect_id
            if not first:
                raise UserError(
                    self.env._("%s is not flagged as a probable duplicate.", ticket.display_name)
                )
            if ticket.sudo().duplicate_id:
                raise UserError(
                    self.env._(
                        "%(ticket)s was already merged into %(first)s.",
                        ticket=ticket.display_name,
                        first=ticket.sudo().duplicate_id.display_name,
                    )
                )
            ticket.sudo().write(
                {
                    "qc_duplicate_suspect_id": False,
                    "qc_not_duplicate_ids": [Command.link(first.id)],
                }
            )
            env = company_env(self.env, ticket.company_id)
            ticket.sudo()._message_log(
                body=Markup("<p>%s</p>")
                % env._(
                    "Not a duplicate of %(first)s, as %(user)s confirmed: this pair is not "
                    "flagged again.",
                    first=first._get_html_link(),
                    user=self.env.user.name,
                )
            )
        return True

    # ============================================================
    # Order, product and delivered lots (docs/process.md §1)
    # ============================================================

    # ------------------------------------------------------------ computes
    @api.depends("sale_order_id")
    def _compute_purchase_date(self):
        """The day of the delivery (or order) in the company's time zone, the same
        for whoever creates the complaint; see ``_qc_company_today``."""
        for ticket in self:
            order = ticket.sale_order_id
            if order:
                moment = order.effective_date or order.date_order
                ticket.purchase_date = ticket._qc_company_today(moment)
            else:
                ticket.purchase_date = ticket.purchase_date

    @api.depends("lot_ids.qc_warranty_end_date")
    def _compute_qc_warranty_end_date(self):
        for ticket in self:
            ends = ticket.lot_ids.filtered("qc_warranty_end_date").mapped("qc_warranty_end_date")
            ticket.qc_warranty_end_date = min(ends) if ends else False

    @api.depends("sale_order_id", "product_id")
    def _compute_allowed_lot_ids(self):
        delivered = self._qc_delivered_lots()
        for ticket in self:
            ticket.allowed_lot_ids = delivered.get(ticket.id, self.env["stock.lot"])

    @api.depends("sale_order_id", "sale_line_id", "product_id")
    def _compute_delivered_qty(self):
        for ticket in self:
            lines = ticket._qc_order_lines()
            ticket.delivered_qty = sum(
                line.product_uom_id._compute_quantity(line.qty_delivered, line.product_id.uom_id)
                for line in lines
            )

    # ------------------------------------------------------------ helpers
    def _qc_company_today(self, moment=None):
        """The date of ``moment`` (default: now) in the time zone of the complaint's
        company, so that a purchase date means the same day to every user.

        The company's time zone is the one of its partner (the company's address,
        set in the company form); without one, UTC. The working calendar's time zone
        is not used: it describes working hours, not where the company is.
        """
        company = self.company_id or self.env.company
        tz = company.partner_id.tz or "UTC"
        return fields.Date.context_today(self.with_context(tz=tz), moment)

    def _qc_order_lines(self):
        """Order lines of the complained product on the ticket's order."""
        self.ensure_one()
        if self.sale_line_id:
            return self.sale_line_id
        if not (self.sale_order_id and self.product_id):
            return self.env["sale.order.line"]
        return self.sale_order_id.order_line.filtered(
            lambda line: line.product_id == self.product_id
        )

    def _qc_delivered_lots(self):
        """Lots delivered to the customer on each ticket's order.

        One query for the whole recordset: {ticket id: stock.lot recordset}.
        """
        tickets = self.filtered("sale_order_id")
        if not tickets:
            return {}
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("move_id.sale_line_id.order_id", "in", tickets.sale_order_id.ids),
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                    ("location_dest_id.usage", "=", "customer"),
                ]
            )
        )
        result = {}
        for ticket in tickets:
            lines = move_lines.filtered(
                lambda ml, t=ticket: (
                    ml.move_id.sale_line_id.order_id == t.sale_order_id
                    and (not t.product_id or ml.product_id == t.product_id)
                )
            )
            result[ticket.id] = lines.lot_id.sudo(False)
        return result

    # ------------------------------------------------------------ onchanges
    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if not order:
            return
        if not self.partner_id:
            self.partner_id = order.partner_id
        if self.sale_line_id and self.sale_line_id.order_id != order:
            self.sale_line_id = False
        product_lines = order.order_line.filtered(
            lambda line: not line.display_type and line.product_id.type == "consu"
        )
        if self.product_id:
            same = product_lines.filtered(lambda line: line.product_id == self.product_id)
            if same and not self.sale_line_id:
                self.sale_line_id = same[:1]
        elif len(product_lines) == 1:
            # The product too: the form may run the product's onchange before the
            # line's (helpdesk_product shows the product above the order).
            self.sale_line_id = product_lines
            self.product_id = product_lines.product_id
        allowed = self.allowed_lot_ids
        self.lot_ids = self.lot_ids.filtered(lambda lot: lot in allowed)

    @api.onchange("sale_line_id")
    def _onchange_sale_line_id(self):
        if self.sale_line_id:
            self.product_id = self.sale_line_id.product_id

    @api.onchange("product_id")
    def _onchange_product_id(self):
        if self.lot_ids and self.product_id:
            self.lot_ids = self.lot_ids.filtered(lambda lot: lot.product_id == self.product_id)
        if self.sale_line_id and self.sale_line_id.product_id != self.product_id:
            self.sale_line_id = False
        if self.product_id and self.sale_order_id and not self.sale_line_id:
            lines = self.sale_order_id.order_line.filtered(
                lambda line: line.product_id == self.product_id
            )
            self.sale_line_id = lines[:1]

    @api.onchange("lot_ids")
    def _onchange_lot_ids(self):
        if self.lot_ids and not self.product_id:
            self.product_id = self.lot_ids[:1].product_id

    # ------------------------------------------------------------ constraints
    @api.constrains(
        "is_quality_complaint",
        "sale_order_id",
        "sale_line_id",
        "product_id",
        "lot_ids",
        "affected_qty",
        "purchase_date",
        "partner_id",
    )
    def _check_complaint_registration(self):
        complaints = self.filtered("is_quality_complaint")
        delivered_lots = complaints._qc_delivered_lots()
        for ticket in complaints:
            ticket._qc_check_lot_products()
            ticket._qc_check_order(delivered_lots.get(ticket.id))
            if float_compare(ticket.affected_qty, 0.0, precision_digits=6) < 0 or (
                ticket.complaint_state == "registered" and ticket.affected_qty == 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(ticket)s: the affected quantity must be positive.",
                        ticket=ticket.display_name,
                    )
                )
            if ticket.purchase_date and ticket.purchase_date > ticket._qc_company_today():
                raise ValidationError(
                    self.env._(
                        "%(ticket)s: the purchase date %(date)s is in the future.",
                        ticket=ticket.display_name,
                        date=ticket.purchase_date,
                    )
                )

    def _qc_check_lot_products(self):
        """Lots of another product are named as such, before any check of the
        order: such a lot may well have been delivered on the same order."""
        self.ensure_one()
        wrong_lots = self.lot_ids.filtered(lambda lot: lot.product_id != self.product_id)
        if wrong_lots and self.product_id:
            raise ValidationError(
                self.env._(
                    "Lot %(lot)s is a lot of %(lot_product)s, not of %(product)s.",
                    lot=wrong_lots[0].name,
                    lot_product=wrong_lots[0].product_id.display_name,
                    product=self.product_id.display_name,
                )
            )
        if wrong_lots:
            raise ValidationError(
                self.env._("Choose the product before its lots / serial numbers.")
            )

    def _qc_check_order(self, delivered_lots):
        self.ensure_one()
        order = self.sale_order_id
        if self.sale_line_id and self.sale_line_id.order_id != order:
            raise ValidationError(
                self.env._(
                    "Order line %(line)s does not belong to order %(order)s.",
                    line=self.sale_line_id.display_name,
                    order=order.name or "-",
                )
            )
        if not order:
            return
        customer = self.partner_id.commercial_partner_id
        if customer and order.partner_id.commercial_partner_id != customer:
            raise ValidationError(
                self.env._(
                    "Order %(order)s was sold to %(buyer)s, not to %(customer)s.",
                    order=order.name,
                    buyer=order.partner_id.commercial_partner_id.display_name,
                    customer=customer.display_name,
                )
            )
        if (
            self.sale_line_id
            and self.product_id
            and self.sale_line_id.product_id != self.product_id
        ):
            raise ValidationError(
                self.env._(
                    "Order line %(line)s is for %(line_product)s, not %(product)s.",
                    line=self.sale_line_id.display_name,
                    line_product=self.sale_line_id.product_id.display_name,
                    product=self.product_id.display_name,
                )
            )
        if self.product_id and not self._qc_order_lines():
            raise ValidationError(
                self.env._(
                    "Order %(order)s has no line for %(product)s.",
                    order=order.name,
                    product=self.product_id.display_name,
                )
            )
        not_delivered = self.lot_ids - (delivered_lots or self.env["stock.lot"])
        if not_delivered:
            raise ValidationError(
                self.env._(
                    "Lot %(lot)s was not delivered to %(customer)s on order %(order)s.",
                    lot=not_delivered[0].name,
                    customer=order.partner_id.display_name,
                    order=order.name,
                )
            )
        if self.product_id:
            delivered = self.delivered_qty
            rounding = self.product_id.uom_id.rounding
            if float_compare(self.affected_qty, delivered, precision_rounding=rounding) > 0:
                raise ValidationError(
                    self.env._(
                        "Only %(delivered)s %(uom)s of %(product)s were delivered on "
                        "order %(order)s: the affected quantity (%(qty)s) cannot be more.",
                        delivered=delivered,
                        uom=self.product_id.uom_id.name,
                        product=self.product_id.display_name,
                        order=order.name,
                        qty=self.affected_qty,
                    )
                )

    # ------------------------------------------------------------ called by the ORM overrides
    def _qc_prepare_order_vals(self, vals_list):
        """On create: the product from the order line, the line from the order."""
        lines = self._qc_records_in(vals_list, "sale_line_id")
        orders = self._qc_records_in(vals_list, "sale_order_id")
        for vals in vals_list:
            if vals.get("sale_line_id") and not vals.get("product_id"):
                vals["product_id"] = lines[vals["sale_line_id"]].product_id.id
            if (
                vals.get("sale_order_id")
                and vals.get("product_id")
                and not vals.get("sale_line_id")
            ):
                line = orders[vals["sale_order_id"]].order_line.filtered(
                    lambda ol, v=vals: ol.product_id.id == v["product_id"]
                )[:1]
                vals["sale_line_id"] = line.id

    # ------------------------------------------------------------ from an e-mail to the alias
    def _qc_fill_from_mails(self, msg_dict):
        for ticket in self:
            ticket._qc_fill_from_mail(msg_dict)

    def _qc_fill_from_mail(self, msg_dict):
        """Table 1 from the orders and lots an e-mail to the alias names.

        Only the sender's own: an order sold to the sender's commercial partner
        (by its number, or by the customer's own reference on it), a lot
        delivered to that customer. Whatever else the e-mail names is left out,
        with an internal note saying what and why. Only the mail gateway fills
        (it runs as superuser, with the e-mail's author): a call over RPC fills
        nothing, whatever it passes as author."""
        self.ensure_one()
        if not (self.env.su and self.is_quality_complaint):
            return
        words = self._qc_mail_words(msg_dict)
        if not words:
            return
        company = self.company_id or self.env.company
        env = company_env(self.env, company)  # a note for everyone on the complaint
        sender = self.env["res.partner"].browse(msg_dict.get("author_id") or []).exists()
        customer = sender.commercial_partner_id
        refusal = False
        if not customer:
            refusal = env._("the sender is not a known customer")
        elif self.partner_id.commercial_partner_id != customer:
            refusal = env._("the sender is not the complaint's customer")
        if refusal:
            customer = customer.browse()
        orders, lots, deliveries = self._qc_mail_candidates(words, company, customer)
        if refusal:
            names = dict.fromkeys(orders.mapped("name") + lots.mapped("name"))
            refused = [(name, refusal) for name in names]
            self._qc_note_unused_references(env, refused)
            return
        vals, refused = self._qc_mail_vals(env, customer, orders, lots, deliveries)
        if vals:
            try:
                with self.env.cr.savepoint():
                    self.write(vals)
            except UserError as error:
                refused.append((env._("Table 1"), error.args[0]))
        self._qc_note_unused_references(env, refused)

    @api.model
    def _qc_mail_words(self, msg_dict):
        """The words of the e-mail's subject and body that may name an order or a
        lot (whole words with a digit), as written and in capitals; at most
        MAIL_REFERENCE_MAX of them, so that any e-mail costs the same few queries."""
        text = "\n".join(
            (msg_dict.get("subject") or "", html2plaintext(msg_dict.get("body") or ""))
        )
        words = set()
        for match in MAIL_REFERENCE.finditer(text):
            word = match.group()
            if len(word) > MAIL_REFERENCE_LENGTH or not any(c.isdigit() for c in word):
                continue
            words.update((word, word.upper()))
            if len(words) >= MAIL_REFERENCE_MAX:
                break
        return sorted(words)

    def _qc_mail_candidates(self, words, company, customer):
        """The orders and lots of ``company`` that ``words`` name, and the done
        deliveries of those lots to ``customer`` (none for an unknown sender):
        three queries whatever the length of the e-mail."""
        domain = [("name", "in", words)]
        if customer:
            domain = [
                "|",
                *domain,
                "&",
                ("client_order_ref", "in", words),
                ("partner_id.commercial_partner_id", "=", customer.id),
            ]
        orders = self.env["sale.order"].search([("company_id", "=", company.id), *domain])
        lots = self.env["stock.lot"].search(
            [("name", "in", words), ("company_id", "in", [company.id, False])]
        )
        deliveries = self.env["stock.move.line"]
        if customer and lots:
            deliveries = deliveries.search(
                [
                    ("lot_id", "in", lots.ids),
                    ("state", "=", "done"),
                    ("location_dest_id.usage", "=", "customer"),
                    "|",
                    ("picking_partner_id.commercial_partner_id", "=", customer.id),
                    (
                        "move_id.sale_line_id.order_id.partner_id.commercial_partner_id",
                        "=",
                        customer.id,
                    ),
                ]
            )
        return orders, lots, deliveries

    def _qc_mail_vals(self, env, customer, orders, lots, deliveries):
        """(Table 1 values, [(reference, why it is not used)]) from the named
        ``orders`` and ``lots`` and the lots' ``deliveries`` to ``customer``."""
        refused = []
        own = orders.filtered(lambda o: o.partner_id.commercial_partner_id == customer)
        for order in orders - own:
            refused.append((order.name, env._("it was sold to another customer")))
        confirmed = own.filtered(lambda o: o.state == "sale")
        for order in own - confirmed:
            refused.append((order.name, env._("it is not a confirmed order")))
        own_lots = deliveries.lot_id
        for name in sorted(set(lots.mapped("name")) - set(own_lots.mapped("name"))):
            refused.append((name, env._("it was not delivered to this customer")))
        # The order: the one named; of several named, the one of the named lots;
        # none named, the one all the named lots were delivered on.
        lot_orders = deliveries.move_id.sale_line_id.order_id.filtered(lambda o: o.state == "sale")
        if len(confirmed) > 1:
            order = confirmed & lot_orders
            if len(order) != 1:
                for name in confirmed.mapped("name"):
                    refused.append(
                        (name, env._("several orders are named: choose the complained one"))
                    )
                order = order.browse()
            for name in (confirmed - order).mapped("name") if order else []:
                refused.append(
                    (
                        name,
                        env._("the named lots were delivered on order %(order)s", order=order.name),
                    )
                )
        elif confirmed:
            order = confirmed
        else:
            order = lot_orders if len(lot_orders) == 1 else lot_orders.browse()
        if order:
            on_order = deliveries.filtered(lambda ml: ml.move_id.sale_line_id.order_id == order)
            for name in sorted(set((own_lots - on_order.lot_id).mapped("name"))):
                refused.append(
                    (name, env._("it was not delivered on order %(order)s", order=order.name))
                )
            deliveries = on_order
        product = self.product_id or deliveries.product_id
        if len(product) > 1:
            for name in sorted(set(deliveries.lot_id.mapped("name"))):
                refused.append((name, env._("lots of several products are named")))
            deliveries, product = deliveries.browse(), product.browse()
        others = deliveries.filtered(lambda ml: ml.product_id != product)
        for name in sorted(set(others.lot_id.mapped("name"))):
            refused.append((name, env._("it is a lot of another product than the complaint's")))
        deliveries -= others
        vals = {}
        if order:
            vals["sale_order_id"] = order.id
            line = self._qc_mail_order_line(order, product, deliveries)
            if line:
                vals["sale_line_id"] = line.id
                product = product or line.product_id
        if deliveries:
            vals["lot_ids"] = [Command.set(deliveries.lot_id.ids)]
        if product and product != self.product_id:
            vals["product_id"] = product.id
        return vals, refused

    def _qc_mail_order_line(self, order, product, deliveries):
        """The complained line of ``order`` where it is unambiguous: the one the
        named lots were delivered on, else the only delivered line of the product
        (of any goods when the product is not known yet)."""
        if deliveries:
            lines = deliveries.move_id.sale_line_id
        else:
            lines = order.order_line.filtered(
                lambda line: (
                    not line.display_type
                    and line.product_id.type == "consu"
                    and (line.product_id == product if product else True)
                    and float_compare(
                        line.product_uom_id._compute_quantity(
                            line.qty_delivered, line.product_id.uom_id
                        ),
                        self.affected_qty,
                        precision_rounding=line.product_id.uom_id.rounding,
                    )
                    >= 0
                )
            )
        return lines if len(lines) == 1 else lines.browse()

    def _qc_note_unused_references(self, env, refused):
        """An internal note listing the references of an e-mail left out of Table 1."""
        if not refused:
            return
        items = Markup("").join(
            Markup("<li>%s: %s</li>") % (reference, why) for reference, why in refused
        )
        self.with_context(mail_create_nosubscribe=True).message_post(
            body=Markup("<p>%s</p><ul>%s</ul>")
            % (env._("These references of the e-mail were not used in Table 1:"), items),
            author_id=self.env.ref("base.partner_root").id,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    # ============================================================
    # Grading and its override (docs/process.md §2)
    # ============================================================

    # ------------------------------------------------------------ grading facts

    # ------------------------------------------------------------ grade

    # ------------------------------------------------------------ grading
    def _qc_unit_value(self):
        """Highest unit price (tax excluded, discount deducted) of the complained
        order lines, in company currency at the order date."""
        self.ensure_one()
        company = self.company_id or self.env.company
        value = 0.0
        for line in self._qc_order_lines():
            order = line.order_id
            price = line.price_reduce_taxexcl if line.product_uom_qty else line.price_unit
            date = (order.date_order or fields.Datetime.now()).date()
            converted = order.currency_id._convert(price, company.currency_id, company, date)
            value = max(value, converted)
        return value

    def _qc_lot_totals(self):
        """Affected quantity per (company, lot) over the registered complaints of the
        batch window, for the lots of ``self``, in one query per company."""
        totals = {}
        now = fields.Datetime.now()
        for company in self.company_id:
            tickets = self.filtered(lambda t, c=company: t.company_id == c)
            lots = tickets.lot_ids
            if not lots:
                continue
            groups = self.sudo()._read_group(
                [
                    ("is_quality_complaint", "=", True),
                    ("complaint_state", "=", "registered"),
                    ("duplicate_id", "=", False),  # a merged duplicate counts once
                    ("company_id", "=", company.id),
                    ("lot_ids", "in", lots.ids),
                    ("registered_date", ">=", now - timedelta(days=company.qc_batch_window_days)),
                ],
                ["lot_ids"],
                ["affected_qty:sum"],
            )
            for lot, qty in groups:
                if lot in lots:
                    totals[company.id, lot.id] = qty
        return totals

    def _qc_fired_rules(self, lot_totals):
        """The rules that fire for this complaint: {rule code: values of its reason}
        (``_qc_grade_fact_text`` writes the reason in the reader's language)."""
        self.ensure_one()
        company = self.company_id
        fired = {}
        if self.impact_level == "safety":
            fired["safety"] = {}
        if self.qc_regulator_threat:
            fired["threat"] = {}
        for lot in self.lot_ids:
            qty = lot_totals.get((company.id, lot.id), 0.0)
            if float_compare(qty, company.qc_batch_threshold, precision_digits=6) >= 0:
                fired["batch"] = {
                    "qty": f"{qty:g}",
                    "lot": lot.name,
                    "days": company.qc_batch_window_days,
                    "threshold": f"{company.qc_batch_threshold:g}",
                }
                break
        if self.impact_level == "main_function":
            fired["main_function"] = {}
        value = self._qc_unit_value()
        threshold = company.qc_high_value_threshold
        if float_compare(value, threshold, precision_digits=2) >= 0:
            fired["high_value"] = {
                "value": f"{value:,.2f}",
                "currency": company.currency_id.name,
                "threshold": f"{threshold:,.2f}",
            }
        return fired

    def _qc_grade_fact_text(self, code, values):
        """The reason of the fired rule ``code`` with its ``values``, in the
        language of the environment."""
        if code == "safety":
            return self.env._("Safety hazard reported by the customer.")
        if code == "threat":
            return self.env._("The customer threatens to go to regulators or the media.")
        if code == "batch":
            return self.env._(
                "Batch defect: %(qty)s units affected on lot %(lot)s within "
                "%(days)s days (threshold %(threshold)s).",
                **values,
            )
        if code == "main_function":
            return self.env._("The product's main function is lost.")
        if code == "high_value":
            return self.env._(
                "High-value product: unit value %(value)s %(currency)s (threshold %(threshold)s).",
                **values,
            )
        return code

    def _qc_grade_from_rules(self, fired, grades):
        """(grade, facts) for the fired rules among ``grades`` (most urgent first):
        ``facts`` is the ``qc_grade_facts`` of the complaint."""
        self.ensure_one()
        facts = []
        best = self.env["quality.complaint.grade"]
        for grade in grades:
            for rule in grade.rule_ids:
                if rule.code in fired:
                    facts.append([grade.id, rule.code, fired.pop(rule.code)])
                    best = best or grade
        if not best:
            best = grades[-1:]
            if best:
                facts.append([best.id, "none", {}])
        return best, facts

    def _qc_grade_reasons_text(self, facts, grade_names):
        """The reasons of ``facts`` (and of an override), one per line, in the
        language of the environment; ``grade_names``: {grade id: name} in it."""
        self.ensure_one()
        lines = []
        for grade_id, code, values in facts:
            grade = grade_names.get(grade_id, "-")
            if code == "none":
                lines.append(
                    self.env._(
                        "%(grade)s: no urgent or important fact (cosmetic or minor issue).",
                        grade=grade,
                    )
                )
            else:
                lines.append(f"{grade}: {self._qc_grade_fact_text(code, values)}")
        if self.grade_override_id:
            lines.append(
                self.env._(
                    "Overridden to %(grade)s by %(user)s: %(reason)s",
                    grade=self.grade_override_id.with_env(self.env).name,
                    user=self.grade_override_user_id.name or "-",
                    reason=self.grade_override_reason or "",
                )
            )
        return "\n".join(lines)

    @api.depends(
        "qc_grade_facts",
        "grade_reasons",
        "grade_override_id",
        "grade_override_reason",
        "grade_override_user_id",
    )
    @api.depends_context("lang")
    def _compute_grade_reasons_display(self):
        """The reasons in the reader's language, from the stored facts (complaints
        graded before the facts were kept show the reasons as written)."""
        grade_ids = {fact[0] for ticket in self for fact in ticket.qc_grade_facts or ()}
        grades = (
            self.env["quality.complaint.grade"]
            .sudo()
            .with_context(active_test=False)
            .browse(grade_ids)
            .exists()
        )
        names = {grade.id: grade.name for grade in grades}
        for ticket in self:
            if ticket.qc_grade_facts:
                ticket.grade_reasons_display = ticket._qc_grade_reasons_text(
                    ticket.qc_grade_facts, names
                )
            else:
                ticket.grade_reasons_display = ticket.grade_reasons

    def _qc_grade(self):
        """Grade the registered complaints of ``self`` from their facts.

        A complaint that makes one of its lots a batch defect upgrades every open
        complaint on that lot. Changed grades get new deadlines and are dispatched.

        The other complaints of the lot are shared by everyone registering on it:
        they are written only when their grade changes, and only when no other
        transaction holds or has just changed them (sixteen agents registering a
        bad lot's complaints at once must not queue or fail on them). When they
        are busy, the scheduled batch re-grade does it seconds later, from what
        every registration committed; so does it for lots that only the
        registrations of the same minute together make a batch defect.
        """
        complaints = self.filtered(
            lambda t: t.is_quality_complaint and t.complaint_state == "registered"
        )
        if not complaints:
            return
        lot_totals = complaints._qc_lot_totals()
        over_lots = complaints._qc_over_lots(lot_totals)
        siblings = self.browse()
        if over_lots:
            siblings = complaints._qc_lot_siblings(over_lots)
            if not lock_nowait(siblings, over_lots):
                siblings, over_lots = self.browse(), over_lots.browse()
            elif siblings:
                lot_totals = (complaints | siblings)._qc_lot_totals()
        regrade = self.env.ref(BATCH_REGRADE_CRON, raise_if_not_found=False)
        if complaints.lot_ids and regrade:
            regrade.sudo()._trigger()
        before = {ticket: ticket.grade_id for ticket in siblings}
        changed = complaints._qc_apply_grades(lot_totals, siblings)
        changed._qc_sla_plan()
        changed._qc_dispatch()
        (changed & siblings)._qc_notify_batch_regrade(before, over_lots, lot_totals, complaints)
        over_lots._qc_alert_batch_defect(complaints | siblings)

    def _qc_over_lots(self, lot_totals):
        """The lots of ``lot_totals`` at or over their company's batch threshold."""
        return self.env["stock.lot"].browse(
            [
                lot_id
                for (company_id, lot_id), qty in lot_totals.items()
                if float_compare(
                    qty,
                    self.env["res.company"].browse(company_id).qc_batch_threshold,
                    precision_digits=6,
                )
                >= 0
            ]
        )

    def _qc_lot_siblings(self, lots):
        """The other open registered complaints on ``lots`` that a batch defect
        could still upgrade: those already graded by a batch-defect rule are not
        read again (a bad lot's hundredth complaint costs what its tenth did)."""
        batch_grades = (
            self.env["quality.complaint.grade"]
            .sudo()
            .with_context(active_test=False)
            .search([("rule_ids.code", "=", "batch")])
        )
        return self.search(
            [
                ("is_quality_complaint", "=", True),
                ("complaint_state", "=", "registered"),
                ("lot_ids", "in", lots.ids),
                ("stage_id.closed", "=", False),
                ("grade_auto_id", "not in", batch_grades.ids),
                ("id", "not in", self.ids),
            ]
        )

    def _qc_apply_grades(self, lot_totals, siblings):
        """Write the grades the rules give to ``self`` and ``siblings`` (these only
        when their grade changes); returns the complaints whose grade changed."""
        grades_by_company = {}
        changed = self.browse()
        sibling_ids = set(siblings.ids)
        for ticket in self | siblings:
            company = ticket.company_id
            if company not in grades_by_company:
                grades_by_company[company] = self.env["quality.complaint.grade"]._qc_grades_for(
                    company
                )
            fired = ticket._qc_fired_rules(lot_totals)
            auto, facts = ticket._qc_grade_from_rules(fired, grades_by_company[company])
            grade = ticket.grade_override_id or auto
            if ticket.id in sibling_ids and ticket.grade_auto_id == auto:
                continue
            # What the record keeps (exports) is in the company's language; the
            # screens render the facts in each reader's (grade_reasons_display).
            written = ticket.with_env(company_env(self.env, company))
            grades = grades_by_company[company].with_env(written.env)
            reasons = written._qc_grade_reasons_text(facts, {g.id: g.name for g in grades})
            vals = {}
            if ticket.grade_auto_id != auto:
                vals["grade_auto_id"] = auto.id
            if ticket.grade_reasons != reasons:
                vals["grade_reasons"] = reasons
            if ticket.qc_grade_facts != facts:
                vals["qc_grade_facts"] = facts
            if ticket.grade_id != grade:
                changed |= ticket
                vals["grade_id"] = grade.id
            if vals:
                ticket.sudo().write(vals)
        return changed

    @api.model
    def _cron_regrade_batch_lots(self):
        """Scheduled (and woken by every registration on a lot): the lots that the
        complaints registered since the last run made batch defects upgrade their
        other open complaints, which a registration left busy to another one."""
        cron = self.env.ref(BATCH_REGRADE_CRON, raise_if_not_found=False)
        now = fields.Datetime.now()
        # transactions that began before the last run may have committed after it
        since = min((cron and cron.lastcall) or now, now) - timedelta(minutes=10)
        recent = self.search(
            [
                ("is_quality_complaint", "=", True),
                ("complaint_state", "=", "registered"),
                ("registered_date", ">=", since),
                ("lot_ids", "!=", False),
            ]
        )
        over_lots = recent._qc_over_lots(recent._qc_lot_totals())
        if not over_lots:
            return
        on_lots = recent.browse()._qc_lot_siblings(over_lots)
        lot_totals = on_lots._qc_lot_totals()
        if not lock_nowait(on_lots, over_lots):
            if cron:
                cron._trigger(now + timedelta(seconds=30))  # busy now: again shortly
            return
        before = {ticket: ticket.grade_id for ticket in on_lots}
        changed = self.browse()._qc_apply_grades(lot_totals, on_lots)
        changed._qc_sla_plan()
        changed._qc_dispatch()
        changed._qc_notify_batch_regrade(before, over_lots, lot_totals, recent)
        over_lots._qc_alert_batch_defect(on_lots)

    def _qc_notify_batch_regrade(self, before, over_lots, lot_totals, tipping):
        """The complaints of ``self`` were re-graded because ``over_lots`` became
        batch defects: a note in each chatter says why and which complaint of
        ``tipping`` (the newest registered on the lot) tipped it, and each assignee
        gets one notification for all of theirs, in their language. ``before``:
        {complaint: grade before}."""
        if not self:
            return
        notes, by_user = {}, {}
        for ticket in self:
            lot = (ticket.lot_ids & over_lots)[:1]
            company = ticket.company_id or self.env.company
            others = tipping.filtered(lambda t, lot=lot, me=ticket: lot in t.lot_ids and t != me)
            tipper = others.sorted(lambda t: (t.registered_date, t.id))[-1:]
            args = {
                "old": before[ticket],
                "new": ticket.grade_id,
                "complaint": tipper.number or "-",
                "lot": lot.name,
                "qty": f"{lot_totals.get((company.id, lot.id), 0.0):g}",
                "days": company.qc_batch_window_days,
                "threshold": f"{company.qc_batch_threshold:g}",
            }
            notes[ticket.id] = args
            if ticket.user_id:
                by_user.setdefault(ticket.user_id, []).append(ticket)

        def text(env, args):
            return env._(
                "Re-graded from %(old)s to %(new)s: complaint %(complaint)s made lot %(lot)s "
                "a batch defect (%(qty)s units affected within %(days)s days, threshold "
                "%(threshold)s).",
                **{
                    **args,
                    "old": args["old"].with_env(env).name or "-",
                    "new": args["new"].with_env(env).name,
                },
            )

        self._message_log_batch({tid: text(self.env, args) for tid, args in notes.items()})
        for user, tickets in by_user.items():
            env = self.with_context(lang=user.lang or self.env.lang).env
            items = Markup("").join(
                Markup("<li>%s: %s</li>") % (t.display_name, text(env, notes[t.id]))
                for t in tickets
            )
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                subject=env._("%s complaint(s) re-graded: batch defect", len(tickets)),
                body=Markup("<p>%s</p><ul>%s</ul>")
                % (env._("Complaints assigned to you were re-graded:"), items),
                model=self._name if len(tickets) == 1 else False,
                res_id=tickets[0].id if len(tickets) == 1 else False,
            )

    # ------------------------------------------------------------ overrides
    @role(OFFICER, refusal="_qc_check_may_override")
    def action_open_grade_override(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Grade"),
            "res_model": "quality.complaint.grade.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _qc_check_may_override(self):
        if not self.env.user.has_group("quality_complaint.group_complaint_officer"):
            raise AccessError(self.env._("Only a quality officer can override or clear a grade."))

    def _qc_override_grade(self, grade, reason):
        """A quality officer sets the grade, with a reason; the rules keep theirs."""
        self.ensure_one()
        self._qc_check_may_override()
        if self.complaint_state != "registered":
            raise UserError(
                self.env._(
                    "%(ticket)s is not registered yet: it has no grade to override.",
                    ticket=self.display_name,
                )
            )
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the override."))
        self.sudo().write(
            {
                "grade_override_id": grade.id,
                "grade_override_reason": reason,
                "grade_override_user_id": self.env.user.id,
            }
        )
        env = company_env(self.env, self.company_id)  # a note for everyone
        self.message_post(
            body=env._(
                "Grade overridden to %(grade)s by %(user)s: %(reason)s",
                grade=grade.with_env(env).name,
                user=self.env.user.name,
                reason=reason,
            ),
            subtype_xmlid="mail.mt_note",
        )
        self._qc_grade()

    @role(OFFICER, refusal="_qc_check_may_override")
    def action_clear_grade_override(self):
        self._qc_check_may_override()
        tickets = self.filtered("grade_override_id")
        envs = company_envs(self.env, tickets)  # notes for everyone
        for ticket in tickets:
            env = envs[ticket.company_id]
            ticket.message_post(
                body=env._(
                    "Grade override %(grade)s cleared: the rules grade the complaint again.",
                    grade=ticket.grade_override_id.with_env(env).name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        tickets.sudo().write(
            {
                "grade_override_id": False,
                "grade_override_reason": False,
                "grade_override_user_id": False,
            }
        )
        tickets._qc_grade()
        return True

    # ============================================================
    # Dispatch: the responsibles' activities (docs/process.md §2)
    # ============================================================

    # ------------------------------------------------------------ assignment
    def _qc_assignment_candidates(self):
        """Who may be given the complaint: the grade's responsible users, else the
        members of the helpdesk team (helpdesk_mgmt has no assignment method of its
        own, only 'assign to the creating user' as a default)."""
        self.ensure_one()
        users = self.grade_id.user_ids or self.team_id.user_ids
        return users.filtered(lambda u: u.active and not u.share)

    def _qc_assign(self):
        """Assign the complaints of ``self`` that need it, load-balanced.

        - A complaint without an assignee, never assigned automatically, goes to
          the candidate (see ``_qc_assignment_candidates``) with the fewest open
          complaints; an assignee chosen by hand is always kept.
        - On a regrade, a complaint still held by the user it was assigned to
          automatically, and not yet answered, moves to the new grade's users when
          that user is not one of them; once somebody changed the assignee by hand
          (or removed it) the complaint is not reassigned any more.

        One count query for the batch, one write per chosen user.
        """
        auto = {t.id: t.qc_auto_assignee_id for t in self.sudo()}
        todo = {}
        for ticket in self.filtered(lambda t: t.is_quality_complaint).sorted("id"):
            candidates = ticket._qc_assignment_candidates()
            if not candidates:
                continue
            if not ticket.user_id and not auto[ticket.id]:
                todo[ticket] = candidates
            elif (
                ticket.user_id
                and ticket.user_id == auto[ticket.id]
                and not ticket.first_response_date
                and ticket.user_id not in candidates
            ):
                todo[ticket] = candidates
        if not todo:
            return
        users = self.env["res.users"].union(*todo.values())
        load = dict.fromkeys(users, 0)
        groups = self.sudo()._read_group(
            [
                ("is_quality_complaint", "=", True),
                ("stage_id.closed", "=", False),
                ("user_id", "in", users.ids),
                ("id", "not in", [t.id for t in todo]),
            ],
            ["user_id"],
            ["__count"],
        )
        load.update(dict(groups))
        chosen = {}
        for ticket, candidates in todo.items():
            user = min(candidates, key=lambda u: (load[u], u.id))
            load[user] += 1
            chosen.setdefault(user, []).append(ticket.id)
        # The team and the stage stay as they are: helpdesk_mgmt would recompute
        # both on a change of assignee, searching the team's stages once per ticket.
        # The assignee hears of the complaint with its activity, in one batch.
        kept = [self._fields["team_id"], self._fields["stage_id"]]
        for user, ticket_ids in chosen.items():
            tickets = self.browse(ticket_ids)
            with self.env.protecting(kept, tickets.filtered("team_id")):
                tickets.sudo().with_context(mail_auto_subscribe_no_notify=True).write(
                    {"user_id": user.id, "qc_auto_assignee_id": user.id}
                )

    def _qc_follow_grade_users(self):
        """The grade's responsible users follow its complaints (one subscription
        per grade for the batch)."""
        for grade in self.grade_id:
            partners = grade.user_ids.partner_id
            if partners:
                self.filtered(lambda t, g=grade: t.grade_id == g).message_subscribe(
                    partner_ids=partners.ids
                )

    # ------------------------------------------------------------ dispatch
    def _qc_dispatch(self):
        """Assignment, the 'contact the customer' activity, the customer's message.

        The complaint is assigned first (see ``_qc_assign``); the activity belongs
        to its assignee, the grade's responsible users follow the complaint and each
        get the activity only when nobody is assigned. On a regrade the activity
        thus moves only with the complaint: when ``_qc_assign`` hands an automatic,
        still unanswered assignment to the new grade's users (or when the assignee
        was changed by hand since the last dispatch). Only what changed: an owner
        already holding the activity keeps it (with the new deadline), a previous
        owner loses it, the customer hears once per grade.
        """
        tickets = self.filtered(lambda t: t.grade_id and not t.first_response_date)
        if not tickets:
            return
        tickets._qc_assign()
        tickets._qc_follow_grade_users()
        existing = tickets.sudo().activity_search([CONTACT_ACTIVITY], only_automated=False)
        plans = []
        obsolete = self.env["mail.activity"]
        for ticket in tickets:
            users = ticket.user_id or ticket.grade_id.user_ids
            mine = existing.filtered(lambda a, t=ticket: a.res_id == t.id)
            keep = mine.filtered(lambda a, u=users: a.user_id in u)
            obsolete |= mine - keep
            for activity in keep:
                activity.with_context(mail_activity_quick_update=True).write(
                    ticket._qc_contact_activity_values(activity.user_id)
                )
            plans += [
                (
                    ticket,
                    {
                        "user_id": user.id,
                        "note": ticket.with_env(reader_env(self.env, user)).grade_reasons_display,
                        **ticket._qc_contact_activity_values(user),
                    },
                )
                for user in users - keep.user_id
            ]
        obsolete.unlink()
        if plans:
            tickets._qc_schedule_activities(CONTACT_ACTIVITY, plans)._qc_notify_assignees()
        tickets.filtered(lambda t: t.grade_id != t.grade_announced_id)._qc_queue_customer_messages()

    def _qc_contact_activity_values(self, user):
        """Summary and due date of ``user``'s 'contact the customer' activity, in
        the user's language and time zone."""
        self.ensure_one()
        deadline = self._qc_time_formatter(user.tz)(self)
        env = self.with_context(lang=user.lang or self.env.lang).env
        return {
            "summary": env._(
                "%(grade)s: contact the customer by %(deadline)s",
                grade=self.grade_id.with_env(env).name,
                deadline=deadline,
            ),
            "date_deadline": fields.Date.context_today(
                self.with_context(tz=user.tz or "UTC"), self.response_deadline
            ),
        }

    def _qc_department_head(self):
        """Who hears of a late result, a dissatisfied customer or an overdue
        call-back: the team's department head, else the company's quality manager,
        else the first quality manager (group) of the company."""
        self.ensure_one()
        company = self.company_id or self.env.company
        head = self.team_id.qc_department_head_id or company.qc_quality_manager_id
        if head:
            return head
        managers = self.env.ref("quality_complaint.group_complaint_manager").sudo().all_user_ids
        return managers.filtered(
            lambda u: u.active and not u.share and company in u.company_ids and u.id != 1
        ).sorted("id")[:1]

    def _qc_alert_department_head(
        self, summary, note, activity_xmlid="mail.mail_activity_data_todo"
    ):
        """An activity for each complaint's department head, due today; a chatter
        note where there is nobody to tell. ``summary(env)`` and
        ``note(env, ticket)`` are rendered in the recipient's language. Returns the
        complaints whose head was told."""
        today = fields.Date.context_today(self)
        plans = []
        orphans = self.browse()
        for ticket in self:
            head = ticket._qc_department_head()
            if not head:
                orphans |= ticket
                continue
            env = self.with_context(lang=head.lang or self.env.lang).env
            plans.append(
                (
                    ticket,
                    {
                        "user_id": head.id,
                        "date_deadline": today,
                        "summary": summary(env),
                        "note": note(env, ticket),
                    },
                )
            )
        self._qc_schedule_activities(activity_xmlid, plans)
        if orphans:
            envs = company_envs(self.env, orphans)
            orphans._message_log_batch(
                {
                    ticket.id: envs[ticket.company_id]._(
                        "%(what)s, but nobody is told: set a department head on the "
                        "team or a quality manager in the settings.",
                        what=summary(envs[ticket.company_id]),
                    )
                    for ticket in orphans
                }
            )
        return self - orphans

    # ============================================================
    # Customer messages: acknowledgement and response time, sent in batch (docs/process.md §1, §2)
    # ============================================================

    @api.depends_context("lang")
    @api.depends("grade_id.response_hours", "company_id.qc_first_contact_hours")
    def _compute_qc_contact_promise_text(self):
        for ticket in self:
            if ticket.grade_id:
                ticket.qc_contact_promise_text = self.env._(
                    "%(time)s (working hours)", time=ticket.grade_id.response_time_text
                )
            else:
                company = ticket.company_id or self.env.company
                ticket.qc_contact_promise_text = self.env._(
                    "%s hours", company.qc_first_contact_hours
                )

    def _qc_acknowledgement_template(self):
        template = self.env.ref(
            "quality_complaint.mail_template_complaint_acknowledgement", raise_if_not_found=False
        )
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: acknowledgement' was deleted: "
                    "restore it (update the Quality Complaints module) before registering "
                    "complaints, so that customers are acknowledged."
                )
            )
        return template

    # ------------------------------------------------------------ customer messages
    def _qc_queue_customer_messages(self):
        """Queue the customer's messages (acknowledgement, grade's response time)
        and wake their cron up: they are rendered and posted in batch, seconds
        later, off the user's request."""
        tickets = self.filtered(lambda t: t.partner_id and not t.qc_messages_due)
        if not tickets:
            return
        tickets.sudo().write({"qc_messages_due": True})
        self.env.ref("quality_complaint.ir_cron_customer_messages")._trigger()

    @api.model
    def _cron_send_customer_messages(self, batch_size=CUSTOMER_MESSAGE_BATCH):
        """Send the queued customer messages, each once, in batches; complaints
        another worker holds are left to it."""
        in_cron = bool(self.env.context.get("cron_id"))
        sent = 0
        while True:
            self.flush_model(["qc_messages_due"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT id FROM helpdesk_ticket WHERE qc_messages_due ORDER BY id"
                    " LIMIT %s FOR UPDATE SKIP LOCKED",
                    batch_size,
                )
            )
            tickets = self.browse([row[0] for row in rows]).with_context(qc_auto_message=True)
            if not tickets:
                break
            acknowledged = tickets._qc_send_acknowledgement()
            (tickets - acknowledged)._qc_announce_grade()
            tickets.sudo().write({"qc_messages_due": False})
            sent += len(tickets)
            if in_cron and not self.env["ir.cron"]._commit_progress(len(tickets)):
                break
            if len(tickets) < batch_size:
                break
        return sent

    def _qc_send_acknowledgement(self):
        """Send the 'complaint received' e-mail, once per complaint, with the
        contact promise: at registration (the graded promise), or at once when the
        customer filed it on the portal (the company's first-contact promise);
        returns the complaints acknowledged now."""
        pending = self.filtered(
            lambda t: (
                (t.complaint_state == "registered" or t._qc_filed_on_portal())
                and not t.ack_sent_date
                and t.partner_id
            )
        )
        if not pending:
            return pending
        template = self._qc_acknowledgement_template()
        pending.with_context(qc_auto_message=True)._qc_post_template(template)
        pending.sudo().write({"ack_sent_date": fields.Datetime.now()})
        # The acknowledgement told the customer the grade's response time.
        pending._qc_mark_grade_announced()
        return pending

    def _qc_filed_on_portal(self):
        """The customer filed this draft complaint themselves, on the portal's
        complaint form (``_qc_portal_file_complaint``): it is acknowledged when
        received, not at registration."""
        self.ensure_one()
        web = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False)
        return bool(web and self.channel_id == web and self.sudo().create_uid.share)

    def _qc_post_template(self, template):
        """Post ``template`` on every ticket as a message to its recipients, from
        who registered the complaint: rendered in batch, the e-mails queued a
        second later (``mail.template._qc_post_rendered``)."""
        template._qc_post_rendered(
            self.with_context(mail_post_autofollow_author_skip=True),
            lambda ticket, _rendered: {
                "author_id": (ticket.registered_by_id or self.env.user).partner_id.id
            },
        )

    def _qc_open_composer(self, template, **context):
        """Odoo's mail composer on the tickets with ``template``, to post a comment;
        ``context``: more keys for the composer (e.g. whom to call back on send)."""
        return {
            "type": "ir.actions.act_window",
            "name": template.name,
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_composition_mode": "comment",
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_template_id": template.id,
                "default_subtype_xmlid": "mail.mt_comment",
                "default_message_type": "comment",
                **context,
            },
        }

    def _qc_announce_grade(self):
        """One short update when a regrade changes the promised response time.

        The acknowledgement already carried the first grade's promise; a new grade
        with the same response time says nothing. The messages are rendered in
        batch per template, each in the customer's language. A grade without a
        customer message is said in the chatter, never skipped silently.
        Returns the complaints told their new response time (quality_complaint_sms
        texts them too).
        """
        tickets = self.filtered(
            lambda t: t.partner_id and t.ack_sent_date and t.grade_id != t.grade_announced_id
        )
        same_promise = tickets.filtered(
            lambda t: (
                t.grade_announced_id
                and t.grade_announced_id.response_hours == t.grade_id.response_hours
            )
        )
        silent = (tickets - same_promise).filtered(lambda t: not t.grade_id.mail_template_id)
        if silent:
            _logger.warning(
                "Grades %s have no customer message: complaints %s were not told their "
                "new response time.",
                silent.grade_id.mapped("name"),
                silent.mapped("number"),
            )
            envs = company_envs(self.env, silent)
            silent._message_log_batch(
                {
                    ticket.id: envs[ticket.company_id]._(
                        "Grade %(grade)s has no customer message: the customer was not "
                        "told the response time. Set a mail template on the grade.",
                        grade=ticket.grade_id.with_env(envs[ticket.company_id]).name,
                    )
                    for ticket in silent
                }
            )
        to_tell = tickets - same_promise - silent
        for template in to_tell.grade_id.mail_template_id:
            batch = to_tell.filtered(lambda t, tpl=template: t.grade_id.mail_template_id == tpl)
            batch.with_context(qc_auto_message=True)._qc_post_template(template)
        tickets._qc_mark_grade_announced()
        return to_tell

    def _qc_mark_grade_announced(self):
        for grade in self.grade_id:
            self.filtered(lambda t, g=grade: t.grade_id == g).sudo().write(
                {"grade_announced_id": grade.id}
            )

    # ============================================================
    # Response clock and first response (docs/process.md §2)
    # ============================================================

    @api.depends("registered_date", "first_response_date")
    def _compute_qc_response_hours(self):
        for ticket in self:
            start, end = ticket.registered_date, ticket.first_response_date
            ticket.qc_response_hours = (
                max((end - start).total_seconds(), 0.0) / 3600 if start and end else 0.0
            )

    @api.depends("response_deadline", "sla_paused_since", "first_response_date")
    def _compute_sla_time_left(self):
        now = fields.Datetime.now()
        for ticket in self:
            if not ticket.response_deadline or ticket.first_response_date:
                ticket.sla_time_left = False
                continue
            if ticket.sla_paused_since:
                ticket.sla_time_left = self.env._("Paused: waiting for the customer")
                continue
            seconds = (ticket.response_deadline - now).total_seconds()
            minutes = int(abs(seconds) // 60)
            text = self.env._(
                "%(hours)s h %(minutes)02d min", hours=minutes // 60, minutes=minutes % 60
            )
            if seconds >= 0:
                ticket.sla_time_left = self.env._("%s left", text)
            else:
                ticket.sla_time_left = self.env._("%s overdue", text)

    # ------------------------------------------------------------ planning
    def _qc_sla_plan(self):
        """Start (or replan) the response clock of graded, registered complaints."""
        # A complaint already contacted keeps its met (or missed) first response.
        tickets = self.filtered(
            lambda t: t.grade_id and t.registered_date and not t.first_response_date
        )
        if not tickets:
            return
        values = {}
        for ticket in tickets:
            company = ticket.company_id or self.env.company
            values[ticket.id] = {
                "company_id": company.id,
                "calendar_id": company._qc_sla_calendar().id,
                "start": ticket.registered_date,
                "duration": ticket.grade_id.response_hours,
                "unit": "working_hours",
                "at_risk_percent": company.qc_sla_at_risk_percent,
                "frozen": ticket.stage_id.closed,
            }
        clocks = tickets._qc_deadline_plan(RESPONSE, values)
        for ticket, clock in zip(tickets, clocks, strict=True):
            if ticket.sla_deadline_id != clock:
                ticket.sudo().sla_deadline_id = clock

    def _qc_deadline_warn(self, kind, clocks):
        if kind != RESPONSE:
            return super()._qc_deadline_warn(kind, clocks)
        return self._qc_response_warn(clocks)

    def _qc_deadline_escalate(self, kind, clocks):
        if kind != RESPONSE:
            return super()._qc_deadline_escalate(kind, clocks)
        return self._qc_response_escalate(clocks)

    # ------------------------------------------------------------ events
    def _qc_response_warn(self, clocks):
        fmt = self._qc_time_formatter(False)
        envs = company_envs(self.env, self)
        self._message_log_batch(
            {
                ticket.id: envs[ticket.company_id]._(
                    "Response deadline at risk: the customer must be contacted by %(deadline)s.",
                    deadline=fmt(ticket),
                )
                for ticket in self
            }
        )

    def _qc_response_escalate(self, clocks):
        today = fields.Date.context_today(self)
        self._qc_schedule_activities(
            "mail.mail_activity_data_todo",
            [
                (
                    ticket,
                    {
                        "user_id": user.id,
                        "date_deadline": today,
                        "summary": self.with_context(lang=user.lang).env._(
                            "Response deadline missed"
                        ),
                    },
                )
                for ticket in self.filtered("grade_id.escalation_user_id")
                for user in ticket.grade_id.escalation_user_id
            ],
        )
        # Nobody to escalate to: at least the chatter says so.
        orphans = self.filtered(lambda t: not t.grade_id.escalation_user_id)
        if orphans:
            envs = company_envs(self.env, orphans)
            orphans._message_log_batch(
                {
                    ticket.id: envs[ticket.company_id]._(
                        "Response deadline missed, but the grade has no escalation user: "
                        "set one on the grade."
                    )
                    for ticket in orphans
                }
            )
        self._qc_send_escalation_digests()

    @api.model
    def _qc_time_formatter(self, tz_name):
        """A cheap 'YYYY-MM-DD HH:MM (tz)' formatter of the deadlines, for long lists."""
        tz = pytz.timezone(tz_name or "UTC")

        def format_deadline(ticket):
            moment = pytz.utc.localize(ticket.response_deadline).astimezone(tz)
            return f"{moment:%Y-%m-%d %H:%M} ({tz.zone})"

        return format_deadline

    def _qc_send_escalation_digests(self):
        """One e-mail per escalation user listing the complaints that just breached,
        in that user's language and time zone."""
        for user in self.grade_id.escalation_user_id:
            tickets = self.filtered(lambda t, u=user: t.grade_id.escalation_user_id == u)
            company = tickets[:1].company_id
            env = self.with_context(lang=user.lang or self.env.lang).env
            body = env["ir.qweb"]._render(
                "quality_complaint.sla_escalation_digest",
                {
                    "user": user,
                    "tickets": tickets.with_env(env),
                    "deadline": self._qc_time_formatter(user.tz),
                },
            )
            single = len(tickets) == 1
            self.env["mail.mail"].sudo().create(
                {
                    "subject": env._(
                        "Escalation: %(count)s complaint(s) missed the response deadline",
                        count=len(tickets),
                    ),
                    "body_html": body,
                    "email_from": company.email_formatted or self.env.user.email_formatted,
                    "recipient_ids": [Command.link(user.partner_id.id)],
                    "model": self._name if single else False,
                    "res_id": tickets.id if single else False,
                    "auto_delete": True,
                }
            )

    # ------------------------------------------------------------ first response
    def _qc_record_first_response(self):
        tickets = self.filtered(
            lambda t: t.complaint_state == "registered" and not t.first_response_date
        )
        if not tickets:
            return
        tickets.sudo().sla_deadline_id._mark_done(fields.Datetime.now(), self.env.user)
        tickets._qc_close_activities_of(CONTACT_ACTIVITY, self.env._("Customer contacted."))

    @role(CUSTOMER_SERVICE)
    def action_contacted_customer(self):
        """The responsible has contacted the customer: the first response is done."""
        for ticket in self:
            if not ticket.is_quality_complaint or ticket.complaint_state != "registered":
                raise UserError(
                    self.env._(
                        "%(ticket)s is not a registered complaint: register it first.",
                        ticket=ticket.display_name,
                    )
                )
        self._qc_record_first_response()
        return True

    def _qc_on_message_posted(self, message):
        """On a message: the first message of customer service (whoever works
        complaints) to the customer is the first response; another employee who
        reads the ticket does not stop the clock."""
        if (
            len(self) == 1
            and not self.env.context.get("qc_auto_message")
            and self.env.user.has_group(CUSTOMER_SERVICE)
            and self.is_quality_complaint
            and self.complaint_state == "registered"
            and not self.first_response_date
            and self._qc_is_message_to_customer(message)
        ):
            self._qc_record_first_response()

    def _qc_is_message_to_customer(self, message):
        """An outgoing message of the company's staff that reaches the customer."""
        self.ensure_one()
        customer = self.partner_id
        if not customer or message.message_type != "comment" or message.is_internal:
            return False
        if message.subtype_id != self.env.ref("mail.mt_comment"):
            return False
        if message.author_id == customer:
            return False
        return customer in message.partner_ids or customer in self.message_partner_ids

    # ------------------------------------------------------------ pause
    def _qc_on_stage_changed(self):
        """On a stage change: waiting for the customer pauses the clock, closing freezes it."""
        now = fields.Datetime.now()
        tickets = self.filtered(lambda t: t.sla_deadline_id and not t.first_response_date)
        if not tickets:
            return
        to_freeze = tickets.filtered(
            lambda t: t.stage_id.closed and not t.sudo().sla_deadline_id.frozen
        )
        to_thaw = tickets.filtered(
            lambda t: not t.stage_id.closed and t.sudo().sla_deadline_id.frozen
        )
        to_freeze.sudo().sla_deadline_id._freeze(True, now)
        to_thaw.sudo().sla_deadline_id._freeze(False, now)
        pausing = tickets.filtered(
            lambda t: t.stage_id.qc_pauses_sla and not t.stage_id.closed and not t.sla_paused_since
        )
        pausing.sudo().sla_deadline_id._pause(now)
        resuming = tickets.filtered(lambda t: t.sla_paused_since and not t.stage_id.qc_pauses_sla)
        resumed = resuming.sudo().sla_deadline_id
        resumed._resume(now)
        resumed._plan()

    # ============================================================
    # Closing rules; closed complaints read-only (docs/process.md §6)
    # ============================================================

    def _qc_missing_for_stage(self, stage):
        """What the complaint still lacks to stand in ``stage`` (False: nothing):
        the stage's step first, then the closing rules."""
        missing = self._qc_missing_for_step(stage)
        if (
            not missing
            and stage.closed
            and stage.qc_cancels
            and self.complaint_state != "draft"
            and not (self.sudo().qc_cancel_reason or "").strip()
            and not self.sudo().duplicate_id  # helpdesk_mgmt's duplicate: the reason
        ):
            return self.env._("say why it is cancelled (Cancel Complaint).")
        if missing or stage._qc_required_step() != "done":
            return missing
        items = self._qc_missing_for_closing()
        return "; ".join(items) + "." if items else False

    def _qc_missing_for_closing(self):
        """What the complaint lacks to close, one item per line of the rule; the
        base asks nothing more than the step's own rule (the customer contacted).
        Extended by quality_complaint_remedy (remedies executed, feedback recorded,
        call-back done or waived)."""
        self.ensure_one()
        return []

    def _qc_check_closing_write(self, vals):
        """On write, before the write and for every writer (the superuser too): a
        registered complaint is not un-flagged, and a complaint enters a closed
        stage only by the rules. Returns what the after-write check compares with
        (``_qc_check_closing_entry``): {id: (is a complaint, stage id)}."""
        if "is_quality_complaint" in vals and not vals["is_quality_complaint"]:
            registered = self.filtered(
                lambda t: t.is_quality_complaint and t.complaint_state != "draft"
            )
            if registered:
                raise UserError(
                    self.env._(
                        "%(ticket)s is a registered complaint: it stays a quality complaint. "
                        "If it was a mistake or the customer withdrew it, move it to a stage "
                        "that cancels complaints (Cancelled).",
                        ticket=registered[0].display_name,
                    )
                )
        before = {ticket.id: (ticket.is_quality_complaint, ticket.stage_id.id) for ticket in self}
        stage_id = vals.get("stage_id")
        stage = self.env["helpdesk.ticket.stage"]
        if isinstance(stage_id, int) and stage_id:
            stage = stage.browse(stage_id)
        elif "stage_id" in vals:
            return before  # not a plain id: the after-write check sees where it lands
        flagged = vals.get("is_quality_complaint")
        for ticket in self:
            target = stage or ticket.stage_id
            if "is_quality_complaint" in vals:
                complaint = bool(flagged)
            else:
                complaint = ticket.is_quality_complaint
            if complaint and target.closed and before[ticket.id] != (True, target.id):
                ticket._qc_check_may_stand_in(target)
                # Checked: the after-write check passes it when it ends up there.
                before[ticket.id] = (True, target.id)
        return before

    @api.model
    def _qc_check_closing_create(self, vals_list):
        """On create, before the create and for every creator: a complaint is
        created in a closed stage only when that stage takes a complaint that is
        being registered (a cancelling stage). What defaults fill in is checked
        after the create (``_qc_check_closing_entry``)."""
        Stage = self.env["helpdesk.ticket.stage"]
        Team = self.env["helpdesk.ticket.team"]
        for vals in vals_list:
            stage_id, team_id = vals.get("stage_id"), vals.get("team_id")
            if not isinstance(stage_id, int) or not stage_id:
                continue
            stage = Stage.browse(stage_id)
            team = Team.browse(team_id) if isinstance(team_id, int) and team_id else Team
            if not stage.closed or not (
                vals.get("is_quality_complaint") or team.qc_is_quality_team
            ):
                continue
            missing = self.new({"is_quality_complaint": True})._qc_missing_for_stage(stage)
            if missing:
                raise UserError(
                    self.env._(
                        "%(ticket)s cannot move to %(stage)s yet: %(missing)s",
                        ticket=vals.get("name") or "-",
                        stage=stage.name,
                        missing=missing,
                    )
                )

    def _qc_check_closing_entry(self, before=None):
        """After create and write, for every writer: the complaints that now stand in
        a closed stage they were not in as complaints (``before``, from
        ``_qc_check_closing_write``; None on create) meet its rules."""
        before = before or {}
        for ticket in self:
            stage = ticket.stage_id
            if not (ticket.is_quality_complaint and stage.closed):
                continue
            if before.get(ticket.id) != (True, stage.id):
                ticket._qc_check_may_stand_in(stage)

    def _qc_check_closed_write(self, vals):
        """On write: a closed complaint is read-only except for a quality manager,
        whose changes go to the chatter. Message and activity bookkeeping, and what
        the system writes as superuser, pass."""
        if self.env.su:
            return
        closed = self.filtered(lambda t: t.is_quality_complaint and t.stage_id.closed)
        if not closed:
            return
        changed = vals.keys() - self._qc_bookkeeping_fields()
        if not changed:
            return
        if not self.env.user.has_group(QC_MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "%(ticket)s is closed: only a quality manager can change it.",
                    ticket=closed[0].display_name,
                )
            )
        bodies = {}
        for company, env in company_envs(self.env, closed).items():  # notes for everyone
            labels = sorted(
                self._fields[name]._description_string(env)
                for name in changed
                if name in self._fields
            )
            bodies[company] = Markup("<p>%s</p><ul>%s</ul>") % (
                env._("Changed after closing by %s:", self.env.user.name),
                Markup("").join(Markup("<li>%s</li>") % label for label in labels),
            )
        closed._message_log_batch({ticket.id: bodies[ticket.company_id] for ticket in closed})

    @api.depends_context("uid")
    @api.depends("is_quality_complaint", "stage_id.closed")
    def _compute_qc_locked(self):
        """From the saved stage: a move to a closed stage in the form must still be
        sent (and refused or accepted by the server)."""
        manager = self.env.user.has_group(QC_MANAGER_GROUP)
        for ticket in self:
            saved = ticket._origin
            ticket.qc_locked = bool(
                saved and saved.is_quality_complaint and saved.stage_id.closed and not manager
            )

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """Every field of the ticket form is read-only on a closed complaint for
        those who cannot change it (``qc_locked``), as the server refuses it."""
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type != "form":
            return arch, view
        for node in arch.xpath("//field[not(ancestor::field)][not(@name='qc_locked')]"):
            readonly = (node.get("readonly") or "").strip()
            field = self._fields.get(node.get("name"))
            if readonly in ("1", "True", "true") or (not readonly and field and field.readonly):
                continue
            if readonly and readonly not in ("0", "False", "false"):
                node.set("readonly", f"qc_locked or ({readonly})")
            else:
                node.set("readonly", "qc_locked")
        if not arch.xpath("//field[@name='qc_locked']"):
            arch.append(arch.makeelement("field", {"name": "qc_locked", "invisible": "1"}))
        return arch, view

    def _qc_bookkeeping_fields(self):
        """Fields of the mail mixins: followers, messages, activities, attachments."""
        return (
            set(self.env["mail.thread"]._fields)
            | set(self.env["mail.activity.mixin"]._fields)
            | {"message_main_attachment_id"}
        )

    def _qc_cancel_stage(self):
        """The complaint team's stage a cancelled complaint goes to: one that cancels
        complaints (closed, *Cancels the complaint*)."""
        self.ensure_one()
        stages = self.sudo().team_id._get_applicable_stages()
        return stages.filtered(lambda s: s.closed and s.qc_cancels)[:1]

    def _qc_cancel(self, reason):
        """Cancel the open complaints, with ``reason`` (kept and tracked)."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the complaint is cancelled."))
        for ticket in self:
            if not ticket.is_quality_complaint or ticket.stage_id.closed:
                raise UserError(self.env._("%s is not an open complaint.", ticket.display_name))
            stage = ticket._qc_cancel_stage()
            if not stage:
                raise UserError(
                    self.env._(
                        "%s: its team has no stage that cancels complaints.",
                        ticket.display_name,
                    )
                )
            # the reason first: the stage's rule reads it
            ticket.write({"qc_cancel_reason": reason})
            ticket.write({"stage_id": stage.id})

    @role(CUSTOMER_SERVICE)
    def action_cancel_complaint(self):
        """Cancel Complaint: ask for the reason (wizard)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel the Complaint"),
            "res_model": "quality.complaint.cancel.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    @role(CUSTOMER_SERVICE)
    def action_close_complaint(self):
        """Close the complaint: move it to its team's closing stage, once it may."""
        for ticket in self:
            stage = ticket.team_id._get_applicable_stages().filtered(lambda s: s.qc_step == "done")[
                :1
            ]
            if not stage:
                raise UserError(
                    self.env._("%s: its team has no closing stage.", ticket.display_name)
                )
            ticket.stage_id = stage
        return True

    # ============================================================
    # The stages the case moves through
    # ============================================================

    @api.depends("team_id")
    def _compute_qc_stage_ids(self):
        for team in self.team_id:
            stages = team._get_applicable_stages()
            self.filtered(lambda t, tm=team: t.team_id == tm).qc_stage_ids = stages
        (self - self.filtered("team_id")).qc_stage_ids = self.env[
            "helpdesk.ticket.team"
        ]._get_applicable_stages()

    def _qc_move_to_step(self, step):
        """Move the complaints forward to their team's stage of ``step``; a complaint
        already at a later step, or closed, stays where it is."""
        order = STEP_ORDER[step]
        for team in self.team_id:
            stage = team._get_applicable_stages().filtered(lambda s, st=step: s.qc_step == st)[:1]
            if not stage:
                continue
            behind = self.filtered(
                lambda t, tm=team, sg=stage: (
                    t.team_id == tm
                    and t.stage_id != sg
                    and not t.stage_id.closed
                    and STEP_ORDER.get(t.stage_id.qc_step, -1) < order
                )
            )
            if behind:
                behind.sudo().write({"stage_id": stage.id})

    def _qc_move_back_to_step(self, step):
        """Move the complaints back to their team's stage of ``step`` (tracked)."""
        order = STEP_ORDER[step]
        for team in self.team_id:
            stage = team._get_applicable_stages().filtered(lambda s, st=step: s.qc_step == st)[:1]
            if not stage:
                continue
            ahead = self.filtered(
                lambda t, tm=team, sg=stage: (
                    t.team_id == tm
                    and t.stage_id != sg
                    and STEP_ORDER.get(t.stage_id.qc_step, -1) > order
                )
            )
            if ahead:
                ahead.sudo().write({"stage_id": stage.id})

    def _qc_check_stage_move(self, stage_id):
        """On write: a complaint goes by hand only to a step that is done."""
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id)
        for ticket in self.filtered("is_quality_complaint"):
            ticket._qc_check_may_stand_in(stage)

    def _qc_check_may_stand_in(self, stage):
        """Refuse, saying what is missing, unless the complaint may stand in ``stage``."""
        self.ensure_one()
        missing = self._qc_missing_for_stage(stage)
        if missing:
            raise UserError(
                self.env._(
                    "%(ticket)s cannot move to %(stage)s yet: %(missing)s",
                    ticket=self.display_name,
                    stage=stage.name,
                    missing=missing,
                )
            )

    def _qc_missing_for_step(self, stage):
        """What the complaint lacks for the step ``stage`` requires (False: nothing).
        Extended by quality_complaint_investigation (no investigation step without
        an investigation)."""
        self.ensure_one()
        step = stage._qc_required_step()
        registered = self.complaint_state == "registered"
        if (step or stage.qc_pauses_sla) and step != "received":
            if not registered:
                return self.env._("register it first (Register Complaint).")
        if step == "done" and not self.sudo().first_response_date:
            return self.env._("the customer must have been contacted first (Contacted Customer).")
        return False

    # ============================================================
    # The customer's portal page (docs/process.md §5)
    # ============================================================

    @api.depends("stage_id.closed", "stage_id.qc_step", "complaint_state")
    def _compute_qc_portal_status(self):
        for ticket in self:
            ticket.qc_portal_status = ticket.sudo()._qc_portal_status()

    @api.depends_context("lang")
    @api.depends("ack_sent_date", "grade_announced_id.response_hours")
    def _compute_qc_portal_promise(self):
        for ticket in self:
            ticket.qc_portal_promise = ticket.sudo()._qc_portal_promise()

    # ------------------------------------------------------------ helpers
    def _qc_portal_status(self):
        """The customer's step: the first rule that holds, from the end of the case
        backwards (``_qc_portal_status_rules``)."""
        self.ensure_one()
        rules = sorted(self._qc_portal_status_rules(), key=lambda rule: rule[0])
        return next((status for _rank, status, holds in rules if holds), "received")

    def _qc_portal_status_rules(self):
        """[(rank, status, holds)]: the rules of the customer's step, the lowest
        rank that holds wins. Extended by quality_complaint_investigation (under
        investigation, rank 50) and quality_complaint_remedy (remedy and feedback,
        ranks 10 to 40)."""
        self.ensure_one()
        stage = self.stage_id
        return [(0, "closed", stage.closed or stage.qc_step == "done")]

    def _qc_portal_promise(self):
        """Only what the customer was told: the announced grade's response time,
        or the company's first-contact promise of an acknowledgement without grade."""
        self.ensure_one()
        if not self.ack_sent_date:
            return False
        if self.grade_announced_id:
            return self.env._(
                "%(time)s (working hours)", time=self.grade_announced_id.response_time_text
            )
        company = self.company_id or self.env.company
        return self.env._("%s hours", company.qc_first_contact_hours)

    def _qc_portal_can_add_evidence(self):
        """Evidence is welcome while the registration still misses or questions
        something, and before the complaint is registered."""
        self.ensure_one()
        ticket = self.sudo()
        if not ticket.is_quality_complaint or ticket.stage_id.closed:
            return False
        return bool(
            ticket.complaint_state == "draft"
            or ticket.registration_missing
            or ticket.registration_to_confirm
        )

    def _qc_portal_steps(self, status, answered=False):
        """The progress tracker: each step done, current or to come; the feedback
        step is done once the customer answered."""
        current = PORTAL_STATUS_ORDER[status]
        labels = dict(self._fields["qc_portal_status"]._description_selection(self.env))
        steps = []
        for code, _label in PORTAL_STATUSES:
            index = PORTAL_STATUS_ORDER[code]
            if index < current or status == "closed" or (index == current and answered):
                state = "done"
            elif index == current:
                state = "current"
            else:
                state = "todo"
            steps.append({"code": code, "label": labels[code], "state": state})
        return steps

    def _qc_portal_values(self):
        """Everything the portal page shows of the complaint, as plain values.
        Extended by quality_complaint_remedy (the current plan's remedies and the
        satisfaction question)."""
        self.ensure_one()
        ticket = self.sudo()
        if not ticket.is_quality_complaint:
            return False
        status = ticket.qc_portal_status
        answered = ticket._qc_portal_step_answered(status)
        labels = dict(self._fields["qc_portal_status"]._description_selection(self.env))
        return {
            "status": status,
            "status_label": labels[status],
            "steps": self._qc_portal_steps(status, answered),
            "promise": ticket.qc_portal_promise,
            "answered": answered,
            "can_add_evidence": ticket._qc_portal_can_add_evidence(),
            "can_withdraw": ticket._qc_portal_can_withdraw(),
        }

    def _qc_portal_step_answered(self, status):
        """Whether the customer already did what the current step ``status`` asks
        of them (the tracker shows it done). Extended by quality_complaint_remedy
        (the feedback given); its portal values extend ``_qc_portal_values``."""
        return False

    # ------------------------------------------------------------ the customer acting
    def _qc_portal_customer(self, access_token=None):
        """The partner acting for the ticket's customer, or False: a portal user of
        the customer's commercial entity, or, in a public session, the ticket's
        customer when ``access_token`` is the ticket's own. Followers, employees
        and suppliers who can read the ticket are no customer."""
        self.ensure_one()
        ticket = self.sudo()
        user = self.env.user
        customer = ticket.partner_id
        if user._is_public():
            token = ticket.access_token
            if customer and access_token and token and consteq(token, str(access_token)):
                return customer
            return False
        if not user.share or not customer:
            return False
        if user.partner_id.commercial_partner_id == customer.commercial_partner_id:
            return user.partner_id
        return False

    def _qc_portal_check_customer(self, access_token=None):
        """The acting customer's partner; an AccessError for anybody else."""
        partner = self._qc_portal_customer(access_token)
        if not partner:
            number = self.sudo().number
            raise AccessError(
                self.env._("Only the customer of %(ticket)s can do this.", ticket=number)
            )
        return partner

    # ------------------------------------------------------------ files
    def _qc_portal_attachment_ids(self, viewer=None):
        """{ticket id: attachment ids} the portal shows of each ticket: the files of
        the messages its portal chatter shows and the files its customer uploaded
        (a portal user of the customer's commercial entity, or ``viewer``)."""
        tickets = self.sudo()
        result = {ticket.id: set() for ticket in tickets}
        if not tickets:
            return result
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search([("res_model", "=", self._name), ("res_id", "in", tickets.ids)])
        )
        if not attachments:
            return result
        messages = (
            self.env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "=", self._name),
                    ("res_id", "in", tickets.ids),
                    ("message_type", "in", PORTAL_MESSAGE_TYPES),
                    ("attachment_ids", "in", attachments.ids),
                    *self.env["mail.message"]._get_search_domain_share(),
                ]
            )
        )
        shown = set(messages.attachment_ids.ids)
        customers = {t.id: t.partner_id.commercial_partner_id for t in tickets}
        for attachment in attachments:
            author = attachment.create_uid
            own = viewer and author == viewer
            customer = customers[attachment.res_id]
            of_customer = (
                author.share and customer and author.partner_id.commercial_partner_id == customer
            )
            if attachment.id in shown or own or of_customer:
                result[attachment.res_id].add(attachment.id)
        return result

    def _qc_portal_attachments(self):
        """The files the portal page lists, oldest first, with an access token."""
        self.ensure_one()
        ids = self._qc_portal_attachment_ids(self.env.user)[self.id]
        attachments = self.env["ir.attachment"].sudo().browse(sorted(ids))
        for attachment in attachments:
            attachment.generate_access_token()
        return attachments

    # ------------------------------------------------------------ closing, withdrawing
    def _qc_portal_can_withdraw(self):
        self.ensure_one()
        ticket = self.sudo()
        return bool(
            ticket.is_quality_complaint and not ticket.stage_id.closed and ticket._qc_cancel_stage()
        )

    def _qc_portal_close(self, stage, access_token=None):
        """The customer closes their ticket from the portal (helpdesk_mgmt's close
        buttons) into ``stage``: one of the stages its page offers. A complaint
        closes only by its closing rules; to cancel it the customer withdraws it
        with a reason (``_qc_portal_withdraw``)."""
        self.ensure_one()
        self._qc_portal_check_customer(access_token)
        ticket = self.sudo()
        stage = stage.sudo().exists()
        if ticket.stage_id.closed:
            raise UserError(self.env._("This ticket is already closed."))
        if ticket.team_id:
            offered = ticket.team_id._get_applicable_stages()
        else:
            offered = stage.search(
                [("company_id", "in", [False, ticket.company_id.id]), ("team_ids", "=", False)]
            )
        if not stage or stage not in offered or not stage.close_from_portal:
            raise UserError(self.env._("This ticket cannot be closed into that stage."))
        if ticket.is_quality_complaint:
            if not stage.qc_step:
                raise UserError(
                    self.env._(
                        "To cancel your complaint, withdraw it and tell us why "
                        "(Withdraw my complaint)."
                    )
                )
            # The closing rules, as for anybody who moves the complaint.
            ticket._qc_check_stage_move(stage.id)
        # sudo: the portal user may not write tickets; who, where and the rules
        # are checked above, and only the stage is written.
        ticket.write({"stage_id": stage.id})
        return True

    def _qc_portal_withdraw(self, reason, access_token=None):
        """The customer withdraws their complaint: it moves to its team's Cancelled
        stage, their reason goes to the chatter and customer service (the assignee,
        else the team's leader or first member) gets an activity."""
        self.ensure_one()
        partner = self._qc_portal_check_customer(access_token)
        ticket = self.sudo()
        if not ticket.is_quality_complaint:
            raise UserError(self.env._("Only a quality complaint can be withdrawn."))
        if ticket.stage_id.closed:
            raise UserError(self.env._("This complaint is already closed."))
        reason = (reason or "").strip()[:MAX_WITHDRAW_REASON]
        if not reason:
            raise UserError(self.env._("Tell us why you withdraw your complaint."))
        stage = ticket._qc_cancel_stage()
        if not stage:
            raise UserError(
                self.env._("This complaint cannot be withdrawn here: please contact us.")
            )
        # sudo: checked above (the customer, an open complaint, its Cancelled stage).
        ticket.write({"qc_cancel_reason": reason})
        ticket._qc_check_stage_move(stage.id)
        ticket.write({"stage_id": stage.id})
        body = Markup("<p>%s</p>%s") % (
            self.env._("The customer withdrew the complaint. Their reason:"),
            plaintext2html(reason),
        )
        ticket.with_context(mail_create_nosubscribe=True).message_post(
            body=body,
            author_id=partner.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        team = ticket.team_id
        responsible = ticket.user_id or team.user_id or team.user_ids[:1]
        if responsible:
            ticket.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=reader_env(self.env, responsible)._("Complaint withdrawn by the customer"),
                note=plaintext2html(reason),
                user_id=responsible.id,
            )
        return True

    # ------------------------------------------------------------ filing on the portal
    @api.model
    def _qc_portal_intake_lines(self):
        """The order lines the current portal user may complain about: goods
        delivered (delivered quantity above zero) on confirmed orders of their
        commercial entity, in their companies. Read as the superuser: the domain
        itself holds them to the user's own customer."""
        domain = self._qc_portal_intake_domain()
        if domain is None:
            return self.env["sale.order.line"]
        return (
            self.env["sale.order.line"].sudo().search(domain, order="order_id desc, sequence, id")
        )

    @api.model
    def _qc_portal_intake_count(self):
        """How many lines the current portal user may complain about, counted by
        the database (the portal home shows it on every visit)."""
        domain = self._qc_portal_intake_domain()
        if domain is None:
            return 0
        return self.env["sale.order.line"].sudo().search_count(domain)

    @api.model
    def _qc_portal_intake_domain(self):
        """The domain of ``_qc_portal_intake_lines``; None for a user who is no
        portal customer."""
        user = self.env.user
        if not user.share or user._is_public():
            return None
        customer = user.partner_id.commercial_partner_id
        return [
            ("order_id.partner_id", "child_of", customer.id),
            ("order_id.state", "=", "sale"),
            ("order_id.company_id", "in", user.company_ids.ids),
            ("display_type", "=", False),
            ("product_id.type", "=", "consu"),
            ("qty_delivered", ">", 0),
        ]

    @api.model
    def _qc_portal_intake_lots(self, lines):
        """{line id: lots}: the lots delivered on each of ``lines`` (order lines
        already held to the customer), from their done move lines into a customer
        location."""
        Lot = self.env["stock.lot"].sudo()
        result = {line.id: Lot for line in lines}
        if not lines:
            return result
        move_lines = (
            self.env["stock.move.line"]
            .sudo()
            .search(
                [
                    ("move_id.sale_line_id", "in", lines.ids),
                    ("state", "=", "done"),
                    ("lot_id", "!=", False),
                    ("location_dest_id.usage", "=", "customer"),
                ]
            )
        )
        for move_line in move_lines:
            result[move_line.move_id.sale_line_id.id] |= move_line.lot_id
        return result

    @api.model
    def _qc_portal_defect_categories(self, company):
        """The defect categories a customer may choose for ``company``."""
        return (
            self.env["quality.complaint.defect.category"]
            .sudo()
            .search([("company_id", "in", [False, company.id])])
        )

    @api.model
    def _qc_portal_file_complaint(self, form, uploads):
        """The current portal user files a complaint about one of their delivered
        order lines. ``form``: the posted values, each read and checked here (no
        other key is used); ``uploads``: [(file name, content)], held to the
        company's upload limits. Raises a UserError and creates nothing when a
        value is wrong; else returns the complaint (sudo), on the quality team,
        through the web channel, its acknowledgement queued."""
        user = self.env.user
        if not user.share or user._is_public():
            raise AccessError(self.env._("Only a customer can file a complaint here."))
        line = self._qc_portal_form_line(form.get("line_id"))
        lots = self._qc_portal_form_lots(line, form.get("lot_ids") or [])
        company = line.order_id.company_id
        self._qc_portal_check_daily_limit(company)
        texts = {}
        for key, label in (
            ("description", self.env._("What happens")),
            ("occurrence", self.env._("When and where it happens")),
        ):
            text = (form.get(key) or "").strip()
            if not text:
                raise UserError(self.env._("Please fill in: %s.", label))
            texts[key] = text[:MAX_PORTAL_TEXT]
        impact = form.get("impact_level")
        if impact not in dict(IMPACT_LEVELS):
            raise UserError(self.env._("Please choose the impact of the defect."))
        request_code = form.get("customer_request")
        if request_code not in dict(CUSTOMER_REQUESTS):
            raise UserError(self.env._("Please choose what you ask for."))
        qty = self._qc_portal_form_qty(line, form.get("affected_qty"))
        category = self.env["quality.complaint.defect.category"]
        if form.get("defect_category_id"):
            category = self._qc_portal_defect_categories(company).filtered(
                lambda c: str(c.id) == str(form["defect_category_id"])
            )
            if not category:
                raise UserError(self.env._("Please choose a kind of problem from the list."))
        company._qc_check_uploads(uploads)
        team = company.qc_team_id or self.env.ref(
            "quality_complaint.helpdesk_team_quality_complaints", raise_if_not_found=False
        )
        if not team:
            raise UserError(
                self.env._("Complaints cannot be filed online at the moment: please contact us.")
            )
        channel = self.env.ref(
            "helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False
        )
        partner = user.partner_id
        vals = {
            "name": self.env._("Complaint about %s", line.product_id.display_name),
            "description": plaintext2html(texts["description"]),
            "occurrence": texts["occurrence"],
            "impact_level": impact,
            "customer_request": request_code,
            "customer_request_note": (form.get("customer_request_note") or "").strip()[
                :MAX_PORTAL_NOTE
            ]
            or False,
            "affected_qty": qty,
            "is_quality_complaint": True,
            "team_id": team.id,
            # Dispatch assigns it at registration: never the customer, whom
            # helpdesk_mgmt's auto-assignment would take as the creating user.
            "user_id": False,
            "company_id": company.id,
            "channel_id": channel.id if channel else False,
            "partner_id": partner.id,
            "partner_name": partner.name,
            "partner_email": partner.email,
            "sale_order_id": line.order_id.id,
            "sale_line_id": line.id,
            "product_id": line.product_id.id,
            "lot_ids": [Command.set(lots.ids)],
            "defect_category_id": category.id,
        }
        # sudo: the portal user may not create tickets; every value above was
        # checked against their own deliveries; no default of the context applies.
        env = self.env(context=clean_context(self.env.context), su=True)
        Ticket = env["helpdesk.ticket"].with_company(company)
        with self.env.cr.savepoint():
            ticket = Ticket.create(vals)
            ticket.with_context(mail_create_nosubscribe=True).message_post(
                body=self.env._("Complaint filed by the customer on the portal."),
                attachments=uploads,
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        ticket._qc_queue_customer_messages()
        return ticket

    @api.model
    def _qc_portal_check_daily_limit(self, company):
        """The current portal user's customer (commercial entity) filed fewer
        complaints on the portal in the last 24 hours than ``company`` allows
        (each one is acknowledged at once, by e-mail and, where set up, SMS):
        else a ``UserError`` and nothing is filed. Counted on an index of the
        tickets (customer, creation date); archived and closed ones count."""
        limit = company.qc_portal_daily_limit
        if not limit:
            return
        web = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_web", raise_if_not_found=False)
        customer = self.env.user.partner_id.commercial_partner_id
        filed = (
            self.sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("create_date", ">=", fields.Datetime.now() - timedelta(hours=24)),
                    ("is_quality_complaint", "=", True),
                    ("channel_id", "=", web.id if web else False),
                    ("create_uid.share", "=", True),
                ],
                limit=limit,
            )
        )
        if filed >= limit:
            raise UserError(
                self.env._(
                    "You have filed %(count)s complaints online in the last 24 hours, as "
                    "many as we take online in a day: our customer service is handling "
                    "them and will contact you. For anything more, reply to one of your "
                    "complaints or contact us directly.",
                    count=filed,
                )
            )

    @api.model
    def _qc_portal_form_line(self, line_id):
        """The posted order line, if it is one of the user's delivered lines."""
        lines = self._qc_portal_intake_lines()
        line = lines.filtered(lambda ln: str(ln.id) == str(line_id or "").strip())
        if not line:
            raise UserError(
                self.env._(
                    "Choose one of your delivered order lines: this one is not among "
                    "your deliveries."
                )
            )
        return line

    @api.model
    def _qc_portal_form_lots(self, line, lot_ids):
        """The posted lots, if each was delivered to the user on ``line``."""
        delivered = self._qc_portal_intake_lots(line)[line.id]
        by_id = {str(lot.id): lot for lot in delivered}
        lots = self.env["stock.lot"].sudo()
        for lot_id in lot_ids:
            lot = by_id.get(str(lot_id).strip())
            if not lot:
                raise UserError(
                    self.env._(
                        "Choose the lots you received on order %(order)s: one of them "
                        "was not delivered to you on this line.",
                        order=line.order_id.name,
                    )
                )
            lots |= lot
        return lots

    @api.model
    def _qc_portal_form_qty(self, line, value):
        """The posted affected quantity: above zero, at most what was delivered."""
        try:
            qty = float(str(value or "").replace(",", ".").strip())
        except ValueError:
            qty = 0.0
        delivered = line.product_uom_id._compute_quantity(
            line.qty_delivered, line.product_id.uom_id
        )
        rounding = line.product_id.uom_id.rounding
        if not math.isfinite(qty) or float_compare(qty, 0.0, precision_rounding=rounding) <= 0:
            raise UserError(self.env._("The affected quantity must be a number above zero."))
        if float_compare(qty, delivered, precision_rounding=rounding) > 0:
            raise UserError(
                self.env._(
                    "You received %(delivered)s %(uom)s on this line: the affected quantity "
                    "cannot be more.",
                    delivered=delivered,
                    uom=line.product_id.uom_id.name,
                )
            )
        return qty

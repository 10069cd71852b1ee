"""The monthly quality review (SPEC §6: "review it in a regular cross-department
meeting, e.g. the monthly quality meeting").

On the company's review day (the Nth working day of the month on the complaint
desk's calendar, public holidays excluded; a review day it missed is caught up
within a week) a scheduled action prepares last month's review: the key figures,
the review pack (.xlsx) as an attachment, an agenda of the open items, the
attendees; the chair is notified. The meeting's decisions become corrective
actions (Create Actions). A closed review is read-only.

What a review is prepared from (figures, agenda, attendees, pack) is in
``quality_review_preparation.py``; its agenda items and decisions in
``quality_review_item.py``.
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..roles import MANAGER, OFFICER, role
from .quality_review_preparation import MANAGER_GROUP, PREPARE_ACTIVITY

REVIEW_STATES = [
    ("prepared", "Prepared"),
    ("held", "Held"),
    ("closed", "Closed"),
]
# Days after the review day on which the cron still prepares a review it missed
# (the server was down, the job failed); later, a manager prepares it by hand.
CATCH_UP_DAYS = 7
# Fields a closed review still lets the mail thread write.
CLOSED_WRITABLE = {"message_main_attachment_id"}


class QualityComplaintReview(models.Model):
    _name = "quality.complaint.review"
    _description = "Monthly quality review"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "quality.complaint.protected.mixin",
        "quality.complaint.review.preparation",
    ]
    _order = "date_from desc, id desc"
    _check_company_auto = True
    _qc_protected_fields = (
        "state",
        "pack_attachment_id",
        "complaint_count",
        "urgent_count",
        "sla_met_percent",
        "sla_breached_count",
        "recurrence_count",
    )

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="Month from", required=True)
    date_to = fields.Date(string="Month to", required=True)
    date_meeting = fields.Date(
        string="Meeting date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    state = fields.Selection(
        REVIEW_STATES,
        string="Status",
        default="prepared",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    chair_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.company.qc_quality_manager_id,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    attendee_ids = fields.Many2many(
        "res.users",
        "quality_complaint_review_res_users_rel",
        "review_id",
        "user_id",
        string="Attendees",
        domain="[('share', '=', False)]",
    )
    item_ids = fields.One2many("quality.complaint.review.item", "review_id", string="Agenda")
    decision_ids = fields.One2many(
        "quality.complaint.review.decision", "review_id", string="Decisions"
    )
    minutes = fields.Html()
    pack_attachment_id = fields.Many2one(
        "ir.attachment", string="Review pack", readonly=True, copy=False
    )
    complaint_count = fields.Integer(string="Complaints", readonly=True)
    urgent_count = fields.Integer(string="Urgent", readonly=True)
    sla_met_percent = fields.Float(string="SLA met %", readonly=True, digits=(16, 1))
    sla_breached_count = fields.Integer(string="SLA breaches", readonly=True)
    recurrence_count = fields.Integer(string="Recurrences", readonly=True)
    action_ids = fields.Many2many(
        "quality.complaint.action", string="Actions decided", compute="_compute_action_ids"
    )
    action_count = fields.Integer(string="Action count", compute="_compute_action_ids")
    item_count = fields.Integer(string="Agenda items", compute="_compute_item_count")

    _company_month_uniq = models.Constraint(
        "UNIQUE(company_id, date_from)", "A company holds one review per month."
    )

    @api.depends("decision_ids.action_id")
    def _compute_action_ids(self):
        for review in self:
            review.action_ids = review.decision_ids.action_id
            review.action_count = len(review.action_ids)

    @api.depends("item_ids")
    def _compute_item_count(self):
        for review in self:
            review.item_count = len(review.item_ids)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for review in self:
            if review.date_to < review.date_from:
                raise ValidationError(
                    self.env._("The reviewed period of %s ends before it starts.", review.name)
                )

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        self._qc_check_protected(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._qc_check_protected([vals])
        if set(vals) - CLOSED_WRITABLE:
            self._qc_check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_closed(self):
        self._qc_check_editable()

    def _qc_check_editable(self):
        closed = self.filtered(lambda r: r.state == "closed")
        if closed:
            raise UserError(
                self.env._(
                    "%(review)s is closed: its agenda, decisions and attendees are the "
                    "record of the meeting and can no longer be changed.",
                    review=closed[0].name,
                )
            )

    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s of a quality review change only through its buttons (Held, Close, "
            "Refresh Pack), not by a direct edit.",
            fields=labels,
        )

    # ------------------------------------------------------------ cron
    @api.model
    def _cron_prepare_monthly_review(self):
        """Daily: on each company's review day, prepare last month's review (once);
        a review day the cron missed is caught up within ``CATCH_UP_DAYS``."""
        for company in self.env["res.company"].search([("active", "=", True)]):
            today = company._qc_today()
            review_day = company._qc_review_day(today)
            if not review_day <= today <= review_day + timedelta(days=CATCH_UP_DAYS):
                continue
            self._qc_prepare(company, today.replace(day=1) - relativedelta(months=1))

    # ------------------------------------------------------------ buttons
    def _qc_check_manager(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(self.env._("Only a quality manager can do this on a quality review."))

    @role(MANAGER)
    @api.model
    def action_prepare_last_month(self):
        """Prepare (or open) last month's review of the current company."""
        self._qc_check_manager()
        company = self.env.company
        self.check_access("create")
        review = self._qc_prepare(
            company, company._qc_today().replace(day=1) - relativedelta(months=1)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": review.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _qc_set_state(self, allowed, state, message):
        self._qc_check_manager()
        wrong = self.filtered(lambda r: r.state not in allowed)
        if wrong:
            raise UserError(message % {"review": wrong[0].name})
        self._qc_write_protected({"state": state})

    @role(MANAGER)
    def action_held(self):
        self._qc_set_state(
            ("prepared",), "held", self.env._("%(review)s is not waiting for its meeting.")
        )
        self.activity_feedback([PREPARE_ACTIVITY])
        return True

    @role(MANAGER)
    def action_close(self):
        open_decisions = self.decision_ids.filtered(lambda d: not d.action_id)
        if open_decisions:
            raise UserError(
                self.env._(
                    "Turn the decisions into corrective actions (Create Actions) before "
                    "closing %(review)s: %(decisions)s",
                    review=open_decisions[0].review_id.name,
                    decisions=", ".join(open_decisions.mapped("description")),
                )
            )
        self._qc_set_state(("held",), "closed", self.env._("%(review)s has not been held yet."))
        return True

    @role(MANAGER)
    def action_refresh_pack(self):
        """Rebuild the key figures and the pack from today's data."""
        self._qc_check_manager()
        self._qc_check_editable()
        for review in self:
            review._qc_write_protected(
                self._qc_figures(review.company_id, review.date_from, review.date_to)
            )
        self._qc_attach_pack()
        return True

    @role(MANAGER)
    def action_create_actions(self):
        """Each decision without an action becomes a corrective action."""
        self._qc_check_manager()
        self._qc_check_editable()
        for review in self:
            decisions = review.decision_ids.filtered(lambda d: not d.action_id)
            if not decisions:
                continue
            decisions._qc_check_complete()
            actions = self.env["quality.complaint.action"].create(
                [decision._qc_action_vals() for decision in decisions]
            )
            for decision, action in zip(decisions, actions, strict=True):
                decision.sudo().action_id = action
                action.message_post(
                    body=self.env._("Decided in %(review)s.", review=review.name),
                    subtype_xmlid="mail.mt_note",
                )
            review.message_post(
                body=self.env._(
                    "Corrective actions created from the decisions: %(actions)s",
                    actions=", ".join(actions.mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    @role(OFFICER)
    def action_view_actions(self):
        self.ensure_one()
        return self.env["quality.complaint.action"]._qca_action_for(
            [("id", "in", self.action_ids.ids)],
            name=self.env._("Actions of %s", self.name),
        )

    @role(OFFICER)
    def action_view_tickets(self):
        self.ensure_one()
        start, stop = self._qc_utc_bounds(self.company_id, self.date_from, self.date_to)
        return self.env["helpdesk.ticket"]._qc_action_for(
            [
                ("company_id", "=", self.company_id.id),
                ("registered_date", ">=", start),
                ("registered_date", "<", stop),
            ],
            name=self.env._("Complaints of %s", self.name),
        )

    @role(OFFICER)
    def action_view_pack(self):
        self.ensure_one()
        if not self.pack_attachment_id:
            raise UserError(self.env._("%s has no review pack yet: Refresh Pack.", self.name))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self.pack_attachment_id.id}?download=true",
            "target": "self",
        }

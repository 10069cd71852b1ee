"""The monthly quality review (docs/process.md §6: "review it in a regular cross-department
meeting, e.g. the monthly quality meeting").

On the company's review day (the Nth working day of the month on the complaint
desk's calendar, public holidays excluded; a review day it missed is caught up
within a week) a scheduled action prepares last month's review: the key figures,
the review pack (.xlsx) as an attachment, an agenda of the open items, the
attendees; the chair is notified. The meeting's decisions become corrective
actions (Create Actions). A closed review is read-only.

A review is prepared from last month's figures, an agenda of the open items, the
attendees and the review pack; ``_qc_prepare`` is the one entry (the cron and the
manager's button call it) and returns the month's review when there is one, so
preparing twice makes one. Its agenda items and decisions are in
``quality_review_item.py``.
"""

from datetime import datetime, time, timedelta

import pytz
from babel.dates import format_date
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.addons.quality_complaint.lang import company_env, reader_env
from odoo.addons.quality_complaint.roles import MANAGER, OFFICER, role
from odoo.addons.quality_complaint_action.models.corrective_action import WORKING_STATES
from odoo.addons.quality_complaint_purchase.models.quality_complaint_action import SUPPLIER_AWAITED
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import babel_locale_parse

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


PACK_REPORT = "report.quality_complaint.review_pack_xlsx"

PREPARE_ACTIVITY = "quality_complaint_report.mail_activity_type_review_prepare"

MANAGER_GROUP = "quality_complaint.group_complaint_manager"


class QualityComplaintReview(models.Model):
    _name = "quality.complaint.review"
    _description = "Monthly quality review"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "quality.complaint.protected.mixin",
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
            env = company_env(self.env, review.company_id)  # notes for everyone
            actions = self.env["quality.complaint.action"].create(
                [decision._qc_action_vals() for decision in decisions]
            )
            for decision, action in zip(decisions, actions, strict=True):
                decision.sudo().action_id = action
                action.message_post(
                    body=env._("Decided in %(review)s.", review=review.name),
                    subtype_xmlid="mail.mt_note",
                )
            review.message_post(
                body=env._(
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

    # ------------------------------------------------------------ preparation

    @api.model
    def _qc_month_name(self, company, date_from):
        lang = company.partner_id.lang or self.env.lang or "en_US"
        month = format_date(date_from, "LLLL y", locale=babel_locale_parse(lang))
        return self.with_context(lang=lang).env._("Quality review - %s", month)

    @api.model
    def _qc_utc_bounds(self, company, date_from, date_to):
        """The month as naive UTC datetimes [start, stop[ in the company's time zone."""
        tz = company._qc_tz()
        start = tz.localize(datetime.combine(date_from, time.min))
        stop = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            stop.astimezone(pytz.utc).replace(tzinfo=None),
        )

    @api.model
    def _qc_urgent_grades(self, company):
        grades = self.env["quality.complaint.grade"]._qc_grades_for(company)
        if not grades:
            return grades
        top = max(grades.mapped("level"))
        return grades.filtered(lambda g: g.level == top)

    @api.model
    def _qc_figures(self, company, date_from, date_to):
        """Key figures of the month from the complaint analysis."""
        start, stop = self._qc_utc_bounds(company, date_from, date_to)
        Analysis = self.env["quality.complaint.analysis"]
        domain = [("company_id", "=", company.id), ("date", ">=", start), ("date", "<", stop)]
        [(count, sla_met, breached, recurrences)] = Analysis._read_group(
            domain,
            aggregates=[
                "__count",
                "sla_met_percent:avg",
                "sla_breached_count:sum",
                "recurrence_count:sum",
            ],
        )
        urgent = Analysis.search_count(
            [*domain, ("grade_id", "in", self._qc_urgent_grades(company).ids)]
        )
        return {
            "complaint_count": count,
            "urgent_count": urgent,
            "sla_met_percent": sla_met or 0.0,
            "sla_breached_count": breached or 0,
            "recurrence_count": recurrences or 0,
        }

    @api.model
    def _qc_agenda(self, company, date_from, date_to):
        """Agenda lines (values) from the open items: one search per kind."""
        today = company._qc_today()
        start, stop = self._qc_utc_bounds(company, date_from, date_to)
        Ticket = self.env["helpdesk.ticket"]
        Action = self.env["quality.complaint.action"]
        complaints = [
            ("company_id", "=", company.id),
            ("is_quality_complaint", "=", True),
            ("duplicate_id", "=", False),
            ("registered_date", "!=", False),
        ]
        actions = [("company_id", "=", company.id)]
        urgent = self._qc_urgent_grades(company)
        found = [
            (
                "urgent_open",
                Ticket.search(
                    [*complaints, ("stage_id.closed", "=", False), ("grade_id", "in", urgent.ids)],
                    order="registered_date, id",
                ),
            ),
            (
                "sla_breach",
                Ticket.search(
                    [
                        *complaints,
                        ("sla_status", "=", "breached"),
                        ("response_deadline", ">=", start),
                        ("response_deadline", "<", stop),
                    ],
                    order="response_deadline, id",
                ),
            ),
            (
                "action_overdue",
                Action.search(
                    [
                        *actions,
                        ("state", "in", ("draft", *WORKING_STATES)),
                        ("date_deadline", "<", today),
                    ],
                    order="date_deadline, id",
                ),
            ),
            (
                "supplier_overdue",
                Action.search(
                    [
                        *actions,
                        ("supplier_state", "in", SUPPLIER_AWAITED),
                        ("supplier_answer_due", "<", today),
                    ],
                    order="supplier_answer_due, id",
                ),
            ),
            (
                "verification",
                Action.search([*actions, ("state", "=", "done")], order="date_done, id"),
            ),
            (
                "recurrence",
                Ticket.search(
                    [
                        *complaints,
                        ("qc_is_recurrence", "=", True),
                        ("registered_date", ">=", start),
                        ("registered_date", "<", stop),
                    ],
                    order="registered_date, id",
                ),
            ),
        ]
        lines = []
        for kind, records in found:
            for record in records:
                lines.append(self._qc_item_vals(kind, record, len(lines) + 1))
        return lines

    @api.model
    def _qc_item_vals(self, kind, record, sequence):
        vals = {"sequence": sequence * 10, "kind": kind}
        if record._name == "helpdesk.ticket":
            vals["ticket_id"] = record.id
            vals["description"] = " - ".join(
                part for part in (record.number, record.name, record.partner_id.name) if part
            )
        else:
            vals["action_id"] = record.id
            due = {
                "action_overdue": record.date_deadline,
                "supplier_overdue": record.supplier_answer_due,
            }.get(kind)
            parts = [record.name, record.title, record.user_id.name]
            if kind == "supplier_overdue":
                parts.append(record.partner_id.name)
            if due:
                parts.append(self.env._("due %s", fields.Date.to_string(due)))
            vals["description"] = " - ".join(part for part in parts if part)
        return vals

    @api.model
    def _qc_default_attendees(self, company):
        """The quality managers, the purchasing manager, the heads of the complaint teams."""
        managers = self.env["res.users"].search(
            [
                ("group_ids", "in", self.env.ref(MANAGER_GROUP).ids),
                ("company_ids", "in", company.ids),
                ("share", "=", False),
                ("id", "!=", self.env.ref("base.user_root").id),
            ]
        )
        teams = self.env["helpdesk.ticket.team"].search(
            [("qc_is_quality_team", "=", True), ("company_id", "in", [company.id, False])]
        )
        return (
            company.qc_quality_manager_id
            | managers
            | company.qc_purchase_manager_id
            | teams.qc_department_head_id
        )

    @api.model
    def _qc_prepare(self, company, date_from):
        """Last month's review of ``company`` (the month starting ``date_from``):
        the existing one, else a new one with its figures, agenda, attendees and
        pack, its chair notified."""
        date_from = date_from.replace(day=1)
        existing = self.search(
            [("company_id", "=", company.id), ("date_from", "=", date_from)], limit=1
        )
        if existing:
            return existing
        date_to = date_from + relativedelta(months=1, days=-1)
        today = company._qc_today()
        review = (
            self.with_company(company)
            .sudo()
            .create(
                {
                    "name": self._qc_month_name(company, date_from),
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "date_meeting": today,
                    "chair_id": company.qc_quality_manager_id.id,
                    "attendee_ids": [Command.set(self._qc_default_attendees(company).ids)],
                    "item_ids": [
                        Command.create(vals)
                        for vals in self._qc_agenda(company, date_from, date_to)
                    ],
                    **self._qc_figures(company, date_from, date_to),
                }
            )
        )
        review._qc_attach_pack()
        review._qc_notify_chair()
        return review.sudo(self.env.su)

    def _qc_notify_chair(self):
        for review in self:
            body = company_env(self.env, review.company_id)._(  # a note for everyone
                "Review of %(period)s prepared: %(items)s agenda items, %(count)s complaints "
                "(%(urgent)s urgent), SLA met %(sla).1f %%, %(recurrences)s recurrences.",
                period=review.name,
                items=len(review.item_ids),
                count=review.complaint_count,
                urgent=review.urgent_count,
                sla=review.sla_met_percent,
                recurrences=review.recurrence_count,
            )
            chair = review.chair_id
            review.message_post(
                body=body,
                partner_ids=chair.partner_id.ids,
                subtype_xmlid="mail.mt_note",
            )
            if chair:
                # the type's summary, in the chair's language
                review.with_env(reader_env(self.env, chair)).activity_schedule(
                    PREPARE_ACTIVITY,
                    date_deadline=review.date_meeting,
                    user_id=chair.id,
                )

    def _qc_attach_pack(self):
        """Build the review pack (.xlsx) and attach it to the review (the old one goes)."""
        for review in self:
            content, filename = self.env[PACK_REPORT]._qc_review_pack(
                review.company_id, review.date_from, review.date_to
            )
            attachment = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": filename,
                        "raw": content,
                        "res_model": review._name,
                        "res_id": review.id,
                        "mimetype": "application/vnd.openxmlformats-officedocument."
                        "spreadsheetml.sheet",
                    }
                )
            )
            old = review.pack_attachment_id
            review.sudo().write({"pack_attachment_id": attachment.id})
            old.sudo().unlink()

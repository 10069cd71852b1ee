"""The response SLA of a complaint (docs/process.md §2): the first contact is due within the
grade's working hours, on the company calendar, paused while waiting for the
customer; at risk, breach and escalation come from the deadline mechanism
(deadline.py), the kind "response"."""

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..roles import CUSTOMER_SERVICE, role
from .helpdesk_ticket_dispatch import CONTACT_ACTIVITY

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


class QualityComplaintTicketSla(models.AbstractModel):
    """Response SLA concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.sla"
    _inherit = ["quality.complaint.deadline.mixin"]
    _description = "Complaint response SLA"

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
        tickets = self.filtered(lambda t: t.grade_id and t.registered_date)
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

    # ------------------------------------------------------------ events
    def _qc_deadline_warn(self, kind, clocks):
        if kind != RESPONSE:
            return super()._qc_deadline_warn(kind, clocks)
        fmt = self._qc_time_formatter(False)
        self._message_log_batch(
            {
                ticket.id: self.env._(
                    "Response deadline at risk: the customer must be contacted by %(deadline)s.",
                    deadline=fmt(ticket),
                )
                for ticket in self
            }
        )
        return None

    def _qc_deadline_escalate(self, kind, clocks):
        if kind != RESPONSE:
            return super()._qc_deadline_escalate(kind, clocks)
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
            orphans._message_log_batch(
                dict.fromkeys(
                    orphans.ids,
                    self.env._(
                        "Response deadline missed, but the grade has no escalation user: "
                        "set one on the grade."
                    ),
                )
            )
        self._qc_send_escalation_digests()
        return None

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
        """Message hook: the first message of customer service (whoever works
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
        """Stage hook: waiting for the customer pauses the clock, closing freezes it."""
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

"""The 30-day call-back (docs/process.md §6): once the case is handled (the customer's feedback
recorded satisfied, or the customer unreachable) customer service calls the
customer back N days later (company setting). The call-back is a clock of the
deadline mechanism (deadline.py), kind "followup", running to the end of the due
day; an overdue one is escalated by the deadline cron. Its outcome: solved, the
problem persists (the complaint reopens, is graded again and quality is told),
or a new problem (a linked complaint is opened); or it is waived with a reason."""

from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..roles import CUSTOMER_SERVICE, role

FOLLOWUP = "followup"
FOLLOWUP_STATES = [
    ("none", "Not due"),
    ("due", "Call-back due"),
    ("done", "Called back"),
    ("waived", "Waived"),
]
FOLLOWUP_OUTCOMES = [
    ("solved", "Solved"),
    ("persists", "Problem persists"),
    ("new_problem", "New problem"),
]
FOLLOWUP_ACTIVITY = "quality_complaint.mail_activity_type_followup_call"
# Only the call-back's actions (case handled, Record Call-back, Waive) set these.
FOLLOWUP_PROTECTED = {
    "qc_followup_deadline_id",
    "qc_followup_due",
    "qc_followup_state",
    "qc_followup_outcome",
    "qc_followup_note",
    "qc_followup_date",
}


class QualityComplaintTicketFollowup(models.AbstractModel):
    """Call-back concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.followup"
    _inherit = ["quality.complaint.deadline.mixin"]
    _description = "Complaint 30-day call-back"

    qc_followup_deadline_id = fields.Many2one(
        "quality.complaint.deadline",
        string="Call-back clock",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    qc_followup_due = fields.Date(
        string="Call-back due",
        compute="_compute_qc_followup_due",
        store=True,
        groups="base.group_user",
        help="The day customer service calls the customer back: the company's "
        "follow-up days after the case was handled.",
    )
    qc_followup_state = fields.Selection(
        FOLLOWUP_STATES,
        string="Call-back",
        default="none",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        groups="base.group_user",
    )
    qc_followup_outcome = fields.Selection(
        FOLLOWUP_OUTCOMES,
        string="Call-back outcome",
        readonly=True,
        copy=False,
        tracking=True,
        groups="base.group_user",
    )
    qc_followup_note = fields.Text(
        string="Call-back note",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="What the customer said at the call-back, or why no call-back is needed.",
    )
    qc_followup_date = fields.Datetime(
        string="Called back on", readonly=True, copy=False, groups="base.group_user"
    )

    @api.depends("qc_followup_deadline_id.deadline")
    def _compute_qc_followup_due(self):
        for ticket in self:
            deadline = ticket.sudo().qc_followup_deadline_id.deadline
            if not deadline:
                ticket.qc_followup_due = False
                continue
            # The clock ends at midnight after the due day, local time; half a day
            # earlier is that day whatever a daylight-saving change did.
            local = pytz.utc.localize(deadline).astimezone(ticket._qc_followup_tz())
            ticket.qc_followup_due = (local - timedelta(hours=12)).date()

    def _qc_followup_tz(self):
        """Time zone of the complaint desk: its calendar's, else the user's, else UTC."""
        company = self.company_id[:1] or self.env.company
        return pytz.timezone(company._qc_sla_calendar().tz or self.env.user.tz or "UTC")

    # ------------------------------------------------------------ case handled
    def _qc_on_case_handled(self):
        """The case is handled: the call-back is due the company's follow-up days
        later (again after a call-back where the problem persisted)."""
        tickets = self.filtered(
            lambda t: (
                t.is_quality_complaint
                and not t.stage_id.closed
                and (
                    t.qc_followup_state == "none"
                    or (t.qc_followup_state == "done" and t.qc_followup_outcome == "persists")
                )
            )
        )
        if tickets:
            tickets._qc_followup_start()
        return super()._qc_on_case_handled()

    def _qc_followup_start(self):
        now = fields.Datetime.now()
        values = {}
        for ticket in self:
            company = ticket.company_id or self.env.company
            tz = ticket._qc_followup_tz()
            # The days are counted from the day after handling; the call-back is
            # late once its due day is over.
            tomorrow = pytz.utc.localize(now).astimezone(tz).date() + timedelta(days=1)
            start = tz.localize(datetime.combine(tomorrow, time())).astimezone(pytz.utc)
            values[ticket.id] = self._qc_fresh_clock(
                company, start.replace(tzinfo=None), company.qc_followup_days, "days"
            )
        clocks = self._qc_deadline_plan(FOLLOWUP, values)
        for ticket, clock in zip(self, clocks, strict=True):
            ticket.sudo().write(
                {
                    "qc_followup_deadline_id": clock.id,
                    "qc_followup_state": "due",
                    "qc_followup_outcome": False,
                    "qc_followup_note": False,
                    "qc_followup_date": False,
                }
            )
        self._qc_move_to_step("followup")
        self._qc_followup_schedule_activities()

    def _qc_followup_schedule_activities(self):
        """An activity 'call the customer back' for customer service, on the due day."""
        plans = []
        unassigned = {}
        for ticket in self:
            user = ticket.user_id or (self.env.user if self.env.user._is_internal() else False)
            if not user:
                unassigned[ticket.id] = self.env._(
                    "The call-back is due on %(due)s, but nobody is assigned to the "
                    "complaint: assign it to customer service.",
                    due=fields.Date.to_string(ticket.qc_followup_due),
                )
                continue
            plans.append(
                (
                    ticket,
                    {
                        "user_id": user.id,
                        "date_deadline": ticket.qc_followup_due,
                        "summary": self.with_context(lang=user.lang).env._(
                            "Call the customer back: is the problem solved?"
                        ),
                    },
                )
            )
        # Odoo's assignment e-mail tells customer service of the call-back.
        self._qc_schedule_activities(FOLLOWUP_ACTIVITY, plans, notify=True)
        if unassigned:
            self.browse(list(unassigned))._message_log_batch(unassigned)

    # ------------------------------------------------------------ escalation
    def _qc_deadline_escalate(self, kind, clocks):
        if kind != FOLLOWUP:
            return super()._qc_deadline_escalate(kind, clocks)
        tickets = self.filtered(lambda t: t.qc_followup_state == "due" and not t.stage_id.closed)
        told = tickets._qc_alert_department_head(
            lambda env: env._("Customer call-back overdue"),
            lambda env, ticket: env._(
                "The call-back was due on %(due)s.",
                due=fields.Date.to_string(ticket.qc_followup_due),
            ),
        )
        told._message_log_batch(
            {
                ticket.id: self.env._(
                    "The call-back due on %(due)s is overdue: escalated to %(user)s.",
                    due=fields.Date.to_string(ticket.qc_followup_due),
                    user=ticket._qc_department_head().name,
                )
                for ticket in told
            }
        )
        return None

    # ------------------------------------------------------------ actions
    @role(CUSTOMER_SERVICE)
    def action_record_followup(self):
        """Open the 'Record Call-back' wizard."""
        return self._qc_followup_wizard("record")

    @role(CUSTOMER_SERVICE)
    def action_waive_followup(self):
        """Open the wizard that waives the call-back, with a reason."""
        return self._qc_followup_wizard("waive")

    def _qc_followup_wizard(self, mode):
        self.ensure_one()
        self._qc_check_followup_rights()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Call-back")
            if mode == "record"
            else self.env._("Waive the Call-back"),
            "res_model": "quality.complaint.followup.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_id": self.id, "default_mode": mode},
        }

    def _qc_check_followup_rights(self):
        if not (self.env.su or self.env.user.has_group("quality_complaint.group_complaint_user")):
            raise AccessError(self.env._("Only customer service records the call-back."))

    def _qc_record_followup(self, outcome, note=False):
        """Record the call-back of one complaint; returns the action to show next."""
        self.ensure_one()
        self._qc_check_followup_rights()
        outcomes = dict(self._fields["qc_followup_outcome"]._description_selection(self.env))
        if outcome not in outcomes:
            raise UserError(self.env._("Choose the outcome of the call-back."))
        if self.qc_followup_state != "due":
            raise UserError(
                self.env._(
                    "%s: no call-back is due; it is due once the customer's feedback is recorded.",
                    self.display_name,
                )
            )
        now = fields.Datetime.now()
        self._qc_write_protected(
            {
                "qc_followup_state": "done",
                "qc_followup_outcome": outcome,
                "qc_followup_note": note or False,
                "qc_followup_date": now,
            }
        )
        self._qc_followup_stop(now, self.env._("Called back: %s", outcomes[outcome]))
        body = Markup("<p>%s</p>") % self.env._("Call-back: %s.", outcomes[outcome])
        if note:
            body += Markup("<p>%s</p>") % note
        self._message_log(body=body)
        return getattr(self, f"_qc_followup_{outcome}")(note)

    def _qc_waive_followup(self, reason):
        """No call-back is needed: waive it, with the reason."""
        self._qc_check_followup_rights()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason why no call-back is needed."))
        for ticket in self:
            if ticket.qc_followup_state not in ("none", "due"):
                raise UserError(
                    self.env._("%s: the call-back is already done or waived.", ticket.display_name)
                )
        now = fields.Datetime.now()
        self._qc_write_protected(
            {
                "qc_followup_state": "waived",
                "qc_followup_outcome": False,
                "qc_followup_note": reason,
                "qc_followup_date": now,
            }
        )
        self._qc_followup_stop(now, self.env._("Call-back waived: %s", reason))
        self._message_log_batch(dict.fromkeys(self.ids, self.env._("Call-back waived: %s", reason)))
        return True

    def _qc_followup_stop(self, now, feedback):
        """The call-back is over: its clock is done, its activity too."""
        self.sudo().qc_followup_deadline_id.filtered(lambda c: not c.done_date)._mark_done(
            now, self.env.user
        )
        self._qc_close_activities_of(FOLLOWUP_ACTIVITY, feedback)

    # ------------------------------------------------------------ outcomes
    def _qc_followup_solved(self, note):
        return True

    def _qc_followup_persists(self, note):
        """The problem persists: the complaint reopens (back under investigation if
        it has one, else registered), is graded again, and quality is told."""
        self._qc_move_back_to_step(
            "investigating" if self.sudo().investigation_id else "registered"
        )
        self._qc_grade()
        company = self.company_id or self.env.company
        user = self.sudo().investigation_id.user_id or company.qc_quality_manager_id
        if user:
            self.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=user.id,
                summary=self.with_context(lang=user.lang).env._(
                    "Call-back: the customer's problem persists"
                ),
                note=note or False,
            )
        else:
            self._message_log(
                body=self.env._(
                    "The problem persists, but there is no quality manager to tell: set "
                    "one in the settings."
                )
            )
        return True

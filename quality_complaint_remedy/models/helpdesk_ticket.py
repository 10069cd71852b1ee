"""The complaint's remedies and their result (docs/process.md §4 to §6).

What this addon adds to ``helpdesk.ticket``: the remedy plan and its documents'
counts, the result told to the customer and their satisfaction (*Send Result*,
*Record Feedback*, the portal's answer and the rating), the 30-day call-back and
the complaints it opens, what they add to the closing rules and to the
customer's portal page.
"""

from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.addons.quality_complaint.lang import company_env, company_envs, reader_env
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role
from odoo.addons.rating.models.rating_data import RATING_LIMIT_MIN, _rating_to_grade
from odoo.exceptions import AccessError, UserError

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

FOLLOWUP_ACTIVITY = "quality_complaint_remedy.mail_activity_type_followup_call"

# Only the call-back's actions (case handled, Record Call-back, Waive) set these.
FOLLOWUP_PROTECTED = {
    "qc_followup_deadline_id",
    "qc_followup_due",
    "qc_followup_state",
    "qc_followup_outcome",
    "qc_followup_note",
    "qc_followup_date",
}

FEEDBACK_STATES = [
    ("none", "Not due"),
    ("due", "Result to send"),
    ("sent", "Awaiting the customer's answer"),
    ("satisfied", "Satisfied"),
    ("dissatisfied", "Not satisfied"),
    ("unreachable", "Customer unreachable"),
]

FEEDBACK_OUTCOMES = ("satisfied", "dissatisfied", "unreachable")

# States in which the customer's answer is awaited.
FEEDBACK_OPEN = ("due", "sent")

# Only the feedback's actions set these.
FEEDBACK_PROTECTED = {
    "qc_feedback_state",
    "qc_feedback_date",
    "qc_feedback_deadline_id",
    "qc_feedback_deadline",
    "qc_feedback_status",
    "qc_feedback_sent_date",
    "qc_feedback_attempts",
    "qc_feedback_plan_version",
    "qc_feedback_note",
    "qc_feedback_customer_comment",
    "qc_feedback_by_customer",
}

FEEDBACK = "feedback"

FEEDBACK_ACTIVITY = "quality_complaint_remedy.mail_activity_type_feedback"

RESULT_TEMPLATE = "quality_complaint_remedy.mail_template_complaint_result"

REMEDY_STATE = [
    ("none", "No plan"),
    ("planned", "Plan proposed"),
    ("executing", "Being carried out"),
    ("executed", "Executed"),
]

# Only the plan's actions set these.
REMEDY_TICKET_PROTECTED = {"qc_plan_version"}

FEEDBACK_CLOSES = ("satisfied", "unreachable")

REVISE_PLAN_ACTIVITY = "quality_complaint_remedy.mail_activity_type_revise_plan"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

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
    qc_feedback_state = fields.Selection(
        FEEDBACK_STATES,
        string="Feedback",
        default="none",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
        groups="base.group_user",
    )
    qc_feedback_date = fields.Datetime(
        string="Feedback recorded on", readonly=True, copy=False, groups="base.group_user"
    )
    # Not stored: the deadline cron writes the clocks in batches and must not look
    # up the complaints showing them (see the bounded query count of its tests).
    qc_feedback_deadline_id = fields.Many2one(
        "quality.complaint.deadline",
        string="Result clock",
        readonly=True,
        copy=False,
        index="btree_not_null",
        groups="base.group_user",
    )
    qc_feedback_deadline = fields.Datetime(
        related="qc_feedback_deadline_id.deadline",
        string="Result due by",
        groups="base.group_user",
        help="The result of the remedies is due to the customer by this time: the "
        "company's working days from the execution of the plan's last remedy.",
    )
    qc_feedback_status = fields.Selection(
        related="qc_feedback_deadline_id.status",
        string="Result deadline",
        groups="base.group_user",
    )
    qc_feedback_sent_date = fields.Datetime(
        string="Result sent on",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="When the result e-mail was queued for the customer; the chatter shows "
        "whether it was delivered (an e-mail the mail server could not take is sent "
        "again once the server is back).",
    )
    qc_feedback_attempts = fields.Integer(
        string="Attempts to reach the customer",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="Calls that did not reach the customer for their feedback.",
    )
    qc_feedback_max_attempts = fields.Integer(
        string="Attempts allowed",
        compute="_compute_qc_feedback_max_attempts",
        groups="base.group_user",
    )
    qc_feedback_plan_version = fields.Integer(
        string="Plan of the feedback",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The remedy plan whose result the feedback is about.",
    )
    qc_feedback_note = fields.Text(
        string="Customer's feedback", readonly=True, copy=False, groups="base.group_user"
    )
    qc_feedback_by_customer = fields.Boolean(
        string="Answered by the customer",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="The customer answered herself (portal page or rating link), not on a call.",
    )
    qc_feedback_customer_comment = fields.Text(
        string="Customer's comment",
        readonly=True,
        copy=False,
        groups="base.group_user",
        help="What the customer wrote with her answer; shown to her on her portal page.",
    )
    qc_parent_id = fields.Many2one(
        "helpdesk.ticket",
        string="Follow-up of",
        index="btree_not_null",
        copy=False,
        tracking=True,
        groups="base.group_user",
        help="The complaint whose call-back revealed this new problem.",
    )
    qc_child_ids = fields.One2many(
        "helpdesk.ticket",
        "qc_parent_id",
        string="Complaints from the call-back",
        groups="base.group_user",
    )
    qc_child_count = fields.Integer(
        string="Linked complaints", compute="_compute_qc_child_count", groups="base.group_user"
    )
    remedy_ids = fields.One2many(
        "quality.complaint.remedy", "ticket_id", string="Remedies", groups="base.group_user"
    )
    qc_plan_version = fields.Integer(
        string="Remedy plan", readonly=True, copy=False, groups="base.group_user"
    )
    qc_remedy_state = fields.Selection(
        REMEDY_STATE,
        string="Remedy",
        compute="_compute_qc_remedy_state",
        store=True,
        index=True,
        groups="base.group_user",
    )
    qc_remedy_cost = fields.Monetary(
        string="Remedy cost",
        compute="_compute_qc_remedy_cost",
        store=True,
        currency_field="qc_currency_id",
        groups="quality_complaint.group_complaint_officer",
        help="What the executed and running remedies cost the company.",
    )
    qc_currency_id = fields.Many2one(
        "res.currency", compute="_compute_qc_currency_id", groups="base.group_user"
    )
    qc_picking_count = fields.Integer(
        string="Transfers", compute="_compute_qc_document_counts", groups="base.group_user"
    )
    qc_credit_note_count = fields.Integer(
        string="Credit notes", compute="_compute_qc_document_counts", groups="base.group_user"
    )
    qc_remedy_done_count = fields.Integer(
        string="Plan progress",
        compute="_compute_qc_remedy_progress",
        groups="base.group_user",
        help="Remedies of the current plan executed, out of those not cancelled.",
    )
    qc_remedy_total_count = fields.Integer(
        string="Remedies in the plan",
        compute="_compute_qc_remedy_progress",
        groups="base.group_user",
    )
    qc_remedy_to_approve_count = fields.Integer(
        string="Remedies to approve",
        compute="_compute_qc_remedy_progress",
        groups="base.group_user",
    )
    qc_remedy_to_execute_count = fields.Integer(
        string="Remedies to execute",
        compute="_compute_qc_remedy_progress",
        groups="base.group_user",
    )

    # ------------------------------------------------------------ ORM
    def _qc_protected(self):
        return (
            super()._qc_protected()
            | REMEDY_TICKET_PROTECTED
            | FEEDBACK_PROTECTED
            | FOLLOWUP_PROTECTED
        )

    def rating_apply(self, rate, token=None, rating=None, **kwargs):
        rating = super().rating_apply(rate, token=token, rating=rating, **kwargs)
        if rating.res_model == self._name:
            self.browse(rating.res_id)._qc_on_rating_applied(rating)
        return rating

    # ------------------------------------------------------------ clocks: result, call-back
    def _qc_deadline_warn(self, kind, clocks):
        if kind == FEEDBACK:
            return self._qc_feedback_warn(clocks)
        return super()._qc_deadline_warn(kind, clocks)

    def _qc_deadline_escalate(self, kind, clocks):
        if kind == FEEDBACK:
            return self._qc_feedback_escalate(clocks)
        if kind == FOLLOWUP:
            return self._qc_followup_escalate(clocks)
        return super()._qc_deadline_escalate(kind, clocks)

    # ============================================================
    # The 30-day call-back (docs/process.md §6)
    # ============================================================

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
        envs = company_envs(self.env, self)  # notes for everyone
        for ticket in self:
            user = ticket.user_id or (self.env.user if self.env.user._is_internal() else False)
            if not user:
                unassigned[ticket.id] = envs[ticket.company_id]._(
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
    def _qc_followup_escalate(self, clocks):
        tickets = self.filtered(lambda t: t.qc_followup_state == "due" and not t.stage_id.closed)
        told = tickets._qc_alert_department_head(
            lambda env: env._("Customer call-back overdue"),
            lambda env, ticket: env._(
                "The call-back was due on %(due)s.",
                due=fields.Date.to_string(ticket.qc_followup_due),
            ),
        )
        envs = company_envs(self.env, told)  # notes for everyone
        told._message_log_batch(
            {
                ticket.id: envs[ticket.company_id]._(
                    "The call-back due on %(due)s is overdue: escalated to %(user)s.",
                    due=fields.Date.to_string(ticket.qc_followup_due),
                    user=ticket._qc_department_head().name,
                )
                for ticket in told
            }
        )

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
        env = company_env(self.env, self.company_id)  # a note for everyone
        label = dict(self._fields["qc_followup_outcome"]._description_selection(env))[outcome]
        body = Markup("<p>%s</p>") % env._("Call-back: %s.", label)
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
        envs = company_envs(self.env, self)  # notes for everyone
        self._message_log_batch(
            {
                ticket.id: envs[ticket.company_id]._("Call-back waived: %s", reason)
                for ticket in self
            }
        )
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
                body=company_env(self.env, company)._(  # a note for everyone
                    "The problem persists, but there is no quality manager to tell: set "
                    "one in the settings."
                )
            )
        return True

    # ============================================================
    # The result told to the customer and her satisfaction (docs/process.md §5)
    # ============================================================

    @api.depends("company_id.qc_feedback_max_attempts")
    def _compute_qc_feedback_max_attempts(self):
        for ticket in self:
            company = ticket.company_id or self.env.company
            ticket.qc_feedback_max_attempts = company.qc_feedback_max_attempts

    # ------------------------------------------------------------ start
    def _qc_on_remedies_executed(self):
        """The plan is carried out: the result is due to the customer. Once per
        plan version, whatever the number of calls."""
        starting = self.filtered(
            lambda t: (
                t.qc_feedback_plan_version != (t.qc_plan_version or 1)
                and t.qc_feedback_state in ("none", "dissatisfied")
            )
        )
        if starting:
            starting._qc_feedback_start()

    def _qc_feedback_start(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.sudo().write(
                {
                    "qc_feedback_state": "due",
                    "qc_feedback_plan_version": ticket.qc_plan_version or 1,
                    "qc_feedback_date": False,
                    "qc_feedback_sent_date": False,
                    "qc_feedback_attempts": 0,
                    "qc_feedback_note": False,
                    "qc_feedback_by_customer": False,
                    "qc_feedback_customer_comment": False,
                }
            )
        values = {}
        for ticket in self:
            company = ticket.company_id or self.env.company
            # A revised plan restarts the clock of the previous one.
            values[ticket.id] = self._qc_fresh_clock(
                company,
                now,
                company.qc_feedback_days,
                "working_days",
                calendar=company._qc_sla_calendar(),
                at_risk_percent=company.qc_sla_at_risk_percent,
            )
        clocks = self._qc_deadline_plan(FEEDBACK, values)
        for ticket, clock in zip(self, clocks, strict=True):
            if ticket.qc_feedback_deadline_id != clock:
                ticket.sudo().qc_feedback_deadline_id = clock
        self._qc_feedback_schedule_activities()

    def _qc_feedback_owner(self):
        """Customer service for the result: the complaint's user, else its team's
        leader, else whoever created it."""
        self.ensure_one()
        return self.user_id or self.team_id.user_id or self.create_uid

    def _qc_feedback_schedule_activities(self):
        plans = []
        for ticket in self:
            user = ticket._qc_feedback_owner()
            deadline = ticket.qc_feedback_deadline or fields.Datetime.now()
            tz = ticket.qc_feedback_deadline_id.calendar_id.tz or user.tz or "UTC"
            plans.append(
                (
                    ticket,
                    {
                        "user_id": user.id,
                        "date_deadline": fields.Date.context_today(
                            self.with_context(tz=tz), deadline
                        ),
                        "summary": self.with_context(lang=user.lang).env._(
                            "Send the result of the remedies to the customer"
                        ),
                    },
                )
            )
        self._qc_schedule_activities(FEEDBACK_ACTIVITY, plans)

    def _qc_feedback_close_activities(self, feedback):
        self._qc_close_activities_of(FEEDBACK_ACTIVITY, feedback)

    def _qc_feedback_stop_clock(self):
        """The result reached the customer: the clock is met or breached."""
        clocks = self.sudo().qc_feedback_deadline_id.filtered(lambda c: not c.done_date)
        if clocks:
            clocks._mark_done(fields.Datetime.now(), self.env.user)

    # ------------------------------------------------------------ events
    def _qc_feedback_warn(self, clocks):
        waiting = self.filtered(lambda t: t.qc_feedback_state == "due" and not t.stage_id.closed)
        envs = company_envs(self.env, waiting)  # notes for everyone
        waiting._message_log_batch(
            {
                ticket.id: envs[ticket.company_id]._(
                    "Result message at risk: the customer must have the result of the "
                    "remedies by %(deadline)s.",
                    deadline=ticket._qc_feedback_deadline_text(),
                )
                for ticket in waiting
            }
        )

    def _qc_feedback_escalate(self, clocks):
        late = self.filtered(lambda t: t.qc_feedback_state == "due" and not t.stage_id.closed)
        late._qc_alert_department_head(
            lambda env: env._("Result message to the customer is late"),
            lambda env, ticket: env._(
                "The result of the remedies was due to the customer by %(deadline)s.",
                deadline=ticket._qc_feedback_deadline_text(),
            ),
        )

    def _qc_feedback_deadline_text(self):
        self.ensure_one()
        deadline = self.qc_feedback_deadline
        if not deadline:
            return ""
        tz = self.qc_feedback_deadline_id.calendar_id.tz or "UTC"
        moment = fields.Datetime.context_timestamp(self.with_context(tz=tz), deadline)
        return f"{moment:%Y-%m-%d %H:%M} ({tz})"

    # ------------------------------------------------------------ recording
    def _qc_record_feedback(self, outcome, note=False, customer_comment=None):
        """Record the customer's answer: ``outcome`` in FEEDBACK_OUTCOMES.

        "unreachable" counts one failed attempt; the feedback is recorded as
        unreachable once the company's number of attempts is reached. Called by
        the wizard, the rating page and the portal (as superuser, after its own
        checks). ``customer_comment`` (plain text, possibly empty): the customer
        answered herself (portal, rating) and wrote this; she sees it on her page."""
        if outcome not in FEEDBACK_OUTCOMES:
            raise UserError(self.env._("Unknown feedback: %s", outcome))
        self._qc_check_feedback_open()
        self.check_access("write")
        now = fields.Datetime.now()
        if outcome == "unreachable":
            recorded = self.browse()
            envs = company_envs(self.env, self)
            for ticket in self:
                attempts = ticket.qc_feedback_attempts + 1
                limit = (ticket.company_id or self.env.company).qc_feedback_max_attempts
                vals = {"qc_feedback_attempts": attempts}
                env = envs[ticket.company_id]  # a note for everyone
                text = env._(
                    "Attempt %(attempt)s of %(limit)s: the customer could not be reached.",
                    attempt=attempts,
                    limit=limit,
                )
                if attempts >= limit:
                    vals.update(qc_feedback_state="unreachable", qc_feedback_date=now)
                    vals["qc_feedback_note"] = note or False
                    recorded |= ticket
                    text += " " + env._("The feedback is recorded as unreachable.")
                ticket.sudo().write(vals)
                ticket._message_log(body=text + (f"\n{note}" if note else ""))
        else:
            recorded = self
            vals = {"qc_feedback_state": outcome, "qc_feedback_date": now, "qc_feedback_note": note}
            if customer_comment is not None:
                vals.update(
                    qc_feedback_by_customer=True,
                    qc_feedback_customer_comment=customer_comment or False,
                )
            self.sudo().write(vals)
            if note:
                self._message_log_batch(dict.fromkeys(self.ids, note))
        if not recorded:
            return True
        recorded._qc_feedback_stop_clock()
        recorded._qc_feedback_close_activities(self.env._("Customer's feedback recorded."))
        if outcome == "dissatisfied":
            recorded._qc_on_dissatisfied()
        else:
            recorded._qc_on_case_handled()
        return True

    def _qc_on_dissatisfied(self):
        """Back to negotiation: the remedy step, the next plan version, and the
        department head told."""
        for ticket in self:
            ticket.sudo().write({"qc_plan_version": (ticket.qc_plan_version or 1) + 1})
        self._qc_move_back_to_step("remedy")
        # the revised plan's proposal marks it done (action_propose_remedy_plan)
        self._qc_alert_department_head(
            lambda env: env._("Customer not satisfied: revise the remedy plan"),
            lambda env, ticket: env._(
                "The customer of %(ticket)s is not satisfied with the remedies. "
                "Propose a revised plan.",
                ticket=ticket.display_name,
            ),
            activity_xmlid=REVISE_PLAN_ACTIVITY,
        )

    # ------------------------------------------------------------ rating
    def _qc_on_rating_applied(self, rating):
        """The customer answered on Odoo's rating page (from the result message):
        Happy or Neutral is satisfied, Unhappy is not satisfied. Only while the
        answer is awaited; a later rating stays in the chatter only."""
        tickets = self.filtered(
            lambda t: (
                t.is_quality_complaint
                and t.qc_feedback_state in FEEDBACK_OPEN
                and t.qc_feedback_plan_version == (t.qc_plan_version or 1)
            )
        )
        if not tickets or rating.rating < RATING_LIMIT_MIN:
            return
        outcome = "dissatisfied" if _rating_to_grade(rating.rating) == "bad" else "satisfied"
        tickets.sudo()._qc_record_feedback(
            outcome, note=rating.feedback or False, customer_comment=rating.feedback or ""
        )

    # ============================================================
    # Send Result, Record Feedback (docs/process.md §5)
    # ============================================================

    # ------------------------------------------------------------ actions
    def _qc_check_feedback_open(self):
        """Feedback is possible once the plan is executed, until it is recorded."""
        for ticket in self:
            if not ticket.is_quality_complaint:
                raise UserError(self.env._("%s is not a quality complaint.", ticket.display_name))
            if ticket.qc_feedback_state == "dissatisfied":
                raise UserError(
                    self.env._(
                        "%s: the customer was not satisfied; their feedback on the revised "
                        "plan follows once it is executed.",
                        ticket.display_name,
                    )
                )
            if ticket.qc_feedback_state == "none":
                raise UserError(
                    self.env._(
                        "%s: no remedy plan has been executed yet; the result and the "
                        "customer's feedback follow once its last remedy is executed.",
                        ticket.display_name,
                    )
                )
            if ticket.qc_feedback_state not in FEEDBACK_OPEN:
                raise UserError(
                    self.env._(
                        "%(ticket)s: the customer's feedback is already recorded (%(state)s).",
                        ticket=ticket.display_name,
                        state=dict(
                            self._fields["qc_feedback_state"]._description_selection(self.env)
                        )[ticket.qc_feedback_state],
                    )
                )

    @role(CUSTOMER_SERVICE)
    def action_qc_send_result(self):
        """Send the customer what was done and ask whether they are satisfied."""
        template = self._qc_send_result_check()
        self.with_context(qc_auto_message=True)._qc_post_template(template)
        self._qc_result_sent()
        return True

    @role(CUSTOMER_SERVICE)
    def action_qc_preview_result(self):
        """Open the preview of the result message ("Send Result"); sending it does
        what ``action_qc_send_result`` does (``_qc_preview_send_result``)."""
        template = self._qc_send_result_check()
        return self.env["quality.complaint.message.preview"]._qc_open(
            "result", self, template, [(ticket, {}) for ticket in self]
        )

    def _qc_preview_send_result(self, preview):
        preview._qc_check_opener(self, "action_qc_preview_result")
        self._qc_send_result_check()
        sent = self.browse()
        for line, ticket in preview._qc_lines_on(self):
            line._qc_post(
                ticket.with_context(qc_auto_message=True),
                author=(ticket.registered_by_id or self.env.user).partner_id,
            )
            sent |= ticket
        sent._qc_result_sent()

    def _qc_send_result_check(self):
        """The result's template; what the user may not do raises."""
        self._qc_check_feedback_open()
        for ticket in self:
            if not ticket.partner_id:
                raise UserError(
                    self.env._(
                        "%s has no customer to send the result to: set the customer first.",
                        ticket.display_name,
                    )
                )
        template = self.env.ref(RESULT_TEMPLATE, raise_if_not_found=False)
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: result of the remedies' was "
                    "deleted: restore it (update the Quality Complaints module)."
                )
            )
        self.check_access("write")
        return template

    def _qc_result_sent(self):
        """After the result was sent: the feedback is awaited, the clock stops."""
        now = fields.Datetime.now()
        self.sudo().write({"qc_feedback_state": "sent", "qc_feedback_sent_date": now})
        self._qc_feedback_stop_clock()
        self._qc_feedback_close_activities(self.env._("Result sent to the customer."))

    @role(CUSTOMER_SERVICE)
    def action_qc_record_feedback(self):
        """Open the wizard recording the customer's answer after a call."""
        self.ensure_one()
        self._qc_check_feedback_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Feedback"),
            "res_model": "quality.complaint.feedback.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def _qc_feedback_result_lines(self):
        """(remedy, what the customer is told of its document) of the current
        plan's executed remedies, for the result message."""
        self.ensure_one()
        lines = []
        for remedy in self.sudo()._qc_current_remedies().filtered(lambda r: r.state == "executed"):
            info = remedy.customer_info or remedy.document_ref
            if not info:
                info = ", ".join(filter(None, [remedy.picking_id.name, remedy.invoice_id.name]))
            lines.append((remedy.name, info or ""))
        return lines

    # ============================================================
    # Complaints opened from a call-back (docs/process.md §6)
    # ============================================================

    @api.depends("qc_child_ids")
    def _compute_qc_child_count(self):
        for ticket in self:
            ticket.qc_child_count = len(ticket.qc_child_ids)

    @role(CUSTOMER_SERVICE)
    def action_view_qc_children(self):
        self.ensure_one()
        return self._qc_action_for(
            [("qc_parent_id", "=", self.id)],
            name=self.env._("Complaints from the call-back of %s", self.display_name),
        )

    @role(CUSTOMER_SERVICE)
    def action_view_qc_parent(self):
        self.ensure_one()
        return self._qc_open_form(self.qc_parent_id)

    def _qc_open_form(self, ticket):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": ticket.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_is_quality_complaint": True},
        }

    def _qc_followup_new_problem(self, note):
        """A new problem: a linked complaint is opened for the same customer, order,
        product and lots, as a draft for customer service to complete."""
        child = self.env["helpdesk.ticket"].create(self._qc_followup_child_vals(note))
        self._message_log(
            body=Markup("%s %s")
            % (
                company_env(self.env, self.company_id)._("New problem at the call-back: complaint"),
                child._get_html_link(),
            )
        )
        return self._qc_open_form(child)

    def _qc_followup_child_vals(self, note):
        self.ensure_one()
        description = Markup("<p>%s</p>") % self.env._(
            "New problem reported at the call-back of %s.", self.display_name
        )
        if note:
            description += Markup("<p>%s</p>") % note
        return {
            "name": self.env._("New problem: %s", self.name),
            "is_quality_complaint": True,
            "qc_parent_id": self.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_name,
            "partner_email": self.partner_email,
            "channel_id": self.channel_id.id,
            "sale_order_id": self.sale_order_id.id,
            "sale_line_id": self.sale_line_id.id,
            "product_id": self.product_id.id,
            "lot_ids": [fields.Command.set(self.lot_ids.ids)],
            "description": description,
        }

    # ============================================================
    # The remedy plan (docs/process.md §4, §5)
    # ============================================================

    @api.depends("company_id")
    def _compute_qc_currency_id(self):
        for ticket in self:
            ticket.qc_currency_id = (ticket.company_id or self.env.company).currency_id

    @api.depends("qc_plan_version", "remedy_ids.state", "remedy_ids.plan_version")
    def _compute_qc_remedy_state(self):
        for ticket in self:
            lines = ticket._qc_current_remedies().filtered(lambda r: r.state != "cancelled")
            if not lines:
                ticket.qc_remedy_state = "none"
            elif all(r.state == "executed" for r in lines):
                ticket.qc_remedy_state = "executed"
            elif any(r.state in ("in_progress", "executed") for r in lines):
                ticket.qc_remedy_state = "executing"
            else:
                ticket.qc_remedy_state = "planned"

    @api.depends("remedy_ids.cost", "remedy_ids.state")
    def _compute_qc_remedy_cost(self):
        for ticket in self:
            ticket.qc_remedy_cost = sum(
                ticket.remedy_ids.filtered(lambda r: r.state in ("in_progress", "executed")).mapped(
                    "cost"
                )
            )

    @api.depends("remedy_ids.picking_id", "remedy_ids.invoice_id")
    def _compute_qc_document_counts(self):
        for ticket in self:
            ticket.qc_picking_count = len(ticket.remedy_ids.picking_id)
            ticket.qc_credit_note_count = len(ticket.remedy_ids.invoice_id)

    @api.depends("qc_plan_version", "remedy_ids.state", "remedy_ids.plan_version")
    def _compute_qc_remedy_progress(self):
        for ticket in self:
            lines = ticket._qc_current_remedies().filtered(lambda r: r.state != "cancelled")
            ticket.qc_remedy_total_count = len(lines)
            ticket.qc_remedy_done_count = len(lines.filtered(lambda r: r.state == "executed"))
            ticket.qc_remedy_to_approve_count = len(lines.filtered(lambda r: r.state == "planned"))
            ticket.qc_remedy_to_execute_count = len(
                lines.filtered(lambda r: r.state in ("planned", "approved"))
            )

    # ------------------------------------------------------------ actions
    @role(CUSTOMER_SERVICE)
    def action_qc_approve_all_remedies(self):
        """Approve every planned remedy of the current plan that the caller may
        approve; the others stay planned, and the user is told which and why."""
        self.ensure_one()
        lines = self._qc_current_remedies().filtered(lambda r: r.state == "planned")
        if not lines:
            raise UserError(
                self.env._("%s: no remedy of the plan is waiting for approval.", self.display_name)
            )
        done, left = lines._qc_each("action_approve")
        summary = self.env._(
            "%(done)s of %(total)s remedies approved.", done=len(done), total=len(lines)
        )
        return self._qc_plan_notification(self.env._("Approve All"), summary, left)

    @role(CUSTOMER_SERVICE)
    def action_qc_execute_all_remedies(self):
        """Carry out every remedy of the current plan that the caller may (each
        approved first where needed): those done at once are executed, the others'
        documents are handed over to whoever finishes them; a remedy refused is
        left, and the user told which and why."""
        self.ensure_one()
        lines = self._qc_current_remedies().filtered(lambda r: r.state in ("planned", "approved"))
        if not lines:
            raise UserError(
                self.env._("%s: no remedy of the plan is left to execute.", self.display_name)
            )
        done, left = lines._qc_each("action_execute")
        executed = done.filtered(lambda r: r.state == "executed")
        parts = [
            self.env._(
                "%(done)s of %(total)s remedies executed.", done=len(executed), total=len(lines)
            )
        ]
        for remedy in done - executed:
            users = remedy._qc_hand_over_users()
            parts.append(
                self.env._(
                    "%(remedy)s is under way (%(document)s): %(users)s asked to finish it.",
                    remedy=remedy.name,
                    document=remedy.document_ref or "",
                    users=", ".join(users.mapped("name")) or self.env._("nobody"),
                )
                if users
                else self.env._(
                    "%(remedy)s is under way (%(document)s).",
                    remedy=remedy.name,
                    document=remedy.document_ref or "",
                )
            )
        return self._qc_plan_notification(self.env._("Execute All"), " ".join(parts), left)

    def _qc_plan_notification(self, title, summary, left):
        """The notification closing Approve All / Execute All: what was done and,
        remedy by remedy, what was left and why; the form reloads."""
        message = summary
        if left:
            message += " " + self.env._(
                "Left as they are: %(remedies)s",
                remedies=" ".join(
                    self.env._("%(remedy)s: %(why)s", remedy=remedy.name, why=why)
                    for remedy, why in left.items()
                ),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": "warning" if left else "success",
                "sticky": bool(left),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    @role(CUSTOMER_SERVICE)
    def action_propose_remedy_plan(self):
        """Propose the remedy plan: the grade's default remedies and those answering
        the customer's request. A plan not approved yet is proposed anew."""
        for ticket in self:
            if ticket.complaint_state != "registered":
                raise UserError(
                    self.env._(
                        "%s: register the complaint before proposing a remedy plan.",
                        ticket.display_name,
                    )
                )
            if ticket.stage_id.closed:
                raise UserError(self.env._("%s is closed.", ticket.display_name))
            current = ticket._qc_current_remedies()
            if current.filtered(lambda r: r.state not in ("planned", "cancelled")):
                raise UserError(
                    self.env._(
                        "%s: the plan is being carried out; a revised plan follows the "
                        "customer's feedback.",
                        ticket.display_name,
                    )
                )
            # The action decides what is replaced: lines nobody approved yet.
            current.filtered(lambda r: r.state == "planned").sudo().unlink()
            version = ticket.qc_plan_version or 1
            vals_list = ticket._qc_remedy_plan_vals(version)
            if not vals_list:
                raise UserError(
                    self.env._(
                        "%s: no remedy type is proposed for its grade or the customer's "
                        "request; add remedies by hand or set the grade's default plan.",
                        ticket.display_name,
                    )
                )
            ticket.sudo().write(
                {
                    "qc_plan_version": version,
                    "remedy_ids": [Command.create(vals) for vals in vals_list],
                }
            )
        # the department head's "revise the plan" is done
        self._qc_close_activities_of(REVISE_PLAN_ACTIVITY, self.env._("Revised plan proposed."))
        self._qc_move_to_step("remedy")
        return True

    @role(CUSTOMER_SERVICE)
    def action_view_remedy_pickings(self):
        return self.remedy_ids.filtered("picking_id")._qc_documents_action()

    @role(CUSTOMER_SERVICE)
    def action_view_remedy_credit_notes(self):
        return self.remedy_ids.filtered("invoice_id")._qc_documents_action()

    # ------------------------------------------------------------ called by the ORM overrides
    def _qc_current_remedies(self):
        self.ensure_one()
        return self.remedy_ids.filtered(lambda r: r.plan_version == (self.qc_plan_version or 1))

    def _qc_remedy_types(self):
        """The remedy types of the plan: the grade's, then those answering the
        customer's request, then the pick-up the others need."""
        self.ensure_one()
        company = self.company_id or self.env.company
        Type = self.env["quality.complaint.remedy.type"]
        available = Type.search([("company_id", "in", [company.id, False])])
        types = self.grade_id.remedy_type_ids & available
        if self.customer_request:
            types |= available.filtered(lambda t: t.customer_request == self.customer_request)
        if types.filtered("collect_goods") and "return" not in types.mapped("action"):
            types = available.filtered(lambda t: t.action == "return")[:1] | types
        return types.sorted(lambda t: (t.sequence, t.id))

    def _qc_remedy_plan_vals(self, version):
        self.ensure_one()
        sale_line = self.sale_line_id
        quantity = self.affected_qty or 1.0
        Remedy = self.env["quality.complaint.remedy"]
        lines = []
        # The customer reads the remedies' descriptions: in the customer's language
        customer_env = reader_env(self.env, self.partner_id)
        for sequence, kind in enumerate(self._qc_remedy_types(), start=1):
            told = kind.with_env(customer_env)
            vals = {
                "type_id": kind.id,
                "name": told.description or told.name,
                "sequence": sequence,
                "plan_version": version,
                "product_id": (
                    kind.product_id if kind.action == "gift" else kind.product_id or self.product_id
                ).id,
                "lot_ids": [Command.set(self.lot_ids.ids)] if kind.action == "return" else [],
                "quantity": 1.0 if kind.product_id else quantity,
                "user_id": self.user_id.id or self.env.user.id,
                "warranty_months": kind.warranty_months,
            }
            if kind.action == "credit_note" and kind.collect_goods:
                # a refund: what the customer paid for the units, in the invoice's currency
                vals["amount"] = (
                    Remedy._qc_refund_figures(self, quantity)["total"] if sale_line else 0.0
                )
            elif kind.action == "credit_note":
                vals["amount"] = kind.default_amount
            else:
                vals["percent"] = kind.default_amount
            lines.append(vals)
        return lines

    def _qc_on_remedy_state_changed(self):
        """A remedy moved: the plan's state follows; when the last remedy of the
        plan is executed, the customer's feedback is due."""
        self.filtered(lambda t: t.qc_remedy_state in ("executing", "executed"))._qc_move_to_step(
            "remedy"
        )
        finished = self.filtered(lambda t: t.qc_remedy_state == "executed")
        if finished:
            finished._qc_on_remedies_executed()

    # ============================================================
    # Closing rules (docs/process.md §6)
    # ============================================================

    def _qc_missing_for_closing(self):
        items = super()._qc_missing_for_closing()
        ticket = self.sudo()
        lines = ticket._qc_current_remedies().filtered(lambda r: r.state != "cancelled")
        pending = lines.filtered(lambda r: r.state != "executed")
        if pending:
            items.append(
                self.env._(
                    "remedies not executed yet: %(remedies)s",
                    remedies=", ".join(pending.mapped("name")),
                )
            )
        elif not lines:
            items.append(self.env._("no remedy executed (propose and execute a remedy plan)"))
        if ticket.qc_feedback_state not in FEEDBACK_CLOSES:
            items.append(
                self.env._(
                    "the customer's feedback is not recorded (satisfied, or unreachable "
                    "after the attempts)"
                )
            )
        if ticket.qc_followup_state == "done" and ticket.qc_followup_outcome == "persists":
            items.append(
                self.env._(
                    "the problem persisted at the call-back: a new call-back follows once "
                    "the case is handled again"
                )
            )
        elif ticket.qc_followup_state not in ("done", "waived"):
            items.append(self.env._("the call-back is neither done nor waived"))
        return items

    # ============================================================
    # The customer's portal page (docs/process.md §5)
    # ============================================================

    @api.depends("qc_remedy_state", "qc_feedback_state")
    def _compute_qc_portal_status(self):
        return super()._compute_qc_portal_status()

    def _qc_portal_status_rules(self):
        stage = self.stage_id
        feedback = self.qc_feedback_state
        return [
            *super()._qc_portal_status_rules(),
            # the customer is asked once the result was sent to her
            (10, "feedback", feedback == "sent"),
            (11, "remedy", feedback == "due"),
            # A plan proposed or carried out; after "not satisfied" a revised one follows.
            (20, "remedy", self.qc_remedy_state in ("planned", "executing")),
            (21, "remedy", feedback == "dissatisfied"),
            (30, "feedback", feedback in ("satisfied", "unreachable")),
            (40, "remedy", stage.qc_step in ("remedy", "followup")),
        ]

    def _qc_portal_step_answered(self, status):
        return status == "feedback" and self.sudo().qc_feedback_state not in FEEDBACK_OPEN

    def _qc_portal_values(self):
        values = super()._qc_portal_values()
        if values:
            values.update(
                remedies=self._qc_portal_remedies(),
                feedback_due=self._qc_portal_feedback_due(),
                feedback_answer=self._qc_portal_feedback_answer(),
            )
        return values

    def _qc_portal_feedback_due(self):
        """The customer is asked whether they are satisfied: once the result was
        sent to her, until she (or customer service) records the answer."""
        self.ensure_one()
        ticket = self.sudo()
        return (
            ticket.is_quality_complaint
            and not ticket.stage_id.closed
            and ticket.qc_feedback_state == "sent"
        )

    def _qc_portal_feedback_answer(self):
        """The customer's answer as she sees it afterwards: satisfied or not, with
        her own comment (never what customer service noted on a call), or False."""
        self.ensure_one()
        ticket = self.sudo()
        if ticket.qc_feedback_state not in ("satisfied", "dissatisfied"):
            return False
        labels = dict(self._fields["qc_feedback_state"]._description_selection(self.env))
        return {
            "state": ticket.qc_feedback_state,
            "label": labels[ticket.qc_feedback_state],
            "comment": (ticket.qc_feedback_by_customer and ticket.qc_feedback_customer_comment)
            or False,
            "date": ticket.qc_feedback_date,
        }

    def _qc_portal_remedy_state_labels(self):
        return {
            "planned": self.env._("Proposed"),
            "approved": self.env._("Confirmed"),
            "in_progress": self.env._("On its way"),
            "executed": self.env._("Done"),
        }

    def _qc_portal_remedies(self):
        """The current plan's remedies, as the customer is told of them: what,
        how far, what to look for (tracking reference, coupon code, credit note
        number) and the customer's own amount; never costs, owners or approvals."""
        self.ensure_one()
        ticket = self.sudo()
        labels = self._qc_portal_remedy_state_labels()
        remedies = []
        for remedy in ticket._qc_current_remedies().filtered(lambda r: r.state in labels):
            title = remedy.type_id.name
            remedies.append(
                {
                    "id": remedy.id,
                    "title": title,
                    "name": remedy.name if remedy.name != title else False,
                    "state": remedy.state,
                    "state_label": labels[remedy.state],
                    "customer_info": remedy.customer_info or False,
                    "amount": remedy.amount if remedy.action == "credit_note" else False,
                    "percent": remedy.percent if remedy.action == "coupon" else False,
                    "currency": remedy.currency_id,
                }
            )
        return remedies

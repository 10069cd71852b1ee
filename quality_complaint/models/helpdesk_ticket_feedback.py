"""The customer's feedback on the remedies (docs/process.md §5): once the last remedy of the
plan is executed, the result is due to the customer within the company's working
days, with the question whether they are satisfied.

- The clock is the deadline mechanism's kind "feedback" (deadline.py): planned on
  the complaint desk's calendar, at risk, late; the deadline cron warns (chatter)
  and escalates (activity for the team's department head) once each.
- Customer service gets an activity due on the deadline's day; "Send Result"
  posts the editable template ``mail_template_complaint_result`` (what was done,
  with the documents' facts, and Odoo's rating links) in the customer's language
  and stops the clock.
- The answer comes from the rating page (``_qc_on_rating_applied``: Happy or
  Neutral count as satisfied, Unhappy as not satisfied), from the portal, or from
  customer service after a call (wizard "Record Feedback"); all of them go
  through ``_qc_record_feedback``.
- Not satisfied: back to negotiation (step "remedy"), the department head is told,
  and the next plan version is proposed; the feedback starts again when that plan
  is executed. Satisfied, or unreachable after the configured attempts: the case
  is handled (``_qc_on_case_handled``).
"""

from odoo import api, fields, models
from odoo.addons.rating.models.rating_data import RATING_LIMIT_MIN, _rating_to_grade
from odoo.exceptions import UserError

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
}
FEEDBACK = "feedback"
FEEDBACK_ACTIVITY = "quality_complaint.mail_activity_type_feedback"
RESULT_TEMPLATE = "quality_complaint.mail_template_complaint_result"


class QualityComplaintTicketFeedback(models.AbstractModel):
    """Feedback concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.feedback"
    _inherit = ["rating.mixin", "quality.complaint.deadline.mixin"]
    _description = "Complaint customer feedback"

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
        string="Result sent on", readonly=True, copy=False, groups="base.group_user"
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
        return super()._qc_on_remedies_executed()

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
    def _qc_deadline_warn(self, kind, clocks):
        if kind != FEEDBACK:
            return super()._qc_deadline_warn(kind, clocks)
        waiting = self.filtered(lambda t: t.qc_feedback_state == "due" and not t.stage_id.closed)
        waiting._message_log_batch(
            {
                ticket.id: self.env._(
                    "Result message at risk: the customer must have the result of the "
                    "remedies by %(deadline)s.",
                    deadline=ticket._qc_feedback_deadline_text(),
                )
                for ticket in waiting
            }
        )
        return None

    def _qc_deadline_escalate(self, kind, clocks):
        if kind != FEEDBACK:
            return super()._qc_deadline_escalate(kind, clocks)
        late = self.filtered(lambda t: t.qc_feedback_state == "due" and not t.stage_id.closed)
        late._qc_alert_department_head(
            lambda env: env._("Result message to the customer is late"),
            lambda env, ticket: env._(
                "The result of the remedies was due to the customer by %(deadline)s.",
                deadline=ticket._qc_feedback_deadline_text(),
            ),
        )
        return None

    def _qc_feedback_deadline_text(self):
        self.ensure_one()
        deadline = self.qc_feedback_deadline
        if not deadline:
            return ""
        tz = self.qc_feedback_deadline_id.calendar_id.tz or "UTC"
        moment = fields.Datetime.context_timestamp(self.with_context(tz=tz), deadline)
        return f"{moment:%Y-%m-%d %H:%M} ({tz})"

    # ------------------------------------------------------------ recording
    def _qc_record_feedback(self, outcome, note=False):
        """Record the customer's answer: ``outcome`` in FEEDBACK_OUTCOMES.

        "unreachable" counts one failed attempt; the feedback is recorded as
        unreachable once the company's number of attempts is reached. Called by
        the wizard, the rating page and the portal (as superuser, after its own
        checks)."""
        if outcome not in FEEDBACK_OUTCOMES:
            raise UserError(self.env._("Unknown feedback: %s", outcome))
        self._qc_check_feedback_open()
        self.check_access("write")
        now = fields.Datetime.now()
        if outcome == "unreachable":
            recorded = self.browse()
            for ticket in self:
                attempts = ticket.qc_feedback_attempts + 1
                limit = (ticket.company_id or self.env.company).qc_feedback_max_attempts
                vals = {"qc_feedback_attempts": attempts}
                text = self.env._(
                    "Attempt %(attempt)s of %(limit)s: the customer could not be reached.",
                    attempt=attempts,
                    limit=limit,
                )
                if attempts >= limit:
                    vals.update(qc_feedback_state="unreachable", qc_feedback_date=now)
                    vals["qc_feedback_note"] = note or False
                    recorded |= ticket
                    text += " " + self.env._("The feedback is recorded as unreachable.")
                ticket.sudo().write(vals)
                ticket._message_log(body=text + (f"\n{note}" if note else ""))
        else:
            recorded = self
            self.sudo().write(
                {"qc_feedback_state": outcome, "qc_feedback_date": now, "qc_feedback_note": note}
            )
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
        self._qc_alert_department_head(
            lambda env: env._("Customer not satisfied: revise the remedy plan"),
            lambda env, ticket: env._(
                "The customer of %(ticket)s is not satisfied with the remedies. "
                "Propose a revised plan.",
                ticket=ticket.display_name,
            ),
        )

    def _qc_on_case_handled(self):
        """The customer is satisfied, or could not be reached after the configured
        attempts: the case is handled. Hook for what follows (the 30-day
        follow-up); implementations call super()."""
        return None

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
        tickets.sudo()._qc_record_feedback(outcome, note=rating.feedback or False)

"""Effectiveness verification, due once the action is done (SPEC §6).

- Done: the "verification" clock (deadline.py) runs for the company's
  verification days, on calendar days; quality gets an activity due that day (the
  investigation's owner, else the action's owner, else the quality manager).
- At risk: a note and a reminder for quality; overdue: the company's quality
  manager is told, once.
- Verify (``action_verify``): quality records a ``quality.complaint.action.verification``
  (action_verification.py); its verdict applies here: effective closes the action
  (and the investigation with its last action), not effective reopens it with
  the reason and gives the owner a new deadline.
- Reopened or cancelled: the clock stops, quality's activity goes.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..roles import OFFICER, role

VERIFICATION = "verification"
VERIFICATION_ACTIVITY = "quality_complaint.mail_activity_type_action_verification"
REWORK_ACTIVITY = "quality_complaint.mail_activity_type_action_rework"
OFFICER_GROUP = "quality_complaint.group_complaint_officer"
# Share of the verification time left under which it is at risk.
VERIFICATION_AT_RISK_PERCENT = 30.0
VERDICTS = [
    ("effective", "Effective"),
    ("not_effective", "Not effective"),
]


class QualityComplaintActionVerificationMixin(models.AbstractModel):
    _name = "quality.complaint.action.verification.mixin"
    _description = "Corrective action: verification"

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

    # ------------------------------------------------------------ computes
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

    def _qc_protected(self):
        return super()._qc_protected() | {"last_verdict"}

    # ------------------------------------------------------------ hooks
    def _qca_on_done(self):
        self._qc_close_activities_of(REWORK_ACTIVITY, self.env._("The action is done again."))
        self._qcv_start()
        return super()._qca_on_done()

    def _qca_on_reopen(self, reason):
        self._qcv_stop()
        self.investigation_id._qci_reopen_for(self, reason)
        return super()._qca_on_reopen(reason)

    def _qca_on_cancel(self):
        self._qcv_stop()
        self.investigation_id._qci_close_if_verified()
        return super()._qca_on_cancel()

    def _qca_on_open(self):
        # A new action on a closed investigation reopens it: its work is not over.
        self.investigation_id._qci_reopen_for(self, self.env._("a new action is opened"))
        return super()._qca_on_open()

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
        activities = self._qc_activities_of(VERIFICATION_ACTIVITY)
        if activities:
            activities.unlink()

    def _qcv_verifier(self):
        """Who verifies: the investigation's owner, else the action's owner, else
        the company's quality manager."""
        self.ensure_one()
        return (
            self.investigation_id.user_id or self.user_id or self.company_id.qc_quality_manager_id
        )

    # ------------------------------------------------------------ activities

    def _qcv_schedule(self, plans, summary, xmlid=VERIFICATION_ACTIVITY):
        """One activity per (action, user, due moment, note) of ``plans``;
        ``summary(env, action)`` in the user's language. Actions without anyone
        get a note instead."""
        activity_type = self.env.ref(xmlid)
        model_id = self.env["ir.model"]._get_id(self._name)
        activities, orphans = [], {}
        for action, user, due, note in plans:
            if not user:
                orphans[action.id] = self.env._(
                    "%(what)s, but nobody is told: set an owner on the action or a quality "
                    "manager in the settings.",
                    what=summary(self.env, action),
                )
                continue
            env = self.with_context(lang=user.lang or self.env.lang).env
            moment = due or fields.Datetime.now()
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": action.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(
                        self.with_context(tz=user.tz or "UTC"), moment
                    ),
                    "summary": summary(env, action),
                    "note": note(env, action) if note else False,
                }
            )
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
            )
        if orphans:
            self.browse(list(orphans))._message_log_batch(orphans)

    # ------------------------------------------------------------ events
    def _qc_deadline_warn(self, kind, clocks):
        if kind != VERIFICATION:
            return super()._qc_deadline_warn(kind, clocks)
        waiting = self.filtered(lambda a: a.state == "done")
        due = {clock.res_id: clock.deadline for clock in clocks}
        waiting._message_log_batch(
            {
                action.id: self.env._(
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
        # The quality manager's activity is the escalation (no chatter note: the
        # activity shows on the action; the cron escalates in batches).
        late = self.filtered(lambda a: a.state == "done")
        due = {clock.res_id: clock.deadline for clock in clocks}
        late._qcv_schedule(
            [(action, action.company_id.qc_quality_manager_id, None, None) for action in late],
            lambda env, action: env._(
                "Verification of %(ref)s is overdue (due by %(date)s)",
                ref=action.name,
                date=action._qcv_date_text(due.get(action.id)),
            ),
        )
        return None

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
                        "quality_complaint.quality_complaint_action_verification_view_form_dialog"
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
            self._message_log(
                body=self.env._(
                    "Verified effective: %(result)s", result=verification._result_text()
                )
            )
            self.investigation_id._qci_close_if_verified()
            return
        self._qc_close_activities_of(VERIFICATION_ACTIVITY, self.env._("Verified not effective."))
        self._qca_reopen(
            self.env._(
                "not effective (%(result)s): %(reason)s",
                result=verification._result_text(),
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

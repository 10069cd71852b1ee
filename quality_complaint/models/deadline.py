"""One deadline mechanism for every clock of the complaint process.

A ``quality.complaint.deadline`` is one clock of one record: the response SLA of a
complaint today; customer feedback due, the 30-day call-back, a supplier's answer
or a verification due tomorrow. It is planned on the company's working calendar
(or on calendar days), can be paused, turns at risk, then breached, and the cron
fires each event once. The record that owns the clock inherits
``quality.complaint.deadline.mixin`` and implements the event hooks; a new deadline
is a new ``kind`` and a few values, not a copy of this machinery.
"""

import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.tools import SQL

from ..lang import company_env, reader_env

_logger = logging.getLogger(__name__)

DEADLINE_STATUS = [
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
UNITS = [
    ("working_hours", "Working hours"),
    ("working_days", "Working days"),
    ("days", "Days"),
]
CRON_BATCH = 500


class QualityComplaintDeadline(models.Model):
    _name = "quality.complaint.deadline"
    _description = "Quality complaint deadline"
    _order = "deadline, id"
    _rec_name = "kind"

    res_model = fields.Char(string="Document model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", required=True, readonly=True
    )
    # Every clock of the process: a new one is a kind here plus its owner's hooks.
    kind = fields.Selection(
        [
            ("response", "First response to the customer"),
        ],
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    calendar_id = fields.Many2one(
        "resource.calendar",
        readonly=True,
        help="Working calendar the deadline is planned on; empty: the wall clock.",
    )
    start = fields.Datetime(required=True, readonly=True)
    duration = fields.Float(readonly=True)
    unit = fields.Selection(UNITS, default="working_hours", required=True, readonly=True)
    at_risk_percent = fields.Float(
        readonly=True, help="Share of the time left under which the deadline is at risk."
    )
    deadline = fields.Datetime(readonly=True)
    at_risk_date = fields.Datetime(string="At risk from", readonly=True)
    paused_since = fields.Datetime(readonly=True)
    paused_hours = fields.Float(
        readonly=True,
        help="Time spent paused (working hours, or hours for calendar-day deadlines); "
        "it extends the deadline.",
    )
    frozen = fields.Boolean(
        readonly=True, help="Not watched while the document is closed; the status is kept."
    )
    status = fields.Selection(DEADLINE_STATUS, readonly=True, index=True)
    next_check = fields.Datetime(readonly=True)
    warned_date = fields.Datetime(string="At-risk warning on", readonly=True)
    escalated_date = fields.Datetime(string="Escalated on", readonly=True)
    done_date = fields.Datetime(readonly=True)
    done_by_id = fields.Many2one("res.users", readonly=True)

    _next_check_idx = models.Index("(next_check) WHERE next_check IS NOT NULL")
    _document_idx = models.Index("(res_model, res_id, kind)")
    _one_per_kind = models.UniqueIndex(
        "(res_model, res_id, kind)", "A document has one deadline of each kind."
    )

    # ------------------------------------------------------------ planning
    def _plan(self):
        """Deadline and at-risk time from the start, then the status."""
        for calendar_id in set(self.mapped("calendar_id.id")) | {False}:
            calendar = self.env["resource.calendar"].browse(calendar_id)
            clocks = self.filtered(lambda d, c=calendar: d.calendar_id == c)
            plans = []
            for clock in clocks:
                hours, on_calendar = clock._hours()
                share = (clock.at_risk_percent or 0.0) / 100.0
                plans.append((on_calendar, clock.start, hours + clock.paused_hours))
                plans.append((on_calendar, clock.start, hours * (1 - share) + clock.paused_hours))
            worked = [(start, hours) for on_cal, start, hours in plans if on_cal]
            ends = iter(calendar._qc_plan_work_hours(worked))
            results = [
                next(ends) if on_cal else start + timedelta(hours=hours)
                for on_cal, start, hours in plans
            ]
            # One write per distinct plan: clocks started together share theirs, and
            # each write looks up the documents showing the deadline once.
            same = defaultdict(list)
            for index, clock in enumerate(clocks):
                same[results[2 * index], results[2 * index + 1]].append(clock.id)
            for (deadline, at_risk), ids in same.items():
                self.browse(ids).write({"deadline": deadline, "at_risk_date": at_risk})
        self._refresh(fields.Datetime.now())

    def _hours(self):
        """(hours to plan, planned on the calendar?)"""
        self.ensure_one()
        if self.unit == "days":
            return self.duration * 24.0, False
        if self.unit == "working_days":
            per_day = self.calendar_id.hours_per_day or 8.0
            return self.duration * per_day, bool(self.calendar_id)
        return self.duration, bool(self.calendar_id)

    # ------------------------------------------------------------ status
    def _state(self, now):
        """(status, next check, pending event) of the clock at ``now``."""
        self.ensure_one()
        if not self.deadline:
            return False, False, None
        if self.done_date:
            return ("met" if self.done_date <= self.deadline else "breached"), False, None
        if self.paused_since or self.frozen:
            return self.status or "on_track", False, None
        if now >= self.deadline:
            return "breached", False, (None if self.escalated_date else "escalate")
        if now >= self.at_risk_date:
            return "at_risk", self.deadline, (None if self.warned_date else "warn")
        return "on_track", self.at_risk_date, None

    def _refresh(self, now, fire_events=False):
        """Store status and next check; with ``fire_events`` warn and escalate once.

        Without it, a pending event leaves the clock due now, for the cron.
        Returns the (model, kind, event) fired.
        """
        events = defaultdict(self.browse)
        groups = defaultdict(list)
        for clock in self:
            status, next_check, event = clock._state(now)
            vals = {"status": status, "next_check": next_check}
            if status == "on_track":
                vals.update(warned_date=False, escalated_date=False)
            elif status == "at_risk":
                vals["escalated_date"] = False
            if event and not fire_events:
                vals["next_check"] = now
            elif event:
                events[clock.res_model, clock.kind, event] |= clock
                vals["warned_date" if event == "warn" else "escalated_date"] = now
            if any(clock[name] != value for name, value in vals.items()):
                groups[tuple(sorted(vals.items()))].append(clock.id)
        for vals, ids in groups.items():
            self.browse(ids).write(dict(vals))
        for (model, kind, event), clocks in events.items():
            records = self.env[model].browse(clocks.mapped("res_id")).exists()
            if event == "warn":
                records._qc_deadline_warn(kind, clocks)
            else:
                records._qc_deadline_escalate(kind, clocks)
        return set(events)

    # ------------------------------------------------------------ life
    def _mark_done(self, now, user):
        over = self._escalated_running()
        paused = self.filtered("paused_since")
        paused._resume(now)
        self.write({"done_date": now, "done_by_id": user.id})
        # Done while paused: the wait extends the deadline first.
        paused._plan()
        (self - paused)._refresh(now)
        over._escalation_over()

    def _pause(self, now):
        self.filtered(lambda d: not d.paused_since and not d.done_date).write({"paused_since": now})
        self._refresh(now)

    def _resume(self, now):
        """Add the time paused to the paused hours; the caller replans."""
        for clock in self.filtered("paused_since"):
            if clock.unit == "days" or not clock.calendar_id:
                hours = max((now - clock.paused_since).total_seconds() / 3600, 0.0)
            else:
                hours = clock.calendar_id._qc_work_hours_between(clock.paused_since, now)
            clock.write({"paused_hours": clock.paused_hours + hours, "paused_since": False})

    def _freeze(self, frozen, now):
        over = self._escalated_running() if frozen else self.browse()
        self.filtered(lambda d: d.frozen != frozen).write({"frozen": frozen})
        self._refresh(now)
        over._escalation_over()

    def _escalated_running(self):
        """The clocks escalated and still running (listed as overdue)."""
        return self.filtered(lambda d: d.escalated_date and not d.done_date and not d.frozen)

    def _escalation_over(self):
        """These escalated clocks are no longer overdue (done, stopped or started
        again): tell their owners, once per model and kind."""
        groups = defaultdict(self.browse)
        for clock in self:
            groups[clock.res_model, clock.kind] |= clock
        for (model, kind), clocks in groups.items():
            records = self.env[model].browse(clocks.mapped("res_id")).exists()
            records._qc_deadline_escalation_over(kind, clocks)

    # ------------------------------------------------------------ cron
    @api.model
    def _lock_due(self, now, limit, exclude=()):
        """Ids of clocks due at ``now``, locked, skipping those another worker holds.
        The partial index on next_check keeps this cheap whatever the number of
        running clocks.

        None when another worker has just checked some of them: this transaction
        began before that worker committed, and repeatable read refuses to lock a
        row changed since (a serialization failure); those clocks are done, the
        others are that worker's or the next run's. No error in the log: two
        workers at once is no fault."""
        self.flush_model(["next_check"])
        query = SQL(
            "SELECT id FROM quality_complaint_deadline WHERE next_check <= %s %s"
            " ORDER BY next_check LIMIT %s FOR NO KEY UPDATE SKIP LOCKED",
            now,
            SQL("AND id NOT IN %s", tuple(exclude)) if exclude else SQL(),
            limit,
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query, log_exceptions=False)
                return [row[0] for row in self.env.cr.fetchall()]
        except pg_errors.SerializationFailure:
            _logger.info("Deadline check: another worker has just checked these clocks")
            return None

    @api.model
    def _cron_check(self, batch_size=CRON_BATCH):
        """Flag clocks at risk, mark breaches, fire each event once; batched."""
        now = fields.Datetime.now()
        in_cron = bool(self.env.context.get("cron_id"))
        done = []
        fired = set()
        while True:
            ids = self._lock_due(now, batch_size, exclude=done)
            if not ids:  # none due, or another worker is on them (None)
                break
            fired |= self.browse(ids)._refresh(now, fire_events=True)
            done.extend(ids)
            full = len(ids) == batch_size
            if in_cron:
                remaining = 0
                if full:
                    self.flush_model(["next_check"])
                    remaining = self.search_count([("next_check", "<=", now)])
                if not self.env["ir.cron"]._commit_progress(len(ids), remaining=remaining):
                    break
            if not full:
                break
        for model in sorted({model for model, _kind, _event in fired}):
            self.env[model]._qc_deadline_run_done(
                {(kind, event) for fired_model, kind, event in fired if fired_model == model}
            )
        return len(done)


class QualityComplaintDeadlineMixin(models.AbstractModel):
    """A document with deadlines (``quality.complaint.deadline``, one per kind)."""

    _name = "quality.complaint.deadline.mixin"
    _description = "Document with deadlines"

    def _qc_deadlines(self, kind):
        """The clocks of ``kind`` of the records, in one query."""
        return (
            self.env["quality.complaint.deadline"]
            .sudo()
            .search(
                [("res_model", "=", self._name), ("res_id", "in", self.ids), ("kind", "=", kind)]
            )
        )

    @api.model
    def _qc_fresh_clock(
        self, company, start, duration, unit, *, calendar=False, at_risk_percent=0.0
    ):
        """Values of a clock (re)started at ``start``: nothing paused, done or fired."""
        return {
            "company_id": company.id,
            "calendar_id": calendar.id if calendar else False,
            "start": start,
            "duration": duration,
            "unit": unit,
            "at_risk_percent": at_risk_percent,
            "paused_since": False,
            "paused_hours": 0.0,
            "frozen": False,
            "done_date": False,
            "done_by_id": False,
            "warned_date": False,
            "escalated_date": False,
        }

    def _qc_schedule_activities(self, xmlid, plans, notify=False):
        """Schedule an activity of type ``xmlid`` for each ``(record, values)`` of
        ``plans`` (values: ``user_id``, ``date_deadline``, ``summary``, ``note``),
        as superuser (the callers checked the role). Returns the activities.

        One create for the whole batch, each activity with its own texts (a
        reference, a deadline in the summary): no write per record afterwards. As
        Odoo's ``activity_schedule``: automated activities, the type's summary and
        note where a plan gives none, nothing when ``mail_activity_automation_skip``
        is in the context. ``notify=False`` skips Odoo's assignment e-mail, one per
        activity (``mail_activity_quick_update``): the callers tell the assignees
        themselves where they must be told.
        """
        Activity = self.env["mail.activity"].sudo()
        if not plans or self.env.context.get("mail_activity_automation_skip"):
            return Activity
        activity_type = self.env.ref(xmlid, raise_if_not_found=False)
        if not activity_type or activity_type.res_model not in (False, self._name):
            activity_type = self._default_activity_type()
        model_id = self.env["ir.model"]._get_id(self._name)
        # The type's summary and note, where a plan gives none, in the assignee's language
        users = (
            self.env["res.users"]
            .sudo()
            .browse(
                {
                    v["user_id"]
                    for _r, v in plans
                    if v["user_id"] and not (v.get("summary") and v.get("note"))
                }
            )
        )
        types = {user.id: activity_type.with_env(reader_env(self.env, user)) for user in users}
        vals_list = [
            {
                "activity_type_id": activity_type.id,
                "automated": True,
                "res_model_id": model_id,
                "res_id": record.id,
                "user_id": values["user_id"],
                "date_deadline": values["date_deadline"],
                "summary": values.get("summary")
                or types.get(values["user_id"], activity_type).summary,
                "note": values.get("note")
                or types.get(values["user_id"], activity_type).default_note,
            }
            for record, values in plans
        ]
        if not notify:
            Activity = Activity.with_context(mail_activity_quick_update=True)
        return Activity.create(vals_list)

    @api.model
    def _qc_escalated_clocks(self, kind, companies=None):
        """The running clocks of ``kind`` on records of this model that breached
        and were escalated, of ``companies`` (default: all): what a managers'
        digest lists. One query."""
        domain = [
            ("res_model", "=", self._name),
            ("kind", "=", kind),
            ("status", "=", "breached"),
            ("escalated_date", "!=", False),
            ("done_date", "=", False),
            ("frozen", "=", False),
        ]
        if companies is not None:
            domain.append(("company_id", "in", companies.ids))
        return self.env["quality.complaint.deadline"].sudo().search(domain)

    @api.model
    def _qc_digest_activities(self, xmlid, companies, digests, render, feedback):
        """Keep ONE activity of type ``xmlid`` per (company, user) listing records,
        updated in place: a digest (the managers' escalation of a backlog).

        ``digests``: {(company, user): the records to list, first the one the
        activity is on, or nothing}. The digests of ``companies`` (None: of every
        company) not in it or with nothing to list are marked done, with
        ``feedback(env)`` in the company's language (the note is for everyone on
        the record). ``render(env, records)``: (summary, note) in the user's
        language (``env``). An existing digest keeps its due date and moves to the
        first record; duplicates (two workers at once) are merged into the
        oldest. As superuser (the callers checked the role)."""
        Activity = self.env["mail.activity"].sudo()
        activity_type = self.env.ref(xmlid)
        existing = Activity.search(
            [("res_model", "=", self._name), ("activity_type_id", "=", activity_type.id)],
            order="id",
        )
        company_of = {
            record.id: record.company_id
            for record in self.sudo().browse(set(existing.mapped("res_id"))).exists()
        }
        found = defaultdict(Activity.browse)
        for activity in existing:
            found[company_of.get(activity.res_id), activity.user_id] |= activity
        plans, done = [], defaultdict(Activity.browse)
        for (company, user), records in digests.items():
            current = found.pop((company, user), Activity)
            done[company] |= current[1:]
            if not records:
                done[company] |= current[:1]
                continue
            summary, note = render(reader_env(self.env, user), records)
            if current:
                current[:1].write({"res_id": records[:1].id, "summary": summary, "note": note})
                continue
            today = fields.Date.context_today(self.with_context(tz=user.tz or "UTC"))
            plans.append(
                (
                    records[:1],
                    {"user_id": user.id, "date_deadline": today, "summary": summary, "note": note},
                )
            )
        for (company, _user), activities in found.items():
            if companies is None or company in companies:
                done[company] |= activities
        self._qc_schedule_activities(xmlid, plans)
        for company, activities in done.items():
            if activities:  # done by the system (OdooBot), whoever's change cleared it
                activities.with_user(api.SUPERUSER_ID).action_feedback(
                    feedback=feedback(company_env(self.env, company))
                )

    def _qc_close_activities_of(self, xmlid, feedback):
        """Mark the activities of type ``xmlid`` on the records as done, also those
        a user scheduled by hand."""
        self.sudo().activity_feedback([xmlid], feedback=feedback, only_automated=False)

    def _qc_deadline_plan(self, kind, values):
        """Start or replan the ``kind`` clock of each record.

        ``values``: {record id: dict(start, duration, unit, calendar_id, company_id,
        at_risk_percent)}. Returns the clocks, in the order of ``self``.
        """
        Deadline = self.env["quality.complaint.deadline"].sudo()
        existing = {clock.res_id: clock for clock in self._qc_deadlines(kind)}
        over = Deadline.browse([clock.id for clock in existing.values()])._escalated_running()
        to_create = []
        clocks = Deadline
        for record in self:
            vals = values[record.id]
            clock = existing.get(record.id)
            if clock:
                clock.write(vals)
                clocks |= clock
            else:
                to_create.append(
                    {"res_model": self._name, "res_id": record.id, "kind": kind, **vals}
                )
        clocks |= Deadline.create(to_create)
        clocks._plan()
        over._escalation_over()
        by_record = {clock.res_id: clock for clock in clocks}
        return Deadline.browse([by_record[record.id].id for record in self])

    @api.ondelete(at_uninstall=False)
    def _unlink_qc_deadlines(self):
        self.env["quality.complaint.deadline"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "in", self.ids)]
        ).unlink()

    # Event hooks: the owner says what a warning and an escalation mean.
    def _qc_deadline_warn(self, kind, clocks):
        """The ``kind`` clocks of the records are at risk. Extended by the owners:
        the ticket (``response``; quality_complaint_remedy: ``feedback``) and
        quality_complaint_action's actions (``verification``)."""
        return None

    @api.model
    def _qc_deadline_run_done(self, events):
        """The cron's run is over: ``events``, the (kind, event) it fired on this
        model's clocks, whatever batches they came in. For the owners that act once
        per run (quality_complaint_purchase: one reminder per supplier contact)."""
        return None

    def _qc_deadline_escalation_over(self, kind, clocks):
        """The escalated ``kind`` clocks of the records are no longer overdue: done,
        stopped (cancelled, reopened) or started again. Extended by the owners that
        keep a digest of the overdue records: quality_complaint_action
        (``verification``) and quality_complaint_purchase (``supplier_answer``)."""
        return None

    def _qc_deadline_escalate(self, kind, clocks):
        """The ``kind`` clocks of the records are breached. Extended by the owners:
        the ticket (``response``; quality_complaint_remedy: ``feedback``,
        ``followup``), quality_complaint_action's actions (``verification``) and
        quality_complaint_purchase (``supplier_answer``)."""
        return None

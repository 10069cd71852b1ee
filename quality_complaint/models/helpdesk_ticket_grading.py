"""Grading, dispatch and the response SLA of a complaint (SPEC §2)."""

import bisect
from collections import defaultdict
from datetime import timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

SLA_STATUS = [
    ("on_track", "On track"),
    ("at_risk", "At risk"),
    ("breached", "Breached"),
    ("met", "Met"),
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

SLA_CRON_BATCH = 500
CONTACT_ACTIVITY = "quality_complaint.mail_activity_type_contact_customer"


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------ grading facts
    qc_regulator_threat = fields.Boolean(
        string="Threatens regulators or media",
        tracking=True,
        copy=False,
        help="The customer threatens to complain to a regulator or to the media.",
    )
    # ------------------------------------------------------------ grade
    grade_id = fields.Many2one(
        "quality.complaint.grade",
        ondelete="restrict",
        readonly=True,
        copy=False,
        tracking=True,
        index="btree_not_null",
    )
    grade_color = fields.Integer(related="grade_id.color")
    grade_auto_id = fields.Many2one(
        "quality.complaint.grade",
        string="Grade by rules",
        readonly=True,
        copy=False,
        help="The grade the rules give, whatever an override says.",
    )
    grade_reasons = fields.Text(
        string="Why this grade",
        readonly=True,
        copy=False,
        help="The grading rules that fired, one per line.",
    )
    grade_override_id = fields.Many2one(
        "quality.complaint.grade",
        string="Grade set by quality",
        readonly=True,
        copy=False,
        tracking=True,
    )
    grade_override_reason = fields.Text(
        string="Override reason", readonly=True, copy=False, tracking=True
    )
    grade_override_user_id = fields.Many2one(
        "res.users", string="Overridden by", readonly=True, copy=False
    )
    grade_announced_id = fields.Many2one(
        "quality.complaint.grade",
        string="Grade announced to the customer",
        readonly=True,
        copy=False,
    )
    # ------------------------------------------------------------ SLA
    response_deadline = fields.Datetime(
        readonly=True,
        copy=False,
        tracking=True,
        help="First contact with the customer is due at this time: the grade's "
        "response hours from registration on the working calendar, extended by "
        "the time spent waiting for the customer.",
    )
    sla_at_risk_date = fields.Datetime(string="At risk from", readonly=True, copy=False)
    sla_status = fields.Selection(SLA_STATUS, string="SLA", readonly=True, copy=False, index=True)
    sla_next_check = fields.Datetime(
        readonly=True,
        copy=False,
        help="When the SLA status of this complaint may change next (technical).",
    )
    sla_paused_since = fields.Datetime(
        string="Waiting for customer since", readonly=True, copy=False
    )
    sla_paused_hours = fields.Float(
        string="Working hours waited for the customer", readonly=True, copy=False
    )
    sla_warned_date = fields.Datetime(string="At-risk warning on", readonly=True, copy=False)
    sla_escalated_date = fields.Datetime(string="Escalated on", readonly=True, copy=False)
    first_response_date = fields.Datetime(
        string="First response", readonly=True, copy=False, tracking=True
    )
    first_response_by_id = fields.Many2one(
        "res.users", string="First response by", readonly=True, copy=False
    )
    sla_time_left = fields.Char(string="Time left", compute="_compute_sla_time_left")

    _sla_next_check_idx = models.Index("(sla_next_check) WHERE sla_next_check IS NOT NULL")

    # ------------------------------------------------------------ computes
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
        """The rules that fire for this complaint: {rule code: reason}."""
        self.ensure_one()
        company = self.company_id
        fired = {}
        if self.impact_level == "safety":
            fired["safety"] = self.env._("Safety hazard reported by the customer.")
        if self.qc_regulator_threat:
            fired["threat"] = self.env._("The customer threatens to go to regulators or the media.")
        for lot in self.lot_ids:
            qty = lot_totals.get((company.id, lot.id), 0.0)
            if float_compare(qty, company.qc_batch_threshold, precision_digits=6) >= 0:
                fired["batch"] = self.env._(
                    "Batch defect: %(qty)s units affected on lot %(lot)s within "
                    "%(days)s days (threshold %(threshold)s).",
                    qty=f"{qty:g}",
                    lot=lot.name,
                    days=company.qc_batch_window_days,
                    threshold=f"{company.qc_batch_threshold:g}",
                )
                break
        if self.impact_level == "main_function":
            fired["main_function"] = self.env._("The product's main function is lost.")
        value = self._qc_unit_value()
        threshold = company.qc_high_value_threshold
        if float_compare(value, threshold, precision_digits=2) >= 0:
            fired["high_value"] = self.env._(
                "High-value product: unit value %(value)s %(currency)s (threshold %(threshold)s).",
                value=f"{value:,.2f}",
                currency=company.currency_id.name,
                threshold=f"{threshold:,.2f}",
            )
        return fired

    def _qc_grade_from_rules(self, fired, grades):
        """(grade, reasons text) for the fired rules among ``grades`` (most urgent first)."""
        self.ensure_one()
        lines = []
        best = self.env["quality.complaint.grade"]
        for grade in grades:
            for rule in grade.rule_ids:
                if rule.code in fired:
                    lines.append(f"{grade.name}: {fired.pop(rule.code)}")
                    best = best or grade
        if not best:
            best = grades[-1:]
            if best:
                lines.append(
                    self.env._(
                        "%(grade)s: no urgent or important fact (cosmetic or minor issue).",
                        grade=best.name,
                    )
                )
        return best, "\n".join(lines)

    def _qc_grade(self):
        """Grade the registered complaints of ``self`` from their facts.

        A complaint that makes one of its lots a batch defect upgrades every open
        complaint on that lot. Changed grades get new deadlines and are dispatched.
        """
        complaints = self.filtered(
            lambda t: t.is_quality_complaint and t.complaint_state == "registered"
        )
        if not complaints:
            return
        lot_totals = complaints._qc_lot_totals()
        over_lots = self.env["stock.lot"].browse(
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
        if over_lots:
            siblings = self.search(
                [
                    ("is_quality_complaint", "=", True),
                    ("complaint_state", "=", "registered"),
                    ("lot_ids", "in", over_lots.ids),
                    ("stage_id.closed", "=", False),
                    ("id", "not in", complaints.ids),
                ]
            )
            if siblings:
                complaints |= siblings
                lot_totals = complaints._qc_lot_totals()
        grades_by_company = {}
        previous = {}
        for ticket in complaints:
            company = ticket.company_id
            if company not in grades_by_company:
                grades_by_company[company] = self.env["quality.complaint.grade"]._qc_grades_for(
                    company
                )
            fired = ticket._qc_fired_rules(lot_totals)
            auto, reasons = ticket._qc_grade_from_rules(fired, grades_by_company[company])
            grade = ticket.grade_override_id or auto
            if ticket.grade_override_id:
                reasons += "\n" + self.env._(
                    "Overridden to %(grade)s by %(user)s: %(reason)s",
                    grade=ticket.grade_override_id.name,
                    user=ticket.grade_override_user_id.name or "-",
                    reason=ticket.grade_override_reason or "",
                )
            vals = {}
            if ticket.grade_auto_id != auto:
                vals["grade_auto_id"] = auto.id
            if ticket.grade_reasons != reasons:
                vals["grade_reasons"] = reasons
            if ticket.grade_id != grade:
                previous[ticket.id] = ticket.grade_id
                vals["grade_id"] = grade.id
            if vals:
                ticket.write(vals)
        changed = complaints.filtered(lambda t: t.id in previous)
        changed._qc_sla_recompute()
        changed._qc_dispatch()
        over_lots._qc_alert_batch_defect(complaints)

    # ------------------------------------------------------------ deadlines
    @api.model
    def _qc_plan_hours(self, calendar, plans):
        """Plan working hours on ``calendar``.

        ``plans``: list of (start, hours) with naive UTC datetimes. Returns the list of
        naive UTC end datetimes. The calendar's work intervals (leaves and public
        holidays deducted) are read once for the whole list.
        """
        if not plans:
            return []
        if not calendar:
            return [start + timedelta(hours=hours) for start, hours in plans]
        first = min(start for start, _hours in plans)
        last = max(start for start, _hours in plans)
        span = timedelta(days=14 + int(max(hours for _start, hours in plans) // 2))
        while True:
            begin = pytz.utc.localize(first)
            end = pytz.utc.localize(last + span)
            intervals = calendar._work_intervals_batch(begin, end)[False]
            rows = [
                (
                    start.astimezone(pytz.utc).replace(tzinfo=None),
                    stop.astimezone(pytz.utc).replace(tzinfo=None),
                )
                for start, stop, _meta in intervals
            ]
            stops = [stop for _start, stop in rows]
            results = []
            for start, hours in plans:
                remaining = timedelta(hours=hours)
                index = bisect.bisect_right(stops, start)
                found = False
                for interval_start, interval_stop in rows[index:]:
                    begin_i = max(interval_start, start)
                    length = interval_stop - begin_i
                    if remaining <= length:
                        results.append(begin_i + remaining)
                        found = True
                        break
                    remaining -= length
                if not found:
                    break
            if len(results) == len(plans):
                return results
            if span > timedelta(days=730):
                # A calendar without working time: fall back on the wall clock.
                return [start + timedelta(hours=hours) for start, hours in plans]
            span *= 2

    def _qc_sla_recompute(self):
        """Deadline and at-risk time from registration, then the SLA status."""
        for company in self.company_id:
            tickets = self.filtered(
                lambda t, c=company: t.company_id == c and t.grade_id and t.registered_date
            )
            share = company.qc_sla_at_risk_percent / 100.0
            plans = []
            for ticket in tickets:
                hours = ticket.grade_id.response_hours
                plans.append((ticket.registered_date, hours + ticket.sla_paused_hours))
                plans.append(
                    (ticket.registered_date, hours * (1 - share) + ticket.sla_paused_hours)
                )
            ends = self._qc_plan_hours(company._qc_sla_calendar(), plans)
            for index, ticket in enumerate(tickets):
                ticket.write(
                    {
                        "response_deadline": ends[2 * index],
                        "sla_at_risk_date": ends[2 * index + 1],
                    }
                )
        self._qc_sla_refresh(fields.Datetime.now())

    def _qc_sla_state(self, now):
        """(status, next check, pending event) of the complaint at ``now``."""
        self.ensure_one()
        if not (self.grade_id and self.response_deadline):
            return False, False, None
        deadline = self.response_deadline
        if self.first_response_date:
            return ("met" if self.first_response_date <= deadline else "breached"), False, None
        if self.sla_paused_since or self.stage_id.closed:
            return self.sla_status or "on_track", False, None
        if now >= deadline:
            return "breached", False, (None if self.sla_escalated_date else "escalate")
        if now >= self.sla_at_risk_date:
            return "at_risk", deadline, (None if self.sla_warned_date else "warn")
        return "on_track", self.sla_at_risk_date, None

    def _qc_sla_refresh(self, now, fire_events=False):
        """Store status and next check; with ``fire_events`` warn and escalate."""
        to_warn = self.browse()
        to_escalate = self.browse()
        groups = defaultdict(list)
        for ticket in self:
            status, next_check, event = ticket._qc_sla_state(now)
            vals = {"sla_status": status, "sla_next_check": next_check}
            if status == "on_track":
                vals.update(sla_warned_date=False, sla_escalated_date=False)
            elif status == "at_risk":
                vals["sla_escalated_date"] = False
            if event and not fire_events:
                vals["sla_next_check"] = now
            elif event == "warn":
                to_warn |= ticket
                vals["sla_warned_date"] = now
            elif event == "escalate":
                to_escalate |= ticket
                vals["sla_escalated_date"] = now
            if any(ticket[name] != value for name, value in vals.items()):
                groups[tuple(sorted(vals.items()))].append(ticket.id)
        for vals, ids in groups.items():
            self.browse(ids).write(dict(vals))
        to_warn._qc_sla_warn()
        to_escalate._qc_sla_escalate()

    def _qc_sla_warn(self):
        if not self:
            return
        bodies = {
            ticket.id: self.env._(
                "Response deadline at risk: the customer must be contacted by %(deadline)s.",
                deadline=self._qc_time_formatter(False)(ticket),
            )
            for ticket in self
        }
        self._message_log_batch(bodies)

    def _qc_sla_escalate(self):
        if not self:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        today = fields.Date.context_today(self)
        activities = []
        for ticket in self.filtered("grade_id.escalation_user_id"):
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": todo.id,
                    "user_id": ticket.grade_id.escalation_user_id.id,
                    "date_deadline": today,
                    "summary": self.env._("Response deadline missed"),
                }
            )
        if activities:
            self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
                activities
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

    @api.model
    def _qc_time_formatter(self, tz_name):
        """A cheap 'YYYY-MM-DD HH:MM (tz)' formatter of the deadlines, for long lists."""
        tz = pytz.timezone(tz_name or "UTC")

        def format_deadline(ticket):
            moment = pytz.utc.localize(ticket.response_deadline).astimezone(tz)
            return f"{moment:%Y-%m-%d %H:%M} ({tz.zone})"

        return format_deadline

    def _qc_send_escalation_digests(self):
        """One e-mail per escalation user listing the complaints that just breached."""
        for user in self.grade_id.escalation_user_id:
            tickets = self.filtered(lambda t, u=user: t.grade_id.escalation_user_id == u)
            company = tickets[:1].company_id
            body = self.env["ir.qweb"]._render(
                "quality_complaint.sla_escalation_digest",
                {
                    "user": user,
                    "tickets": tickets,
                    "deadline": self._qc_time_formatter(user.tz),
                },
            )
            single = len(tickets) == 1
            self.env["mail.mail"].sudo().create(
                {
                    "subject": self.env._(
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

    # ------------------------------------------------------------ SLA cron
    @api.model
    def _qc_sla_lock_due(self, now, limit, exclude=()):
        """Ids of complaints whose SLA must be checked, locked, skipping those
        another worker holds. The partial index on sla_next_check keeps this cheap
        whatever the number of open complaints."""
        self.flush_model(["sla_next_check"])
        query = SQL(
            "SELECT id FROM helpdesk_ticket WHERE sla_next_check <= %s %s"
            " ORDER BY sla_next_check LIMIT %s FOR UPDATE SKIP LOCKED",
            now,
            SQL("AND id NOT IN %s", tuple(exclude)) if exclude else SQL(),
            limit,
        )
        return [row[0] for row in self.env.execute_query(query)]

    @api.model
    def _cron_sla_check(self, batch_size=SLA_CRON_BATCH):
        """Flag at-risk complaints, mark breaches and escalate each breach once."""
        now = fields.Datetime.now()
        in_cron = bool(self.env.context.get("cron_id"))
        done = []
        while True:
            ids = self._qc_sla_lock_due(now, batch_size, exclude=done)
            if not ids:
                break
            self.browse(ids)._qc_sla_refresh(now, fire_events=True)
            done.extend(ids)
            full = len(ids) == batch_size
            if in_cron:
                remaining = 0
                if full:
                    self.flush_model(["sla_next_check"])
                    remaining = self.search_count([("sla_next_check", "<=", now)])
                if not self.env["ir.cron"]._commit_progress(len(ids), remaining=remaining):
                    break
            if not full:
                break
        return len(done)

    # ------------------------------------------------------------ dispatch
    def _qc_dispatch(self):
        """Activities for the grade's responsible users, the customer's message.

        Only what changed: users already holding the activity keep it (with the new
        deadline), users no longer responsible lose it, the customer hears once per
        grade.
        """
        tickets = self.filtered(lambda t: t.grade_id and not t.first_response_date)
        if not tickets:
            return
        activity_type = self.env.ref(CONTACT_ACTIVITY)
        existing = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", tickets.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        to_create = []
        for ticket in tickets:
            grade = ticket.grade_id
            users = grade.user_ids or ticket.user_id
            mine = existing.filtered(lambda a, t=ticket: a.res_id == t.id)
            keep = mine.filtered(lambda a, u=users: a.user_id in u)
            (mine - keep).unlink()
            for activity in keep:
                activity.with_context(mail_activity_quick_update=True).write(
                    ticket._qc_contact_activity_values(activity.user_id)
                )
            for user in users - keep.user_id:
                to_create.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "note": ticket.grade_reasons,
                        **ticket._qc_contact_activity_values(user),
                    }
                )
        if to_create:
            activities = (
                self.env["mail.activity"]
                .sudo()
                .with_context(mail_activity_quick_update=True)
                .create(to_create)
            )
            activities._qc_notify_assignees()
        tickets._qc_announce_grade()

    def _qc_contact_activity_values(self, user):
        """Summary and due date of ``user``'s 'contact the customer' activity, in
        the user's time zone."""
        self.ensure_one()
        deadline = self._qc_time_formatter(user.tz)(self)
        return {
            "summary": self.env._(
                "%(grade)s: contact the customer by %(deadline)s",
                grade=self.grade_id.name,
                deadline=deadline,
            ),
            "date_deadline": fields.Date.context_today(
                self.with_context(tz=user.tz or "UTC"), self.response_deadline
            ),
        }

    def _qc_announce_grade(self):
        """Tell the customer the grade's response time, once per grade.

        One composer per template: the messages are rendered in batch.
        """
        tickets = self.filtered(
            lambda t: (
                t.partner_id and t.grade_id.mail_template_id and t.grade_id != t.grade_announced_id
            )
        )
        for template in tickets.grade_id.mail_template_id:
            batch = tickets.filtered(lambda t, tpl=template: t.grade_id.mail_template_id == tpl)
            batch.with_context(qc_auto_message=True)._qc_post_template(template)
            for ticket in batch:
                ticket.grade_announced_id = ticket.grade_id

    # ------------------------------------------------------------ first response
    def _qc_record_first_response(self):
        tickets = self.filtered(
            lambda t: t.complaint_state == "registered" and not t.first_response_date
        )
        if not tickets:
            return
        now = fields.Datetime.now()
        paused = tickets.filtered("sla_paused_since")
        paused._qc_sla_resume(now)
        tickets.write({"first_response_date": now, "first_response_by_id": self.env.user.id})
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", tickets.ids),
                    ("activity_type_id", "=", self.env.ref(CONTACT_ACTIVITY).id),
                ]
            )
        )
        activities.action_feedback(feedback=self.env._("Customer contacted."))
        # A response while waiting for the customer: the wait extends the deadline.
        paused._qc_sla_recompute()
        (tickets - paused)._qc_sla_refresh(now)

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

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if (
            not self.env.context.get("qc_auto_message")
            and len(self) == 1
            and self.is_quality_complaint
            and self.complaint_state == "registered"
            and not self.first_response_date
            and self._qc_is_message_to_customer(message)
        ):
            self._qc_record_first_response()
        return message

    def _qc_is_message_to_customer(self, message):
        """An outgoing message of the company's staff that reaches the customer."""
        self.ensure_one()
        customer = self.partner_id
        if not customer or message.message_type != "comment" or message.is_internal:
            return False
        if message.subtype_id != self.env.ref("mail.mt_comment"):
            return False
        if message.author_id == customer or not self.env.user._is_internal():
            return False
        return customer in message.partner_ids or customer in self.message_partner_ids

    def _qc_send_acknowledgement(self):
        # The acknowledgement is automatic: it is not the responsible's contact.
        return super(
            HelpdeskTicket, self.with_context(qc_auto_message=True)
        )._qc_send_acknowledgement()

    # ------------------------------------------------------------ pause
    def _qc_sla_resume(self, now):
        """Add the working time waited for the customer to the paused hours."""
        for ticket in self.filtered("sla_paused_since"):
            calendar = ticket.company_id._qc_sla_calendar()
            start, end = ticket.sla_paused_since, now
            if calendar:
                hours = calendar.get_work_hours_count(
                    pytz.utc.localize(start), pytz.utc.localize(end), compute_leaves=True
                )
            else:
                hours = (end - start).total_seconds() / 3600
            ticket.write(
                {"sla_paused_hours": ticket.sla_paused_hours + hours, "sla_paused_since": False}
            )

    def _qc_sla_stage_changed(self):
        now = fields.Datetime.now()
        tickets = self.filtered(
            lambda t: t.grade_id and t.response_deadline and not t.first_response_date
        )
        pausing = tickets.filtered(
            lambda t: t.stage_id.qc_pauses_sla and not t.stage_id.closed and not t.sla_paused_since
        )
        pausing.write({"sla_paused_since": now})
        resuming = tickets.filtered(lambda t: t.sla_paused_since and not t.stage_id.qc_pauses_sla)
        resuming._qc_sla_resume(now)
        (tickets - resuming)._qc_sla_refresh(now)
        resuming._qc_sla_recompute()

    # ------------------------------------------------------------ overrides
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

    def action_clear_grade_override(self):
        if not self.env.user.has_group("quality_complaint.group_complaint_officer"):
            raise UserError(self.env._("Only a quality officer can clear a grade override."))
        tickets = self.filtered("grade_override_id")
        for ticket in tickets:
            ticket.message_post(
                body=self.env._(
                    "Grade override %(grade)s cleared: the rules grade the complaint again.",
                    grade=ticket.grade_override_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        tickets.write(
            {
                "grade_override_id": False,
                "grade_override_reason": False,
                "grade_override_user_id": False,
            }
        )
        tickets._qc_grade()
        return True

    # ------------------------------------------------------------ hooks
    def action_register_complaint(self):
        result = super().action_register_complaint()
        self.filtered(lambda t: t.complaint_state == "registered" and not t.grade_id)._qc_grade()
        return result

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals:
            self._qc_sla_stage_changed()
        if GRADING_FACTS & vals.keys():
            self.filtered(
                lambda t: t.complaint_state == "registered" and not t.stage_id.closed
            )._qc_grade()
        return result

"""How a monthly quality review is prepared: last month's figures, an agenda of
the open items, the attendees, the review pack attached, the chair told.

``_qc_prepare`` is the one entry (the cron and the manager's button call it): it
returns the month's review when there is one, so preparing twice makes one.
"""

from datetime import datetime, time, timedelta

import pytz
from babel.dates import format_date
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.tools.misc import babel_locale_parse

from .corrective_action import WORKING_STATES
from .corrective_action_supplier_const import SUPPLIER_AWAITED

PACK_REPORT = "report.quality_complaint.review_pack_xlsx"
PREPARE_ACTIVITY = "quality_complaint.mail_activity_type_review_prepare"
MANAGER_GROUP = "quality_complaint.group_complaint_manager"


class QualityComplaintReviewPreparation(models.AbstractModel):
    _name = "quality.complaint.review.preparation"
    _description = "Quality review: preparation"

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
            body = self.env._(
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
                review.activity_schedule(
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

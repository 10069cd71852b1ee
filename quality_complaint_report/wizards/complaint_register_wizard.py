"""Reporting wizards printing the spreadsheets: the complaint register
for a period, grade, team and company, and the monthly review pack."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, OFFICER, role
from odoo.exceptions import UserError

REGISTER_REPORT = "quality_complaint_report.action_report_complaint_register_xlsx"
PACK_REPORT = "quality_complaint_report.action_report_review_pack_xlsx"
MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]


class QualityComplaintRegisterWizard(models.TransientModel):
    _name = "quality.complaint.register.wizard"
    _description = "Complaint register export"

    date_from = fields.Date(
        string="Registered from",
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(string="Registered until", default=fields.Date.context_today)
    grade_ids = fields.Many2many("quality.complaint.grade", string="Grades")
    team_ids = fields.Many2many("helpdesk.ticket.team", string="Teams")
    company_ids = fields.Many2many(
        "res.company",
        string="Companies",
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )

    def _qc_domain(self):
        """The complaints the register lists (a domain on helpdesk.ticket)."""
        self.ensure_one()
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("The start of the period must come before its end."))
        report = self.env["report.quality_complaint.review_pack_xlsx"]
        domain = [
            ("is_quality_complaint", "=", True),
            ("duplicate_id", "=", False),
            ("registered_date", "!=", False),
        ]
        if self.date_from:
            domain.append(("registered_date", ">=", report._qc_utc(self.date_from)))
        if self.date_to:
            end = report._qc_utc(self.date_to + timedelta(days=1))
            domain.append(("registered_date", "<", end))
        if self.grade_ids:
            domain.append(("grade_id", "in", self.grade_ids.ids))
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        if self.company_ids:
            domain.append(("company_id", "in", self.company_ids.ids))
        return [
            (field, operator, fields.Datetime.to_string(value) if hasattr(value, "hour") else value)
            for field, operator, value in domain
        ]

    @role(CUSTOMER_SERVICE)
    def action_print(self):
        domain = self._qc_domain()
        data = {
            "domain": domain,
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
        }
        action = self.env.ref(REGISTER_REPORT).report_action(None, data=data)
        # the dialog closes once the file is downloaded
        return {**action, "close_on_report_download": True}


class QualityComplaintReviewPackWizard(models.TransientModel):
    _name = "quality.complaint.review.pack.wizard"
    _description = "Monthly review pack export"

    @api.model
    def _default_month(self):
        return str((fields.Date.context_today(self) - relativedelta(months=1)).month)

    @api.model
    def _default_year(self):
        return (fields.Date.context_today(self) - relativedelta(months=1)).year

    month = fields.Selection(MONTHS, required=True, default=lambda self: self._default_month())
    year = fields.Integer(required=True, default=lambda self: self._default_year())
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )

    def _qc_period(self):
        """(first day, last day) of the chosen month."""
        self.ensure_one()
        if not 1900 <= self.year <= 9999:
            raise UserError(self.env._("Enter a year such as 2026."))
        first = fields.Date.to_date(f"{self.year:04d}-{int(self.month):02d}-01")
        return first, first + relativedelta(months=1) - timedelta(days=1)

    @role(OFFICER)
    def action_print(self):
        date_from, date_to = self._qc_period()
        data = {
            "company_id": self.company_id.id,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to),
        }
        action = self.env.ref(PACK_REPORT).report_action(self, data=data)
        return {**action, "close_on_report_download": True}

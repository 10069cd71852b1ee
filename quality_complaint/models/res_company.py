import mimetypes
from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.mimetypes import guess_mimetype

# What a customer may upload by default: photos, videos and PDF reports.
QC_UPLOAD_TYPES = "image/*, video/*, application/pdf"
UNKNOWN_TYPE = "application/octet-stream"


class ResCompany(models.Model):
    _inherit = "res.company"

    qc_first_contact_hours = fields.Integer(
        string="First contact promise (hours)",
        default=24,
        help="Promised in the acknowledgement sent on registration: "
        "'we will contact you within N hours'.",
    )
    qc_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Quality complaints team",
        help="Helpdesk team that receives the complaints reported from sale "
        "orders and tickets converted to complaints.",
    )
    qc_vague_terms = fields.Char(
        string="Vague wording",
        default="does not work, doesn't work, not working, broken, bad, "
        "faulty, defective, scratched, damaged",
        help="Comma-separated phrases that make a defect description vague: "
        "when the description is short and uses one of them, the "
        "registration checklist asks to re-confirm the details with the "
        "customer.",
    )
    qc_min_description_words = fields.Integer(
        string="Minimum words in a precise description",
        default=8,
    )

    qc_duplicate_window_days = fields.Integer(
        string="Duplicate window (days)",
        default=14,
        help="A complaint registered within this many days of an earlier one of the "
        "same customer about the same order line or lot is flagged as a probable "
        "duplicate of it (0: no such check; a reply in a complaint's e-mail thread "
        "is flagged whatever this says).",
    )

    qc_portal_daily_limit = fields.Integer(
        string="Complaints a customer files online per day",
        default=10,
        help="A customer may file this many complaints on the portal's form within "
        "24 hours; the next one is refused with a message to contact customer "
        "service (each filing is acknowledged at once, by e-mail and SMS where set "
        "up). 0: no limit.",
    )

    @api.constrains("qc_duplicate_window_days")
    def _check_qc_duplicate_window_days(self):
        if any(company.qc_duplicate_window_days < 0 for company in self):
            raise ValidationError(
                self.env._("The duplicate window cannot be negative (0 turns the check off).")
            )

    @api.constrains("qc_portal_daily_limit")
    def _check_qc_portal_daily_limit(self):
        if any(company.qc_portal_daily_limit < 0 for company in self):
            raise ValidationError(
                self.env._(
                    "The number of complaints a customer files online per day cannot be "
                    "negative (0: no limit)."
                )
            )

    @api.constrains("qc_first_contact_hours", "qc_min_description_words")
    def _check_qc_numbers(self):
        for company in self:
            if company.qc_first_contact_hours <= 0:
                raise ValidationError(
                    self.env._("The first contact promise must be a positive number of hours.")
                )
            if company.qc_min_description_words < 0:
                raise ValidationError(self.env._("The minimum number of words cannot be negative."))

    def _qc_vague_terms(self):
        self.ensure_one()
        return [t.strip().lower() for t in (self.qc_vague_terms or "").split(",") if t.strip()]

    # ------------------------------------------------------------ grading and SLA
    qc_batch_threshold = fields.Float(
        string="Batch defect threshold",
        default=10.0,
        help="A lot is a batch defect when the affected quantities of its complaints "
        "reach this number within the batch window.",
    )
    qc_batch_window_days = fields.Integer(
        string="Batch window (days)",
        default=90,
        help="Only complaints registered within this many days count towards a batch defect.",
    )
    qc_high_value_threshold = fields.Float(
        string="High-value threshold",
        default=10000.0,
        help="A complaint about a product sold at this unit price or more (in the "
        "company currency, converted at the order date) is high-value.",
    )
    qc_sla_at_risk_percent = fields.Float(
        string="At risk when time left under (%)",
        default=25.0,
        help="A complaint is 'at risk' when less than this share of its response time is left.",
    )
    qc_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Complaint desk working hours",
        help="Working calendar of the response deadlines (with its public holidays). "
        "Empty: the company's working hours.",
    )
    qc_quality_manager_id = fields.Many2one(
        "res.users",
        string="Quality manager",
        domain="[('share', '=', False)]",
        help="Alerted when a lot becomes a batch defect. Empty: the escalation user "
        "of the grade the batch rule gives.",
    )

    @api.constrains(
        "qc_batch_threshold",
        "qc_batch_window_days",
        "qc_high_value_threshold",
        "qc_sla_at_risk_percent",
    )
    def _check_qc_grading_numbers(self):
        for company in self:
            if company.qc_batch_threshold <= 0:
                raise ValidationError(self.env._("The batch defect threshold must be positive."))
            if company.qc_batch_window_days <= 0:
                raise ValidationError(self.env._("The batch window must be at least one day."))
            if company.qc_high_value_threshold <= 0:
                raise ValidationError(self.env._("The high-value threshold must be positive."))
            if not 0 <= company.qc_sla_at_risk_percent < 100:
                raise ValidationError(
                    self.env._("The 'at risk' share must be between 0 and 100 %.")
                )

    def _qc_sla_calendar(self):
        self.ensure_one()
        return self.qc_calendar_id or self.resource_calendar_id

    # ------------------------------------------------------------ customer uploads
    qc_upload_max_files = fields.Integer(
        string="Files per upload",
        default=10,
        help="How many files a customer may add at once on the portal.",
    )
    qc_upload_max_mb = fields.Integer(
        string="Largest file (MB)",
        default=20,
        help="Files of customers larger than this are refused.",
    )
    qc_upload_types = fields.Char(
        string="Accepted file types",
        default=QC_UPLOAD_TYPES,
        help="Comma-separated MIME types a customer may upload; 'image/*' takes every "
        "image, 'video/*' every video. A file is checked on its name and its content.",
    )

    @api.constrains("qc_upload_max_files", "qc_upload_max_mb", "qc_upload_types")
    def _check_qc_upload_limits(self):
        for company in self:
            if company.qc_upload_max_files <= 0:
                raise ValidationError(
                    self.env._("A customer must be allowed to upload at least one file at once.")
                )
            if company.qc_upload_max_mb <= 0:
                raise ValidationError(self.env._("The largest file must be at least 1 MB."))
            patterns = company._qc_upload_patterns()
            if not patterns or any(p.count("/") != 1 or " " in p for p in patterns):
                raise ValidationError(
                    self.env._(
                        "Accepted file types: enter MIME types separated by commas, such as "
                        "'image/*, video/*, application/pdf'."
                    )
                )

    def _qc_upload_patterns(self):
        self.ensure_one()
        return [p.strip().lower() for p in (self.qc_upload_types or "").split(",") if p.strip()]

    def _qc_upload_type_allowed(self, mimetype):
        patterns = self._qc_upload_patterns()
        family = mimetype.split("/", 1)[0]
        return mimetype in patterns or f"{family}/*" in patterns

    def _qc_check_uploads(self, files):
        """The one check of the files a customer uploads (the evidence form of the
        complaint's portal page, the portal's new-ticket form and chatter when they
        reach a complaint): how many, how large, which types, on the company's
        settings. ``files``: [(file name, content bytes)]. Raises a UserError
        naming the file and the limit; nothing is to be stored then."""
        company = self[:1] or self.env.company
        if len(files) > company.qc_upload_max_files:
            raise UserError(
                self.env._(
                    "You can add at most %(count)s files at once.",
                    count=company.qc_upload_max_files,
                )
            )
        limit = company.qc_upload_max_mb * 1024 * 1024
        for name, content in files:
            if len(content) > limit:
                raise UserError(
                    self.env._(
                        "%(file)s is too large: a file may have at most %(size)s MB.",
                        file=name,
                        size=company.qc_upload_max_mb,
                    )
                )
            # The type the name announces and the type the content has: both must
            # be accepted (a program renamed "photo.jpg" is refused).
            types = {mimetypes.guess_type(name or "")[0], guess_mimetype(content, default="")}
            types -= {None, "", UNKNOWN_TYPE}
            if not types or not all(company._qc_upload_type_allowed(t) for t in types):
                raise UserError(
                    self.env._(
                        "%(file)s cannot be added: only these types are accepted: %(types)s.",
                        file=name,
                        types=", ".join(company._qc_upload_patterns()),
                    )
                )

    def _qc_tz(self):
        self.ensure_one()
        return pytz.timezone(self._qc_sla_calendar().tz or "UTC")

    def _qc_today(self):
        """Today in the company's time zone (its complaint desk calendar's)."""
        return datetime.now(pytz.utc).astimezone(self._qc_tz()).date()

    def _qc_working_days(self, first, last):
        """Working days between two dates (included) on the company's calendar,
        leaves without resource (public holidays) excluded; Monday to Friday
        when the company has no calendar."""
        self.ensure_one()
        calendar = self._qc_sla_calendar()
        if not calendar:
            count = (last - first).days + 1
            days = (first + timedelta(days=offset) for offset in range(count))
            return [day for day in days if day.weekday() < 5]
        tz = self._qc_tz()
        start = tz.localize(datetime.combine(first, time.min))
        stop = tz.localize(datetime.combine(last + timedelta(days=1), time.min))
        intervals = calendar._work_intervals_batch(start, stop)[False]
        return sorted({begin.astimezone(tz).date() for begin, _end, _meta in intervals})

"""The monthly review pack: the month's complaint figures as a spreadsheet.

Sheets: KPI (the month beside the previous one, a column chart of the complaints
by grade and a line chart of the last 12 months), By grade and product, Top
suppliers, Open actions and Recurrences. The figures come from the complaint
analysis (read as the user, so record rules and field groups apply: the remedy
cost shows to quality officers only).

Open and overdue corrective actions "at the end of a month" are the actions
opened by then and neither done nor closed by then; overdue ones had a deadline
before the month's last day.
"""

import io
import re
from datetime import datetime, time, timedelta

import pytz
import xlsxwriter
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.addons.quality_complaint.report.report_access import check_report_reader

from .complaint_register_xlsx import DASH, column_width, labels

OPEN_ACTION_STATES = ("draft", "open", "reopened")


class QualityComplaintReviewPackXlsx(models.AbstractModel):
    _name = "report.quality_complaint.review_pack_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Monthly review pack (spreadsheet)"

    # ------------------------------------------------------------ entry points
    @api.model
    def _qc_review_pack(self, company, date_from, date_to):
        """The review pack of ``company`` for ``date_from`` .. ``date_to`` (dates,
        both included) as ``(xlsx bytes, file name)``, read as the current user."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        buffer = io.BytesIO()
        workbook = xlsxwriter.Workbook(buffer, self.get_workbook_options())
        self._qc_write_pack(workbook, company, date_from, date_to)
        workbook.close()
        return buffer.getvalue(), self._qc_pack_filename(company, date_from)

    @api.model
    def _qc_pack_filename(self, company, date_from):
        """The pack's file name: "Review pack <company> <yyyy-mm>.xlsx"."""
        slug = re.sub(r"[^\w-]+", "_", company.name or "").strip("_")
        return self.env._(
            "Review pack %(company)s %(month)s.xlsx", company=slug, month=f"{date_from:%Y-%m}"
        )

    @api.model
    def _qc_download_name(self, docids, data):
        """The downloaded file's name (see controllers/main.py): the pack's own."""
        data = data or {}
        if data.get("company_id"):
            company = self.env["res.company"].browse(data["company_id"])
            date_from = fields.Date.to_date(data["date_from"])
        else:
            wizard = self.env["quality.complaint.review.pack.wizard"].browse(docids)[:1]
            company, date_from = wizard.company_id, wizard._qc_period()[0]
        return self._qc_pack_filename(company, date_from)

    def get_workbook_options(self):
        return {"remove_timezone": True, "strings_to_urls": False}

    def generate_xlsx_report(self, workbook, data, objs):
        data = data or {}
        if data.get("company_id"):
            company = self.env["res.company"].browse(data["company_id"])
            date_from = fields.Date.to_date(data["date_from"])
            date_to = fields.Date.to_date(data["date_to"])
        else:
            wizard = objs[:1]
            company, date_from, date_to = wizard.company_id, *wizard._qc_period()
        self._qc_write_pack(workbook, company, date_from, date_to)

    # ------------------------------------------------------------ figures
    def _qc_utc(self, day):
        """The start of ``day`` in the user's time zone, as a naive UTC datetime."""
        tz = self.env.tz
        local = tz.localize(datetime.combine(day, time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _qc_period_domain(self, company, date_from, date_to):
        return [
            ("company_id", "=", company.id),
            ("date", ">=", self._qc_utc(date_from)),
            ("date", "<", self._qc_utc(date_to + timedelta(days=1))),
        ]

    def _qc_kpis(self, company, date_from, date_to):
        """{key: value} for the period: the analysis's figures and the actions."""
        Analysis = self.env["quality.complaint.analysis"]
        domain = self._qc_period_domain(company, date_from, date_to)
        aggregates = [
            "__count",
            "affected_qty:sum",
            "sla_met_percent:avg",
            "response_hours:avg",
            "days_to_close:avg",
            "recurrence_count:sum",
        ]
        # The cost shows to whom the analysis's field is readable (its groups).
        with_cost = Analysis._has_field_access(Analysis._fields["remedy_cost"], "read")
        if with_cost:
            aggregates.append("remedy_cost:sum")
        values = Analysis._read_group(domain, [], aggregates)[0]
        keys = ["count", "affected", "sla_met", "response_hours", "days_to_close", "recurrences"]
        kpis = dict(zip(keys + (["remedy_cost"] if with_cost else []), values, strict=True))
        kpis["by_grade"] = dict(Analysis._read_group(domain, ["grade_id"], ["__count"]))
        end = self._qc_utc(date_to + timedelta(days=1))
        Action = self.env["quality.complaint.action"]
        open_domain = [
            ("company_id", "=", company.id),
            ("date_open", "<", end),
            ("state", "!=", "cancelled"),
            "|",
            ("date_done", "=", False),
            ("date_done", ">=", end),
            "|",
            ("date_closed", "=", False),
            ("date_closed", ">=", end),
        ]
        kpis["open_actions"] = Action.search_count(open_domain)
        kpis["overdue_actions"] = Action.search_count(
            [*open_domain, ("date_deadline", "<", date_to)]
        )
        return kpis

    def _qc_months(self, company, date_from):
        """[(first day of month, complaints)] for the 12 months ending with ``date_from``'s."""
        first = date_from.replace(day=1) - relativedelta(months=11)
        end = date_from.replace(day=1) + relativedelta(months=1) - timedelta(days=1)
        counts = {
            month: count
            for month, count in self.env["quality.complaint.analysis"]._read_group(
                self._qc_period_domain(company, first, end), ["date:month"], ["__count"]
            )
            if month
        }
        counts = {fields.Date.to_date(month): count for month, count in counts.items()}
        return [
            (first + relativedelta(months=n), counts.get(first + relativedelta(months=n), 0))
            for n in range(12)
        ]

    # ------------------------------------------------------------ writing
    def _qc_write_pack(self, workbook, company, date_from, date_to):
        check_report_reader(self.env, self.env._("The review pack"))
        register = self.env["report.quality_complaint.complaint_register_xlsx"]
        formats = register._qc_formats(workbook)
        formats["title"] = workbook.add_format({"bold": True, "font_size": 14})
        previous_from = date_from - relativedelta(months=1)
        previous_to = date_from - timedelta(days=1)
        current = self._qc_kpis(company, date_from, date_to)
        previous = self._qc_kpis(company, previous_from, previous_to)
        period = {"company": company, "from": date_from, "to": date_to}
        self._qc_sheet_kpi(workbook, formats, period, current, previous)
        domain = self._qc_period_domain(company, date_from, date_to)
        self._qc_sheet_grade_product(workbook, formats, domain)
        self._qc_sheet_suppliers(workbook, formats, domain)
        self._qc_sheet_actions(workbook, formats, company)
        self._qc_sheet_recurrences(workbook, formats, company, date_from, date_to)

    def _qc_header(self, sheet, formats, row, headers, widths=None):
        for col, header in enumerate(headers):
            sheet.write_string(row, col, header, formats["header"])
            if widths:
                sheet.set_column(col, col, column_width(header, widths[col]))

    def _qc_sheet_kpi(self, workbook, formats, period, current, previous):
        company, date_from, date_to = period["company"], period["from"], period["to"]
        sheet = workbook.add_worksheet(self.env._("KPI"))
        sheet.set_column(0, 0, 34)
        sheet.set_column(1, 2, 16)
        sheet.write_string(
            0,
            0,
            self.env._(
                "%(company)s: complaints from %(start)s to %(end)s",
                company=company.name,
                start=fields.Date.to_string(date_from),
                end=fields.Date.to_string(date_to),
            ),
            formats["title"],
        )
        self._qc_header(
            sheet,
            formats,
            2,
            [self.env._("KPI"), self.env._("This month"), self.env._("Previous month")],
        )
        rows = [
            (self.env._("Complaints"), "count", "int"),
            (self.env._("Affected units"), "affected", "float"),
            (self.env._("SLA met %"), "sla_met", "percent"),
            (self.env._("Average hours to first response"), "response_hours", "float"),
            (self.env._("Average days to close"), "days_to_close", "float"),
        ]
        if "remedy_cost" in current:
            rows.append((self.env._("Remedy cost"), "remedy_cost", "money"))
        rows += [
            (self.env._("Recurrences"), "recurrences", "int"),
            (self.env._("Open corrective actions"), "open_actions", "int"),
            (self.env._("Overdue corrective actions"), "overdue_actions", "int"),
        ]
        row = 3
        for label, key, kind in rows:
            sheet.write_string(row, 0, label)
            for col, kpis in ((1, current), (2, previous)):
                value = kpis.get(key)
                if value is not None and value is not False:
                    sheet.write_number(row, col, float(value), formats[kind])
            row += 1

        # Complaints by grade, for the column chart.
        row += 1
        sheet.write_string(row, 0, self.env._("Complaints by grade"), formats["title"])
        row += 1
        self._qc_header(
            sheet,
            formats,
            row,
            [self.env._("Grade"), self.env._("This month"), self.env._("Previous month")],
        )
        grades = self.env["quality.complaint.grade"].search([("active", "=", True)])
        keys = [*grades, self.env["quality.complaint.grade"]]
        grade_first = row + 1
        for grade in keys:
            this, before = current["by_grade"].get(grade, 0), previous["by_grade"].get(grade, 0)
            if not grade and not this and not before:
                continue
            row += 1
            sheet.write_string(row, 0, grade.name or self.env._("Not graded"))
            sheet.write_number(row, 1, this, formats["int"])
            sheet.write_number(row, 2, before, formats["int"])
        grade_last = row
        chart = workbook.add_chart({"type": "column"})
        for col, name in ((1, self.env._("This month")), (2, self.env._("Previous month"))):
            chart.add_series(
                {
                    "name": name,
                    "categories": [sheet.get_name(), grade_first, 0, grade_last, 0],
                    "values": [sheet.get_name(), grade_first, col, grade_last, col],
                }
            )
        chart.set_title({"name": self.env._("Complaints by grade")})
        chart.set_legend({"position": "bottom"})
        sheet.insert_chart(2, 4, chart)

        # The last 12 months, for the line chart.
        row += 2
        sheet.write_string(row, 0, self.env._("Last 12 months"), formats["title"])
        row += 1
        self._qc_header(sheet, formats, row, [self.env._("Month"), self.env._("Complaints")])
        month_first = row + 1
        for month, count in self._qc_months(company, date_from):
            row += 1
            sheet.write_string(row, 0, f"{month:%Y-%m}")
            sheet.write_number(row, 1, count, formats["int"])
        line = workbook.add_chart({"type": "line"})
        line.add_series(
            {
                "name": self.env._("Complaints"),
                "categories": [sheet.get_name(), month_first, 0, row, 0],
                "values": [sheet.get_name(), month_first, 1, row, 1],
                "marker": {"type": "circle"},
            }
        )
        line.set_title({"name": self.env._("Complaints, last 12 months")})
        line.set_legend({"none": True})
        sheet.insert_chart(18, 4, line)

    def _qc_sheet_grade_product(self, workbook, formats, domain):
        sheet = workbook.add_worksheet(self.env._("By grade and product"))
        self._qc_header(
            sheet,
            formats,
            0,
            [
                self.env._("Grade"),
                self.env._("Product"),
                self.env._("Complaints"),
                self.env._("Affected units"),
            ],
            [14, 34, 12, 14],
        )
        groups = self.env["quality.complaint.analysis"]._read_group(
            domain,
            ["grade_id", "product_id"],
            ["__count", "affected_qty:sum"],
            order="grade_id, __count desc",
        )
        row = 0
        for grade, product, count, affected in groups:
            row += 1
            sheet.write_string(row, 0, grade.name or self.env._("Not graded"))
            sheet.write_string(row, 1, product.display_name or self.env._("No product"))
            sheet.write_number(row, 2, count, formats["int"])
            sheet.write_number(row, 3, affected or 0.0, formats["float"])
        sheet.autofilter(0, 0, max(row, 1), 3)
        sheet.freeze_panes(1, 0)

    def _qc_sheet_suppliers(self, workbook, formats, domain):
        sheet = workbook.add_worksheet(self.env._("Top suppliers"))
        self._qc_header(
            sheet,
            formats,
            0,
            [self.env._("Supplier"), self.env._("Complaints"), self.env._("Affected units")],
            [34, 12, 14],
        )
        groups = self.env["quality.complaint.analysis"]._read_group(
            [*domain, ("supplier_id", "!=", False)],
            ["supplier_id"],
            ["__count", "affected_qty:sum"],
            order="__count desc, affected_qty:sum desc",
            limit=10,
        )
        for row, (supplier, count, affected) in enumerate(groups, start=1):
            sheet.write_string(row, 0, supplier.display_name)
            sheet.write_number(row, 1, count, formats["int"])
            sheet.write_number(row, 2, affected or 0.0, formats["float"])
        sheet.freeze_panes(1, 0)

    def _qc_sheet_actions(self, workbook, formats, company):
        sheet = workbook.add_worksheet(self.env._("Open actions"))
        headers = [
            self.env._("Reference"),
            self.env._("Title"),
            self.env._("Kind"),
            self.env._("Status"),
            self.env._("Owner"),
            self.env._("Deadline"),
            self.env._("Overdue"),
            self.env._("Supplier"),
            self.env._("Investigation"),
        ]
        self._qc_header(sheet, formats, 0, headers, [14, 36, 12, 14, 20, 12, 9, 26, 14])
        actions = self.env["quality.complaint.action"].search(
            [("company_id", "=", company.id), ("state", "in", OPEN_ACTION_STATES)],
            order="date_deadline, id",
        )
        kinds = labels(self.env, "quality.complaint.action", "kind")
        states = labels(self.env, "quality.complaint.action", "state")
        today = fields.Date.context_today(self)
        for row, action in enumerate(actions, start=1):
            sheet.write_string(row, 0, action.name or "")
            sheet.write_string(row, 1, action.title or "")
            sheet.write_string(row, 2, kinds.get(action.kind, ""))
            sheet.write_string(row, 3, states.get(action.state, ""))
            sheet.write_string(row, 4, action.user_id.name or "")
            if action.date_deadline:
                sheet.write_datetime(row, 5, action.date_deadline, formats["date"])
            overdue = bool(action.date_deadline and action.date_deadline < today)
            sheet.write_string(row, 6, self.env._("Yes") if overdue else self.env._("No"))
            sheet.write_string(row, 7, action.partner_id.display_name or "")
            sheet.write_string(row, 8, action.investigation_id.name or "")
        sheet.autofilter(0, 0, max(len(actions), 1), len(headers) - 1)
        sheet.freeze_panes(1, 0)

    def _qc_sheet_recurrences(self, workbook, formats, company, date_from, date_to):
        sheet = workbook.add_worksheet(self.env._("Recurrences"))
        headers = [
            self.env._("Reference"),
            self.env._("Title"),
            self.env._("Registered on"),
            self.env._("Product"),
            self.env._("Customer"),
            self.env._("Repeats actions"),
        ]
        self._qc_header(sheet, formats, 0, headers, [14, 34, 17, 28, 26, 34])
        tickets = self.env["helpdesk.ticket"].search(
            [
                ("is_quality_complaint", "=", True),
                ("duplicate_id", "=", False),
                ("qc_is_recurrence", "=", True),
                ("company_id", "=", company.id),
                ("registered_date", ">=", self._qc_utc(date_from)),
                ("registered_date", "<", self._qc_utc(date_to + timedelta(days=1))),
            ],
            order="registered_date, id",
        )
        tz = self.env.tz
        for row, ticket in enumerate(tickets, start=1):
            sheet.write_string(row, 0, ticket.number or "")
            sheet.write_string(row, 1, ticket.name or "")
            registered = pytz.utc.localize(ticket.registered_date).astimezone(tz)
            sheet.write_datetime(row, 2, registered.replace(tzinfo=None), formats["datetime"])
            sheet.write_string(row, 3, ticket.product_id.display_name or "")
            sheet.write_string(row, 4, ticket.partner_id.display_name or "")
            repeated = ticket.qc_recurrence_action_ids
            sheet.write_string(
                row, 5, ", ".join(f"{action.name}{DASH}{action.title}" for action in repeated)
            )
        sheet.freeze_panes(1, 0)

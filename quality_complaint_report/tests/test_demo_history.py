import io
import json
from urllib.parse import quote, unquote

import openpyxl
from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

REGISTER = "quality_complaint_report.action_report_complaint_register_xlsx"


@tagged("post_install", "-at_install")
class TestDemoHistory(TransactionCase):
    """The demo database shows the reports: a year of complaints over several
    products, lots and suppliers, closed cases in the case library, last month's
    review held and closed, the quality manager and the department head set."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.history = cls.env["helpdesk.ticket"].search(
            [("id", "in", cls._demo_ids(cls.env, "helpdesk.ticket", "demo_history_"))]
        )

    @staticmethod
    def _demo_ids(env, model, prefix):
        return (
            env["ir.model.data"]
            .search(
                [
                    ("module", "=", "quality_complaint_report"),
                    ("model", "=", model),
                    ("name", "=like", f"{prefix}%"),
                ]
            )
            .mapped("res_id")
        )

    def test_the_year_is_not_taken_for_duplicates(self):
        # Registered together, then spread over the year: none flags another.
        self.assertEqual(len(self.history), 36)
        self.assertFalse(self.history.filtered("qc_duplicate_suspect_id"))
        self.assertEqual(self.company.qc_duplicate_window_days, 14, "the check is on again")

    def test_a_year_of_complaints(self):
        today = fields.Date.context_today(self.env["helpdesk.ticket"])
        year_ago = today - relativedelta(years=1)
        months = {
            (day.year, day.month)
            for day in self.history.mapped("qc_registered_on")
            if year_ago <= day < today
        }
        self.assertGreaterEqual(len(months), 12, "one year of complaints, month by month")
        # the analysis (its pivot reads the daily figures) sees them in their months
        groups = self.env["quality.complaint.analysis"]._read_group(
            [("company_id", "=", self.company.id), ("registered_on", ">=", year_ago)],
            ["registered_on:month"],
            ["__count"],
        )
        self.assertGreaterEqual(len(groups), 12)
        self.assertGreaterEqual(len(self.history.product_id), 3)
        self.assertGreaterEqual(len(self.history.qc_lot_id), 5)
        self.assertGreaterEqual(len(self.history.qc_supplier_id), 2)
        grades = self.history.grade_id.mapped("level")
        self.assertEqual(len(set(grades)), 3, "general, important and urgent complaints")
        answered = self.history.filtered("first_response_date")
        self.assertTrue(
            all(t.first_response_date > t.registered_date for t in answered),
            "the first response follows the registration",
        )
        self.assertTrue(all(0 < t.qc_response_hours < 24 for t in answered))

    def test_closed_cases_in_the_case_library(self):
        closed = self.history.filtered(lambda t: t.stage_id.closed)
        self.assertGreaterEqual(len(closed), 25, "most of the year's complaints are closed")
        cases = self.env["quality.complaint.case"].search([("ticket_id", "in", closed.ids)])
        self.assertEqual(cases.ticket_id, closed)
        self.assertTrue(all(1 <= case.days_to_close <= 60 for case in cases))
        self.assertTrue(all(case.closed_date > case.date for case in cases))
        with_root_cause = cases.filtered("root_cause_summary")
        self.assertTrue(with_root_cause, "investigated cases carry their root cause")
        self.assertTrue(all(cases.mapped("remedy_ids")))

    def test_last_month_review_done(self):
        today = self.company._qc_today()
        last_month = today.replace(day=1) - relativedelta(months=1)
        review = self.env["quality.complaint.review"].search(
            [("company_id", "=", self.company.id), ("date_from", "=", last_month)]
        )
        self.assertEqual(review.state, "closed")
        manager = self.env.ref("quality_complaint.demo_user_quality_manager")
        self.assertEqual(review.chair_id, manager)
        in_month = self.history.filtered(
            lambda t: last_month <= t.qc_registered_on <= review.date_to
        )
        self.assertTrue(in_month)
        self.assertEqual(review.complaint_count, len(in_month))
        self.assertTrue(review.pack_attachment_id)

    def test_quality_manager_and_department_head(self):
        self.assertEqual(
            self.company.qc_quality_manager_id,
            self.env.ref("quality_complaint.demo_user_quality_manager"),
        )
        teams = self.env["helpdesk.ticket.team"].search([("qc_is_quality_team", "=", True)])
        self.assertTrue(teams)
        for team in teams:
            self.assertTrue(team.qc_department_head_id, f"{team.name} has a department head")
            self.assertFalse(team.qc_department_head_id.share)


@tagged("post_install", "-at_install")
class TestExportWizards(HttpCase):
    """The export wizards as the quality manager: the year reads 2026, the dialog
    closes once the file is downloaded, the file is named after its period and
    its columns show their headers whole."""

    def setUp(self):
        super().setUp()
        self.manager = self.env.ref("quality_complaint.demo_user_quality_manager")

    def test_year_printed_without_thousands_separator(self):
        Wizard = self.env["quality.complaint.review.pack.wizard"].with_user(self.manager)
        arch = etree.fromstring(Wizard.get_views([(False, "form")])["views"]["form"]["arch"])
        [year] = arch.xpath("//field[@name='year']")
        options = safe_eval(year.get("options") or "{}", {"false": False, "true": True})
        # the integer widget formats 2026 as "2,026" unless told not to
        self.assertIs(options.get("enable_formatting"), False)

    def test_wizards_close_after_the_download(self):
        register = self.env["quality.complaint.register.wizard"].with_user(self.manager).create({})
        pack = self.env["quality.complaint.review.pack.wizard"].with_user(self.manager).create({})
        for wizard in (register, pack):
            action = wizard.action_print()
            self.assertEqual(action["type"], "ir.actions.report")
            self.assertIs(action.get("close_on_report_download"), True, wizard._name)

    def download(self, action):
        """The file the web client downloads for ``action`` (report_xlsx's handler)."""
        url = (
            f"/report/xlsx/{action['report_name']}?options={quote(json.dumps(action['data']))}"
            f"&context={quote(json.dumps({'lang': 'en_US'}))}"
        )
        response = self.url_open(
            f"/report/download?data={quote(json.dumps([url, 'xlsx']))}&token=1"
        )
        self.assertEqual(response.status_code, 200)
        return response

    def test_file_names_and_column_widths(self):
        self.authenticate("qmanager", "qmanager")
        register = (
            self.env["quality.complaint.register.wizard"]
            .with_user(self.manager)
            .create({"date_from": "2026-12-01", "date_to": "2026-12-31"})
        )
        response = self.download(register.action_print())
        disposition = unquote(response.headers["Content-Disposition"])
        self.assertIn("Complaint register 2026-12.xlsx", disposition)
        self.assertNotIn("(XLSX)", disposition)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        for cell in sheet[1]:
            width = sheet.column_dimensions[cell.column_letter].width
            self.assertGreaterEqual(width, len(cell.value) + 2, f"column {cell.value!r}")

        pack = (
            self.env["quality.complaint.review.pack.wizard"]
            .with_user(self.manager)
            .create({"month": "11", "year": 2026})
        )
        response = self.download(pack.action_print())
        disposition = unquote(response.headers["Content-Disposition"])
        self.assertIn("Review pack", disposition)
        self.assertIn("2026-11.xlsx", disposition)
        self.assertNotIn("(XLSX)", disposition)

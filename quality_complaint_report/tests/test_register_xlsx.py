import io
import zipfile
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.addons.quality_complaint_action.tests.common_action import CorrectiveActionCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

REGISTER = "quality_complaint_report.action_report_complaint_register_xlsx"


@tagged("post_install", "-at_install")
class TestRegisterXlsx(CorrectiveActionCase):
    """The complaint register and the monthly review pack as spreadsheets.

    May 2031 (a month no demo complaint reaches): Alice's leaking kettle (main
    function lost, answered within its deadline, a compensation of 50 under way,
    investigated: the supplier's gasket) and a safety hazard on Bob's toaster (lot T1-A) (answered
    three days late). April 2031: a cosmetic flaw."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_batch_threshold = 100000
        Ticket = cls.env["helpdesk.ticket"]

        def register(when, **vals):
            with freeze_time(when):
                ticket = Ticket.with_user(cls.cs_user).create(cls.complaint_vals(cls, **vals))
                ticket.action_register_complaint()
            return ticket.with_env(cls.env)

        cls.leak = register(datetime(2031, 5, 12, 9, 0), name="Kettle leaks (register)")
        cls.hazard = register(
            datetime(2031, 5, 13, 9, 0),
            name="Kettle sparks (register)",
            impact_level="safety",
            partner_id=cls.bob.id,
            sale_order_id=cls.order_bob.id,
            product_id=cls.toaster.id,
            lot_ids=[Command.set(cls.lot_toaster.ids)],
        )
        cls.scratch = register(
            datetime(2031, 4, 15, 9, 0),
            name="Kettle scratched (register)",
            impact_level="cosmetic",
        )
        with freeze_time(datetime(2031, 5, 12, 9, 30)):
            cls.leak.with_user(cls.cs_user).action_contacted_customer()
        with freeze_time(datetime(2031, 5, 16, 15, 0)):
            cls.hazard.with_user(cls.cs_user).action_contacted_customer()
        compensation = cls.env.ref("quality_complaint_remedy.remedy_type_compensation")
        with freeze_time(datetime(2031, 5, 12, 10, 0)):
            cls.remedy = cls.env["quality.complaint.remedy"].create(
                {
                    "ticket_id": cls.leak.id,
                    "type_id": compensation.id,
                    "name": "Compensation for the leak",
                    "amount": 50.0,
                    "user_id": cls.cs_user.id,
                }
            )
            cls.remedy.action_approve()
            cls.remedy._qc_write_protected({"state": "in_progress"})

    def setUp(self):
        super().setUp()
        with freeze_time(datetime(2031, 5, 14, 9, 0)):
            self.investigation = self.approved_investigation(self.leak)
            self.action = self.open_action(
                investigation_id=self.investigation.id, partner_id=self.vendor.id
            )
        self.ours = self.leak | self.hazard | self.scratch

    # ------------------------------------------------------------ helpers
    def render(self, user, docids=None, data=None):
        content, kind = (
            self.env["ir.actions.report"].with_user(user)._render_xlsx(REGISTER, docids, data)
        )
        self.assertEqual(kind, "xlsx")
        return openpyxl.load_workbook(io.BytesIO(content))

    def rows(self, workbook):
        """{reference: {header: value}} of the register's sheet."""
        sheet = workbook.worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        header = values[0]
        return header, {row[0]: dict(zip(header, row, strict=True)) for row in values[1:]}

    # ------------------------------------------------------------ register
    def test_register_lists_each_complaint_without_costs_for_customer_service(self):
        workbook = self.render(self.cs_user, docids=self.ours.ids)
        self.assertEqual(workbook.sheetnames, ["Complaints"])
        header, rows = self.rows(workbook)
        self.assertEqual(header[:3], ("Reference", "Title", "Registered on"))
        self.assertNotIn("Remedy cost", header, "customer service does not see costs")
        self.assertEqual(set(rows), set(self.ours.mapped("number")))
        leak, hazard = rows[self.leak.number], rows[self.hazard.number]
        self.assertEqual(leak["Title"], "Kettle leaks (register)")
        self.assertEqual(leak["Registered on"], datetime(2031, 5, 12, 9, 0))
        self.assertEqual(leak["Grade"], self.leak.grade_id.name)
        self.assertEqual(hazard["Grade"], self.hazard.grade_id.name)
        self.assertEqual(leak["Impact"], "Main function lost")
        self.assertEqual(leak["Customer request"], "Exchange")
        self.assertEqual(leak["Lots / serial numbers"], "K1-A")
        self.assertEqual(hazard["Lots / serial numbers"], "T1-A")
        self.assertEqual(hazard["Customer"], "Bob Shop")
        self.assertEqual(hazard["Contact (e-mail / phone)"], "bob@example.com / 555-01")
        self.assertEqual(leak["Order number"], self.order_alice.name)
        self.assertEqual(leak["Remedies"], "Compensation \N{EN DASH} Under way")
        self.assertEqual(leak["SLA status"], "Met")
        self.assertEqual(leak["Hours to first response"], self.leak.qc_response_hours)
        self.assertIn("Water drips from the base seam", leak["Description"])
        self.assertNotIn("<p>", leak["Description"])
        self.assertEqual(leak["Investigation"], self.investigation.name)
        self.assertEqual(leak["Root-cause category"], "Material")
        self.assertIn(self.action.name, leak["Corrective actions"])
        self.assertIsNone(hazard["Remedies"])
        # A frozen, filtered header row.
        sheet = workbook.worksheets[0]
        self.assertEqual(sheet.freeze_panes, "A2")
        self.assertTrue(sheet.auto_filter.ref.startswith("A1:"))

    def test_texts_come_back_as_typed(self):
        """Markup characters and spaces at either end survive the hand-written
        cells."""
        self.scratch.sudo().write({"name": "Lid & seal <loose> ", "occurrence": "  after 3 uses"})
        _header, rows = self.rows(self.render(self.cs_user, docids=self.scratch.ids))
        row = rows[self.scratch.number]
        self.assertEqual(row["Title"], "Lid & seal <loose> ")
        self.assertEqual(row["When / where it happens"], "  after 3 uses")

    def test_text_that_looks_like_sheet_markup_stays_text(self):
        """A title typed as a rich string's markup is shown as typed: it adds no
        cell, no formula and no formatting to the register."""
        title = '<r><t>Lid</t></r><c r="ZZ9"><f>HYPERLINK("http://x")</f></c><r><t>x</t></r>'
        self.scratch.sudo().write({"name": title})
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.cs_user)
            ._render_xlsx(REGISTER, self.scratch.ids, None)
        )
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        self.assertNotIn("<f>", sheet_xml, "no formula in the register")
        self.assertNotIn('<c r="ZZ9"', sheet_xml, "no cell added")
        _header, rows = self.rows(openpyxl.load_workbook(io.BytesIO(content)))
        self.assertEqual(rows[self.scratch.number]["Title"], title)

    def test_register_dates_in_the_users_time_zone(self):
        self.cs_user.tz = "Europe/Brussels"
        _header, rows = self.rows(self.render(self.cs_user, docids=self.leak.ids))
        self.assertEqual(
            rows[self.leak.number]["Registered on"],
            datetime(2031, 5, 12, 11, 0),
            "09:00 UTC is 11:00 in Brussels in May",
        )
        self.assertEqual(rows[self.leak.number]["First response"], datetime(2031, 5, 12, 11, 30))

    def test_officer_sees_the_remedy_cost(self):
        header, rows = self.rows(self.render(self.officer, docids=self.ours.ids))
        self.assertIn("Remedy cost", header)
        self.assertEqual(rows[self.leak.number]["Remedy cost"], 50.0)
        self.assertFalse(rows[self.hazard.number]["Remedy cost"])

    def test_every_column_obeys_the_groups_of_its_fields(self):
        """A column shows only when its fields' ``groups`` let the user read them:
        tried on each column with its fields reserved to quality officers."""
        self.leak.with_user(self.officer)._qc_override_grade(
            self.hazard.grade_id, "Their buyer knows our CEO"
        )
        officer_only = "quality_complaint.group_complaint_officer"
        override_reason = self.env["helpdesk.ticket"]._fields["grade_override_reason"]
        with patch.object(override_reason, "groups", officer_only):
            header, rows = self.rows(self.render(self.cs_user, docids=self.leak.ids))
            self.assertNotIn("Grade reasons", header, "they tell the override's reason")
            self.assertNotIn("Their buyer knows our CEO", str(rows))
        Register = self.env["report.quality_complaint.complaint_register_xlsx"]
        columns = Register._qc_all_columns()
        header, rows = self.rows(self.render(self.officer, docids=self.leak.ids))
        self.assertEqual(len(header), len(columns), "the officer reads every column")
        self.assertIn("Oscar Officer", rows[self.leak.number]["Grade reasons"])
        self.assertIn("Their buyer knows our CEO", rows[self.leak.number]["Grade reasons"])
        for key, title, _kind, _width, reads in columns:
            model, fnames = reads[-1]
            field = self.env[model]._fields[fnames[-1]]
            with self.subTest(column=key), patch.object(field, "groups", officer_only):
                header, rows = self.rows(self.render(self.cs_user, docids=self.leak.ids))
                self.assertNotIn(title, header)
                self.assertEqual(len(header), len(columns) - 1 - (key != "remedy_cost"))
                if key == "grade_reasons":
                    cells = " ".join(str(v) for v in rows[self.leak.number].values())
                    self.assertNotIn("Their buyer knows our CEO", cells)
                    self.assertNotIn("Oscar Officer", cells)

    def test_reports_refused_without_a_complaint_group(self):
        employee = new_test_user(self.env, login="qc_register_eve", groups="base.group_user")
        self.leak.message_subscribe(partner_ids=employee.partner_id.ids)
        Report = self.env["ir.actions.report"]
        for user in (employee, self.supplier_user):
            with self.assertRaises(AccessError):
                Report.with_user(user)._render_xlsx(REGISTER, self.leak.ids, None)
            Pack = self.env["report.quality_complaint.review_pack_xlsx"].with_user(user)
            with self.assertRaises(AccessError):
                Pack._qc_review_pack(self.company, date(2031, 5, 1), date(2031, 5, 31))

    def test_register_keeps_to_the_complaints_the_user_may_read(self):
        elsewhere = self.env["res.company"].create({"name": "Elsewhere Co"})
        other = self.env["helpdesk.ticket"].create(
            {
                "name": "Elsewhere complaint",
                "description": "<p>Not ours</p>",
                "is_quality_complaint": True,
                "company_id": elsewhere.id,
                "team_id": False,
            }
        )
        _header, rows = self.rows(self.render(self.cs_user, docids=(self.ours | other).ids))
        self.assertEqual(set(rows), set(self.ours.mapped("number")))

    def test_wizard_filters_by_registration_date_and_grade(self):
        Wizard = self.env["quality.complaint.register.wizard"].with_user(self.cs_user)
        may = Wizard.create({"date_from": date(2031, 5, 1), "date_to": date(2031, 5, 31)})
        action = may.action_print()
        self.assertEqual(action["report_name"], "quality_complaint.complaint_register_xlsx")
        _header, rows = self.rows(self.render(self.cs_user, data=action["data"]))
        self.assertEqual(set(rows), {self.leak.number, self.hazard.number})

        urgent = Wizard.create(
            {
                "date_from": date(2031, 4, 1),
                "date_to": date(2031, 5, 31),
                "grade_ids": [Command.set(self.hazard.grade_id.ids)],
            }
        )
        _header, rows = self.rows(self.render(self.cs_user, data=urgent.action_print()["data"]))
        self.assertEqual(set(rows), {self.hazard.number})

        backwards = Wizard.create({"date_from": date(2031, 5, 31), "date_to": date(2031, 5, 1)})
        with self.assertRaisesRegex(UserError, "start of the period"):
            backwards.action_print()

    # ------------------------------------------------------------ review pack
    def test_review_pack(self):
        self.assertNotEqual(self.leak.grade_id, self.hazard.grade_id)
        self.assertEqual(self.leak.sla_status, "met")
        self.assertEqual(self.hazard.sla_status, "breached")
        Pack = self.env["report.quality_complaint.review_pack_xlsx"].with_user(self.officer)
        with freeze_time(datetime(2031, 6, 2, 8, 0)):
            content, filename = Pack._qc_review_pack(
                self.company, date(2031, 5, 1), date(2031, 5, 31)
            )
        self.assertTrue(filename.endswith("2031-05.xlsx"))
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        self.assertEqual(
            workbook.sheetnames,
            ["KPI", "By grade and product", "Top suppliers", "Open actions", "Recurrences"],
        )
        kpi = {row[0]: row[1:3] for row in workbook["KPI"].iter_rows(values_only=True) if row}
        self.assertEqual(kpi["Complaints"], (2, 1), "May beside April")
        self.assertEqual(kpi["Affected units"], (4, 2))
        self.assertEqual(kpi["SLA met %"][0], 50.0, "one met, one breached")
        self.assertEqual(kpi["Remedy cost"][0], 50.0)
        self.assertEqual(kpi[self.leak.grade_id.name][0], 1)
        self.assertEqual(kpi[self.hazard.grade_id.name][0], 1)
        self.assertEqual(kpi[self.scratch.grade_id.name][1], 1)
        self.assertEqual(kpi["2031-05"], (2, None))
        suppliers = {
            row[0]: row[1:]
            for row in workbook["Top suppliers"].iter_rows(min_row=2, values_only=True)
        }
        self.assertEqual(suppliers[self.vendor.display_name], (2, 4))
        actions = [row[0] for row in workbook["Open actions"].iter_rows(values_only=True)]
        self.assertIn(self.action.name, actions)
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            names = package.namelist()
        self.assertIn("xl/charts/chart1.xml", names)
        self.assertIn("xl/charts/chart2.xml", names)

    def test_review_pack_hides_costs_from_customer_service(self):
        Pack = self.env["report.quality_complaint.review_pack_xlsx"].with_user(self.cs_user)
        content, _filename = Pack._qc_review_pack(self.company, date(2031, 5, 1), date(2031, 5, 31))
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        labels = [row[0] for row in workbook["KPI"].iter_rows(values_only=True)]
        self.assertIn("Complaints", labels)
        self.assertNotIn("Remedy cost", labels)

    def test_review_pack_wizard_prints_the_chosen_month(self):
        wizard = (
            self.env["quality.complaint.review.pack.wizard"]
            .with_user(self.officer)
            .create({"month": "5", "year": 2031})
        )
        action = wizard.action_print()
        self.assertEqual(action["data"]["date_from"], "2031-05-01")
        self.assertEqual(action["data"]["date_to"], "2031-05-31")
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_xlsx(
                "quality_complaint_report.action_report_review_pack_xlsx",
                wizard.ids,
                action["data"],
            )
        )
        kpi = {
            row[0]: row[1:3]
            for row in openpyxl.load_workbook(io.BytesIO(content))["KPI"].iter_rows(
                values_only=True
            )
            if row
        }
        self.assertEqual(kpi["Complaints"], (2, 1))

"""The printed case reports: the 8D report of an investigation and the
complaint report for the customer, in the customer's language."""

import io

from PyPDF2 import PdfReader

from odoo import Command
from odoo.addons.quality_complaint_action.tests.common_action import CorrectiveActionCase
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

REPORT_8D = "quality_complaint_action.action_report_investigation_8d"
REPORT_CUSTOMER = "quality_complaint_report.action_report_complaint_customer"


@tagged("post_install", "-at_install")
class TestCaseReports(CorrectiveActionCase):
    """Alice (English) and Bob (Chinese) complain about kettles of lot K1-A; one
    investigation serves both: the gasket of Kettle Parts Ltd, held lots, a
    corrective action done and verified effective, a preventive action."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            [
                "quality_complaint",
                "quality_complaint_investigation",
                "quality_complaint_remedy",
                "quality_complaint_action",
                "quality_complaint_report",
            ],
            ["zh_CN"],
        )
        cls.alice.lang = "en_US"
        cls.bob.lang = "zh_CN"
        cls.kettle.standard_price = 17.35
        cls.company.qc_quality_manager_id = cls.manager

    def setUp(self):
        super().setUp()
        Ticket = self.env["helpdesk.ticket"].with_user(self.cs_user)
        self.alice_ticket = Ticket.create(self.complaint_vals())
        self.bob_ticket = Ticket.create(
            self.complaint_vals(
                name="Kettle leaks at the seam",
                partner_id=self.bob.id,
                sale_order_id=self.order_bob.id,
                affected_qty=3,
            )
        )
        (self.alice_ticket | self.bob_ticket).action_register_complaint()
        self.alice_ticket = self.alice_ticket.with_env(self.env)
        self.bob_ticket = self.bob_ticket.with_env(self.env)
        (self.alice_ticket | self.bob_ticket)._qc_open_or_join_investigation()
        self.investigation = self.approved_investigation(self.alice_ticket)
        self.investigation.write(
            {
                "user_id": self.officer.id,
                "root_cause_summary": "Oscar Officer found that the gasket lot of Kettle "
                "Parts Ltd was out of spec.",
            }
        )
        cause = self.investigation.fishbone_cause_ids
        self.containment = self.open_action(
            investigation_id=self.investigation.id,
            kind="containment",
            title="Stop shipping the leaking kettles",
            lot_ids=[Command.set(self.lot_a.ids)],
        )
        self.corrective = self.open_action(
            investigation_id=self.investigation.id,
            title="Incoming test of Kettle Parts Ltd gaskets",
            root_cause_source="fishbone",
            fishbone_cause_id=cause.id,
        )
        self.corrective.with_user(self.officer).action_done()
        self.env["quality.complaint.action.verification"].with_user(self.officer).create(
            {
                "action_id": self.corrective.id,
                "method": "production_records",
                "measure": "Incoming pass rate",
                "result": 99.2,
                "target": 98.0,
                "unit": "%",
                "verdict": "effective",
            }
        )
        self.preventive = self.open_action(
            investigation_id=self.investigation.id,
            kind="preventive",
            title="Add the gasket thickness to the supplier audit",
        )
        self.warranty = self.env["quality.complaint.remedy"].create(
            {
                "ticket_id": self.alice_ticket.id,
                "type_id": self.env.ref("quality_complaint_remedy.remedy_type_warranty").id,
                "name": "The warranty of your product is extended by one year.",
                "product_id": self.kettle.id,
                "warranty_months": 12,
            }
        )
        self.warranty.action_execute()

    # ------------------------------------------------------------ helpers
    def html(self, report, records, user=None):
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        html, kind = Report._render_qweb_html(report, records.ids)
        self.assertEqual(kind, "html")
        return html.decode()

    def pdf(self, report, records):
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(content.startswith(b"%PDF"), "a PDF document")
        return PdfReader(io.BytesIO(content))

    # ------------------------------------------------------------ 8D
    def test_8d_report_tells_the_eight_disciplines(self):
        html = self.html(REPORT_8D, self.investigation, user=self.officer)
        for section in (
            "D1 Team",
            "D2 Problem description",
            "D3 Containment",
            "D4 Root cause",
            "D5 Chosen corrective actions",
            "D6 Implementation and verification",
            "D7 Preventive actions",
            "D8 Closure",
        ):
            self.assertIn(section, html)
        positions = [html.index(f"D{n} ") for n in range(1, 9)]
        self.assertEqual(positions, sorted(positions), "the disciplines in their order")
        d1, d2 = html.index("D1 Team"), html.index("D2 Problem")
        self.assertIn("Oscar Officer", html[d1:d2], "the owner and action owner in the team")
        d3, d4 = html.index("D3 Containment"), html.index("D4 Root cause")
        problem = html[d2:d3]
        for fact in (
            self.alice_ticket.number,
            self.bob_ticket.number,
            "Alice Buyer",
            "Bob Shop",
            "Kettle K1",
            "K1-A",
            "Function failure",
        ):
            self.assertIn(fact, problem)
        containment = html[d3:d4]
        self.assertIn("Stop shipping the leaking kettles", containment)
        self.assertIn("K1-A", containment, "the lot held")
        d5 = html.index("D5 Chosen")
        root_cause = html[d4:d5]
        for fact in (
            "Why does it leak?",
            "The supplier skipped its test",
            "Gasket lot out of spec",
            "(root cause)",
            "Material",
            "Kettle Parts Ltd",
            "Received",
        ):
            self.assertIn(fact, root_cause)
        d6, d7, d8 = (html.index(f"D{n} ") for n in (6, 7, 8))
        self.assertIn("Incoming test of Kettle Parts Ltd gaskets", html[d5:d6])
        implemented = html[d6:d7]
        self.assertIn("Incoming pass rate", implemented)
        self.assertIn("Effective", implemented, "the verification's verdict")
        self.assertIn("Add the gasket thickness to the supplier audit", html[d7:d8])
        self.assertIn("0 of 2 complaints closed", html[d8:])

    def test_8d_pdf_and_access(self):
        reader = self.pdf(REPORT_8D, self.investigation)
        # Its text is checked on the HTML: wkhtmltopdf embeds the web fonts of a
        # running server without a text layer that PyPDF2 can read back.
        self.assertGreaterEqual(len(reader.pages), 1)
        # customer service reads the investigation, and prints its 8D
        self.assertIn("D1 Team", self.html(REPORT_8D, self.investigation, user=self.cs_user))
        with self.assertRaises(AccessError):
            self.html(REPORT_8D, self.investigation, user=self.supplier_user)
        name = safe_eval(self.env.ref(REPORT_8D).print_report_name, {"object": self.investigation})
        self.assertEqual(name, f"8D - {self.investigation.name}", "the file's name")

    # ------------------------------------------------------------ customer report
    def test_customer_report_in_english_without_internals(self):
        html = self.html(REPORT_CUSTOMER, self.alice_ticket, user=self.cs_user)
        for fact in (
            self.alice_ticket.number,
            "Kettle K1",
            "K1-A",
            "Function failure",
            "Main function lost",
            "Exchange",
            "Material",
            "found that the gasket lot of our supplier was out of spec",
            "Warranty extended by 1 year",
            "warranty extended until",
            "Stop shipping the leaking kettles",
            "Incoming test of our supplier gaskets",
            "Verified effective",
            "Corrective",
            "Preventive",
        ):
            self.assertIn(fact, html)
        for internal in (
            "Oscar Officer",
            "Carla Service",
            "Mia Manager",
            "Kettle Parts Ltd",
            "17.35",
            "34.70",
            "Bob Shop",
        ):
            self.assertNotIn(internal, html)

    def test_customer_report_in_chinese(self):
        html = self.html(REPORT_CUSTOMER, self.bob_ticket, user=self.cs_user)
        self.assertEqual(self.cs_user.lang, "en_US", "printed by an English user")
        for chinese in ("功能故障", "主要功能丧失", "换货", "物料", "纠正措施", "已验证有效"):
            self.assertIn(chinese, html)
        for english in ("Function failure", "Main function lost", "Verified effective"):
            self.assertNotIn(english, html)
        self.assertNotIn("Kettle Parts Ltd", html)
        self.assertNotIn("Oscar Officer", html)

    def test_customer_report_pdf_in_both_languages(self):
        for ticket in (self.alice_ticket, self.bob_ticket):
            reader = self.pdf(REPORT_CUSTOMER, ticket)
            self.assertGreaterEqual(len(reader.pages), 1)
        both = self.pdf(REPORT_CUSTOMER, self.alice_ticket | self.bob_ticket)
        self.assertGreaterEqual(len(both.pages), 2, "one report per complaint")

    def test_customer_report_refused_for_a_plain_ticket(self):
        plain = self.env["helpdesk.ticket"].create(
            {
                "name": "Where is my invoice?",
                "description": "<p>I did not receive the invoice.</p>",
                "partner_id": self.alice.id,
                "is_quality_complaint": False,
            }
        )
        self.assertFalse(plain.is_quality_complaint)
        with self.assertRaisesRegex(UserError, "quality complaints only"):
            self.html(REPORT_CUSTOMER, plain, user=self.cs_user)
        with self.assertRaises(AccessError):
            self.html(REPORT_CUSTOMER, self.alice_ticket, user=self.supplier_user)

    # ------------------------------------------------------------ sending
    def test_send_report_to_the_customer_with_the_pdf(self):
        ticket = self.bob_ticket.with_user(self.cs_user)
        action = ticket.action_send_complaint_report()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = Form(
            self.env["mail.compose.message"]
            .with_user(self.cs_user)
            .with_context(**action["context"], force_report_rendering=True)
        )
        self.assertIn(self.bob, composer.partner_ids[:])
        self.assertIn(ticket.number, composer.subject)
        composer.save().action_send_mail()
        message = ticket.message_ids.filtered(lambda m: ticket.number in (m.subject or ""))[:1]
        self.assertTrue(message, "the report is posted on the complaint")
        self.assertIn(self.bob, message.partner_ids, "to the customer")
        self.assertEqual(
            message.attachment_ids.mapped("name"),
            [f"投诉 - {ticket.number}.pdf"],
            "named in the customer's language",
        )
        self.assertTrue(message.attachment_ids.raw.startswith(b"%PDF"), "the printed report")
        plain = self.env["helpdesk.ticket"].create(
            {
                "name": "A question",
                "description": "<p>When is my order delivered?</p>",
                "partner_id": self.alice.id,
                "is_quality_complaint": False,
            }
        )
        with self.assertRaisesRegex(UserError, "not a quality complaint"):
            plain.with_user(self.cs_user).action_send_complaint_report()

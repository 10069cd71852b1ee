"""The reports of a complaint (register, review pack, the customer's report, the
8D) are refused to whoever holds no complaint group: the complaint's customer,
an employee following it, a supplier's portal user following it."""

import json

from odoo.addons.quality_complaint_remedy.tests.test_portal_trust import PortalTrustCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestReportAccess(PortalTrustCase):
    # ------------------------------------------------------------ reports
    def assert_refused(self, url):
        response = self.url_open(url)
        self.assertNotEqual(response.status_code, 200, url)
        self.assertFalse(response.content.startswith(b"PK"), f"{url}: no spreadsheet")
        self.assertFalse(response.content.startswith(b"%PDF"), f"{url}: no PDF")
        self.assertNotIn(b"Portal kettle leaks", response.content)

    def test_reports_are_refused_without_a_complaint_group(self):
        ticket = self.complaint_followed_by_others()
        ticket.with_user(self.officer)._qc_override_grade(self.urgent, "Their buyer knows our CEO")
        ticket.with_user(self.officer).action_start_investigation()
        investigation = ticket.investigation_id
        options = json.dumps(
            {
                "company_id": self.env.company.id,
                "date_from": "2020-01-01",
                "date_to": "2040-12-31",
            }
        )
        urls = [
            f"/report/xlsx/quality_complaint.complaint_register_xlsx/{ticket.id}",
            f"/report/xlsx/quality_complaint.review_pack_xlsx?options={options}",
            f"/report/pdf/quality_complaint_report.report_complaint_customer/{ticket.id}",
            f"/report/html/quality_complaint_report.report_complaint_customer/{ticket.id}",
            f"/report/pdf/quality_complaint_action.report_investigation_8d/{investigation.id}",
        ]
        for login in ("qc_portal_paula", "qc_trust_eve", "qc_trust_sam"):
            self.login(login)
            for url in urls:
                self.assert_refused(url)
        # Customer service prints them.
        self.login("qc_portal_cs")
        register = self.url_open(urls[0])
        self.assertEqual(register.status_code, 200)
        self.assertTrue(register.content.startswith(b"PK"))
        html = self.url_open(urls[3])
        self.assertEqual(html.status_code, 200)
        self.assertIn("Portal kettle leaks", html.text)

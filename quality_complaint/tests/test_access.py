from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import QualityComplaintCase, other_company_user


@tagged("post_install", "-at_install")
class TestAccess(QualityComplaintCase):
    def test_customer_service_registers_but_does_not_configure(self):
        ticket = self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        ticket.action_register_complaint()
        self.assertEqual(ticket.complaint_state, "registered")
        Category = self.env["quality.complaint.defect.category"]
        self.assertTrue(Category.with_user(self.cs_user).search([]), "CS reads the categories")
        with self.assertRaises(AccessError):
            Category.with_user(self.cs_user).create({"name": "Noise"})
        with self.assertRaises(AccessError):
            self.cat_function.with_user(self.officer).write({"evidence_required": True})

    def test_manager_configures(self):
        category = (
            self.env["quality.complaint.defect.category"]
            .with_user(self.manager)
            .create({"name": "Noise", "code": "NOISE"})
        )
        self.assertTrue(category.exists())
        self.assertTrue(self.manager.has_group("quality_complaint.group_complaint_officer"))
        self.assertTrue(self.officer.has_group("quality_complaint.group_complaint_user"))

    def test_user_without_complaint_group(self):
        # A salesman reads the order, but is no complaint user.
        outsider = new_test_user(
            self.env, login="qc_outsider", groups="sales_team.group_sale_salesman_all_leads"
        )
        self.assertTrue(self.order_alice.with_user(outsider).read(["name"]))
        with self.assertRaises(AccessError):
            self.env["quality.complaint.defect.category"].with_user(outsider).search([])
        with self.assertRaisesRegex(AccessError, "may not do this"):
            self.order_alice.with_user(outsider).action_report_quality_complaint()

    def test_multi_company(self):
        other_user, other = other_company_user(
            self.env, "qc_other", "quality_complaint.group_complaint_user"
        )
        mine = self.env["helpdesk.ticket"].create(self.complaint_vals())
        theirs = self.env["helpdesk.ticket"].create(
            {
                "name": "Other company's complaint",
                "description": "<p>Broken</p>",
                "is_quality_complaint": True,
                "company_id": other.id,
            }
        )
        Ticket = self.env["helpdesk.ticket"]
        visible = Ticket.with_user(other_user).search([("is_quality_complaint", "=", True)])
        self.assertIn(theirs, visible)
        self.assertNotIn(mine, visible)
        with self.assertRaises(AccessError):
            mine.with_user(other_user).read(["name"])
        mine_cs = Ticket.with_user(self.cs_user).search([("is_quality_complaint", "=", True)])
        self.assertNotIn(theirs, mine_cs)
        private = self.env["quality.complaint.defect.category"].create(
            {"name": "Other only", "company_id": other.id}
        )
        Category = self.env["quality.complaint.defect.category"]
        self.assertNotIn(private, Category.with_user(self.cs_user).search([]))
        self.assertIn(private, Category.with_user(other_user).search([]))

from odoo.exceptions import AccessError
from odoo.tests import Form, TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSettingsAccess(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="qc_settings_manager",
            groups="base.group_user,quality_complaint.group_complaint_manager",
        )
        cls.cs_user = new_test_user(
            cls.env,
            login="qc_settings_cs",
            groups="base.group_user,quality_complaint.group_complaint_user",
        )

    def test_quality_manager_saves_the_complaint_settings(self):
        self.assertFalse(self.manager._is_admin())
        company = self.env.company
        settings_form = Form(self.env["res.config.settings"].with_user(self.manager))
        settings_form.qc_batch_threshold = 7
        settings_form.qc_batch_window_days = 14
        settings_form.qc_first_contact_hours = 8
        settings = settings_form.save()
        settings.execute()
        self.assertEqual(company.qc_batch_threshold, 7)
        self.assertEqual(company.qc_batch_window_days, 14)
        self.assertEqual(company.qc_first_contact_hours, 8)

    def test_quality_manager_changes_nothing_else_of_the_company(self):
        Settings = self.env["res.config.settings"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Settings.create({"report_footer": "<p>Renamed</p>"})
        with self.assertRaises(AccessError):
            self.env.company.with_user(self.manager).write({"qc_batch_threshold": 3})
        self.assertNotIn("Renamed", str(self.env.company.report_footer))

    def test_quality_manager_changes_only_their_companies(self):
        other = self.env["res.company"].create({"name": "Not the manager's company"})
        threshold = other.qc_batch_threshold
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.manager).create(
                {"company_id": other.id, "qc_batch_threshold": threshold + 5}
            )
        self.assertEqual(other.qc_batch_threshold, threshold)

    def test_quality_manager_exports(self):
        self.assertTrue(self.manager.has_group("base.group_allow_export"))
        self.assertFalse(self.cs_user.has_group("base.group_allow_export"))

    def test_customer_service_cannot_change_the_settings(self):
        threshold = self.env.company.qc_batch_threshold
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.cs_user).create(
                {"qc_batch_threshold": threshold + 5}
            )
        self.assertEqual(self.env.company.qc_batch_threshold, threshold)


@tagged("post_install", "-at_install")
class TestDemoUsers(TransactionCase):
    """The demo database has one user per role, as listed in the README."""

    def test_one_demo_user_per_role(self):
        module = self.env["ir.module.module"].search([("name", "=", "quality_complaint")])
        if not module.demo:
            self.skipTest("quality_complaint is installed without demo data")
        Users = self.env["res.users"].with_context(active_test=False)
        roles = {
            "service": "quality_complaint.group_complaint_user",
            "officer": "quality_complaint.group_complaint_officer",
            "qmanager": "quality_complaint.group_complaint_manager",
            "purchaser": "purchase.group_purchase_user",
        }
        for login, group in roles.items():
            user = Users.search([("login", "=", login)])
            self.assertTrue(user.has_group(group), login)
            self.assertFalse(user._is_admin(), login)
            self.assertFalse(user.share, login)
        self.assertFalse(Users.search([("login", "=", "service")]).has_group(roles["officer"]))
        self.assertFalse(Users.search([("login", "=", "purchaser")]).has_group(roles["service"]))
        lena = Users.search([("login", "=", "lena")])
        self.assertTrue(lena._is_portal())
        complaints = (
            self.env["helpdesk.ticket"]
            .with_user(lena)
            .search([("is_quality_complaint", "=", True)])
        )
        self.assertIn(self.env.ref("quality_complaint.demo_complaint_breaker"), complaints)

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSettingsTour(HttpCase):
    def test_quality_manager_changes_the_batch_threshold(self):
        manager = new_test_user(
            self.env,
            login="tour_qc_manager",
            name="Tour Quality Manager",
            groups="base.group_user,quality_complaint.group_complaint_manager",
        )
        self.assertFalse(manager._is_admin())
        self.env.company.qc_batch_threshold = 5
        self.start_tour(
            "/odoo/action-quality_complaint.action_quality_complaint_settings",
            "quality_complaint_settings_tour",
            login=manager.login,
        )
        self.assertEqual(self.env.company.qc_batch_threshold, 12)

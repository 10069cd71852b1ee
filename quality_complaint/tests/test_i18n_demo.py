"""The demo database speaks Chinese: the language, a Chinese-speaking user, and
helpdesk_mgmt's labels on the complaint screens."""

from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestChineseDemo(TransactionCase):
    def test_demo_has_chinese_and_a_chinese_user(self):
        self.assertEqual(self.env["res.lang"]._get_data(code="zh_CN").code, "zh_CN")
        user = self.env.ref("quality_complaint.demo_user_service_zh")
        self.assertEqual((user.login, user.lang), ("service_zh", "zh_CN"))
        self.assertTrue(user.has_group("quality_complaint.group_complaint_user"))
        team = self.env.ref("quality_complaint.helpdesk_team_quality_complaints")
        self.assertIn(user, team.user_ids)
        # the terms of the installed modules were loaded with the language
        self.assertEqual(
            self.env.ref("quality_complaint.grade_urgent").with_context(lang="zh_CN").name,
            "紧急",
        )

    def test_helpdesk_mgmt_labels_are_chinese_on_the_complaint(self):
        """helpdesk_mgmt ships no Chinese: our catalogue gives its labels, loaded
        with our module (no term loaded by the test)."""
        user = self.env.ref("quality_complaint.demo_user_service_zh")
        tickets = self.env["helpdesk.ticket"].with_user(user).with_context(lang="zh_CN")
        fields = tickets.fields_get(
            ["stage_id", "team_id", "priority", "channel_id", "user_id", "tag_ids", "kanban_state"],
            ["string", "selection"],
        )
        self.assertEqual(fields["stage_id"]["string"], "阶段")
        self.assertEqual(fields["team_id"]["string"], "团队")
        self.assertEqual(fields["channel_id"]["string"], "渠道")
        self.assertEqual(fields["user_id"]["string"], "指派用户")
        self.assertEqual(fields["tag_ids"]["string"], "标签")
        self.assertEqual(
            dict(fields["priority"]["selection"]),
            {"0": "低", "1": "中等", "2": "高", "3": "非常高"},
        )
        self.assertEqual(dict(fields["kanban_state"]["selection"])["blocked"], "受阻")
        phone = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        self.assertEqual(phone.with_context(lang="zh_CN").name, "电话")
        menu = self.env.ref("helpdesk_mgmt.helpdesk_ticket_main_menu")
        self.assertEqual(menu.with_context(lang="zh_CN").name, "服务台")
        # the complaint form the Chinese agent opens
        action = self.env.ref("quality_complaint.action_quality_complaints")
        form = action.view_ids.filtered(lambda v: v.view_mode == "form").view_id
        views = tickets.get_views([(form.id, "form")])
        self.assertEqual(views["models"]["helpdesk.ticket"]["fields"]["stage_id"]["string"], "阶段")

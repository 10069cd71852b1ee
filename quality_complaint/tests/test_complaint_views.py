from freezegun import freeze_time

from odoo.tests import tagged

from .common_sla import ComplaintGradingCase


@tagged("post_install", "-at_install")
class TestComplaintViews(ComplaintGradingCase):
    def test_every_view_of_the_complaints_opens_for_customer_service(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_complaint.action_quality_complaints"
        )
        modes = action["view_mode"].split(",")
        self.assertEqual(
            set(modes), {"list", "kanban", "form", "pivot", "graph", "calendar", "activity"}
        )
        views = {mode: view_id for view_id, mode in action["views"]}
        Ticket = self.env["helpdesk.ticket"].with_user(self.cs_user)
        result = Ticket.get_views([(views.get(mode), mode) for mode in modes])
        self.assertEqual(set(result["views"]), set(modes))
        self.assertIn("response_deadline", result["views"]["calendar"]["arch"])

    def test_pivot_measures_answer_how_many_and_how_fast(self):
        with freeze_time(self.at(0, 9)):
            ticket = self.register(impact_level="cosmetic")
        with freeze_time(self.at(0, 11, 30)):
            ticket.action_contacted_customer()
        groups = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            ._read_group(
                [("id", "=", ticket.id)],
                ["grade_id"],
                ["affected_qty:sum", "qc_response_hours:avg"],
            )
        )
        grade, affected, hours = groups[0]
        self.assertEqual(grade, self.general)
        self.assertEqual(affected, 2)
        self.assertAlmostEqual(hours, 2.5, msg="from registration at 9:00 to contact at 11:30")

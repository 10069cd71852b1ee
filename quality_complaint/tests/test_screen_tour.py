from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import tour_scene

CS_GROUP = "quality_complaint.group_complaint_user"


@tagged("post_install", "-at_install")
class TestComplaintScreenTour(HttpCase):
    """What customer service reads and clicks on the complaint screens."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user, _customer, cls.kettle, cls.lot, cls.order = tour_scene(
            cls.env, "tour_screen_cs", CS_GROUP, "SCREEN-LOT-1"
        )

    def complaint(self, name, register=True):
        complaint = self.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": "<p>A loud hum from the base while the water heats.</p>",
                "is_quality_complaint": True,
                "team_id": self.env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                "user_id": self.user.id,
                "sale_order_id": self.order.id,
                "product_id": self.kettle.id,
                "lot_ids": [Command.set(self.lot.ids)],
                "affected_qty": 1,
                "occurrence": "At home, every time.",
                "impact_level": "main_function",
                "defect_category_id": self.env.ref("quality_complaint.defect_category_function").id,
                "customer_request": "exchange",
            }
        )
        if register:
            complaint.action_register_complaint()
        return complaint

    def test_refused_stage_move_leaves_the_form_as_it_was(self):
        complaint = self.complaint("Tour kettle hums")
        registered = complaint.stage_id
        self.assertFalse(complaint.first_response_date)
        self.start_tour(
            f"/odoo/quality-complaints/{complaint.id}",
            "quality_complaint_refused_stage_tour",
            login=self.user.login,
        )
        self.assertEqual(complaint.stage_id, registered, "the refused move changed nothing")
        self.assertEqual(complaint.sla_status, "met", "the next button did its own work")
        self.assertEqual(complaint.first_response_by_id, self.user)

    def test_list_shows_title_and_step_new_complaint_reads_sensibly(self):
        self.complaint("Tour kettle hums")
        self.start_tour(
            "/odoo/quality-complaints", "quality_complaint_screen_tour", login=self.user.login
        )

    def test_cancelled_complaint_is_read_only_for_customer_service(self):
        complaint = self.complaint("Tour kettle rattles")
        complaint._qc_cancel("Registered twice.")
        self.assertTrue(complaint.stage_id.closed)
        self.assertTrue(complaint.with_user(self.user).qc_locked)
        manager = new_test_user(
            self.env, login="tour_screen_qm", groups="quality_complaint.group_complaint_manager"
        )
        self.assertFalse(complaint.with_user(manager).qc_locked, "a manager may still change it")
        self.start_tour(
            f"/odoo/quality-complaints/{complaint.id}",
            "quality_complaint_closed_readonly_tour",
            login=self.user.login,
        )

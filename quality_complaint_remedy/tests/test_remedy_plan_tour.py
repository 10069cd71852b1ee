from odoo import Command
from odoo.addons.quality_complaint.tests.common import tour_scene
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestRemedyPlanTour(HttpCase):
    def test_customer_service_executes_the_plan_in_one_go(self):
        env = self.env
        user, _customer, kettle, lot, order = tour_scene(
            env, "tour_plan_cs", "quality_complaint.group_complaint_user", "PLAN-LOT-1"
        )
        general = env.ref("quality_complaint.grade_general")
        instructions = env.ref("quality_complaint_remedy.remedy_type_instructions")
        warranty = env.ref("quality_complaint_remedy.remedy_type_warranty")
        general.remedy_type_ids = instructions | warranty
        complaint = env["helpdesk.ticket"].create(
            {
                "name": "Tour kettle lid stained",
                "description": "<p>A light brown stain inside the lid after a week of use.</p>",
                "is_quality_complaint": True,
                "team_id": env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                "sale_order_id": order.id,
                "product_id": kettle.id,
                "lot_ids": [Command.set(lot.ids)],
                "affected_qty": 1,
                "occurrence": "Inside the lid, after a week.",
                "impact_level": "cosmetic",
                "defect_category_id": env.ref("quality_complaint.defect_category_cosmetic").id,
                "customer_request": "other",
                "user_id": user.id,
            }
        )
        env["ir.attachment"].create(
            {"name": "lid.jpg", "raw": b"jpg", "res_model": complaint._name, "res_id": complaint.id}
        )
        complaint.action_register_complaint()
        complaint.with_user(user).action_contacted_customer()
        self.start_tour(
            f"/odoo/quality-complaints/{complaint.id}",
            "quality_complaint_remedy_plan_tour",
            login="tour_plan_cs",
        )
        self.assertEqual(complaint.remedy_ids.type_id, instructions | warranty)
        self.assertEqual(set(complaint.remedy_ids.mapped("state")), {"executed"})
        self.assertEqual(set(complaint.remedy_ids.mapped("approved_by_id")), {user})
        self.assertEqual(complaint.qc_remedy_state, "executed")
        self.assertEqual(complaint.qc_feedback_state, "due", "the result is due next")

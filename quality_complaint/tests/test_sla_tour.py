from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import tour_scene


@tagged("post_install", "-at_install")
class TestSlaTour(HttpCase):
    def test_officer_sees_grade_and_records_first_response(self):
        env = self.env
        officer, _customer, kettle, lot, order = tour_scene(
            env, "tour_officer", "quality_complaint.group_complaint_officer", "SLA-LOT-1"
        )
        complaint = env["helpdesk.ticket"].create(
            {
                "name": "Tour kettle smokes",
                "description": "<p>Smoke comes out of the base after a minute of heating.</p>",
                "is_quality_complaint": True,
                "team_id": env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                "sale_order_id": order.id,
                "product_id": kettle.id,
                "lot_ids": [Command.set(lot.ids)],
                "affected_qty": 1,
                "occurrence": "At home, every time.",
                "impact_level": "safety",
                "defect_category_id": env.ref("quality_complaint.defect_category_safety").id,
                "customer_request": "exchange",
            }
        )
        env["ir.attachment"].create(
            {
                "name": "smoke.jpg",
                "raw": b"jpg",
                "res_model": complaint._name,
                "res_id": complaint.id,
            }
        )
        # A 24/7 desk, so that the deadline is ahead whatever the time of the run.
        calendar = env["resource.calendar"].create(
            {
                "name": "Always open",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 0,
                            "hour_to": 24,
                            "day_period": "full_day",
                        }
                    )
                    for day in range(7)
                ],
            }
        )
        env.company.qc_calendar_id = calendar
        complaint.action_register_complaint()
        self.assertEqual(complaint.sla_status, "on_track")

        self.start_tour(
            "/odoo/quality-complaints", "quality_complaint_sla_tour", login=officer.login
        )

        self.assertEqual(complaint.sla_status, "met")
        self.assertEqual(complaint.first_response_by_id, officer)

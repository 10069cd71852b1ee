from odoo.addons.quality_complaint.tests.common import tour_scene
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestInvestigationTour(HttpCase):
    def test_quality_officer_analyses_a_complaint(self):
        env = self.env
        _user, customer, kettle, lot, order = tour_scene(
            env, "tour_officer", "quality_complaint.group_complaint_officer", "TOUR-INV-LOT"
        )
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "Tour kettle leaks",
                "description": "<p>Water drips from the base.</p>",
                "is_quality_complaint": True,
                "team_id": env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                "partner_id": customer.id,
                "sale_order_id": order.id,
                "product_id": kettle.id,
                "lot_ids": [(6, 0, lot.ids)],
            }
        )

        self.start_tour(
            f"/odoo/action-quality_complaint.action_quality_complaints/{ticket.id}",
            "quality_complaint_investigation_tour",
            login="tour_officer",
        )

        investigation = ticket.investigation_id
        self.assertTrue(investigation)
        self.assertEqual(investigation.lot_ids, lot)
        self.assertEqual(
            investigation.why_ids.mapped("why"),
            ["Why does the kettle leak?", "Why is the gasket too thin?"],
        )
        cause = investigation.fishbone_cause_ids
        self.assertEqual(cause.description, "Gasket lot 0.6 mm under thickness")
        self.assertEqual(cause.category, "material")
        self.assertTrue(cause.is_root_cause)

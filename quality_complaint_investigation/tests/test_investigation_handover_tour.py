from odoo.addons.quality_complaint.tests.common import tour_scene
from odoo.tests import HttpCase, new_test_user, tagged

APPROVAL = "quality_complaint_investigation.mail_activity_type_investigation_approval"


@tagged("post_install", "-at_install")
class TestInvestigationHandoverTour(HttpCase):
    def test_one_click_to_the_managers_approval(self):
        env = self.env
        _user, customer, kettle, lot, order = tour_scene(
            env, "tour_ho_officer", "quality_complaint.group_complaint_officer", "TOUR-HO-LOT"
        )
        boss = new_test_user(
            env,
            login="tour_ho_manager",
            name="Tour Boss",
            groups="quality_complaint.group_complaint_manager",
        )
        env.company.qc_quality_manager_id = boss
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
            "quality_complaint_investigation_start_tour",
            login="tour_ho_officer",
        )
        investigation = ticket.investigation_id
        self.assertEqual(investigation.lot_ids, lot)
        self.assertEqual(investigation.state, "analysed")
        self.assertEqual(investigation.supplier_id.name, "Tour Vendor")
        waiting = investigation.activity_ids.filtered(
            lambda a: a.activity_type_id == env.ref(APPROVAL)
        )
        self.assertEqual(waiting.user_id, boss, "the quality manager is asked")

        self.start_tour(
            "/odoo/action-quality_complaint_investigation.action_quality_complaint_investigation/new",
            "quality_complaint_investigation_duplicate_tour",
            login="tour_ho_officer",
        )
        Investigation = env["quality.complaint.investigation"]
        self.assertEqual(Investigation.search([("lot_ids", "in", lot.ids)]), investigation)

        self.start_tour(
            "/odoo/action-quality_complaint_investigation.action_quality_complaint_investigation/"
            f"{investigation.id}",
            "quality_complaint_investigation_approval_tour",
            login="tour_ho_manager",
        )
        self.assertEqual(investigation.state, "approved")
        self.assertEqual(investigation.approved_by_id, boss)
        self.assertFalse(waiting.exists() and waiting.active, "the activity is done")

from odoo.tests import HttpCase, tagged

from .common_supplier import SupplierActionCase


@tagged("post_install", "-at_install")
class TestSupplierTour(SupplierActionCase, HttpCase):
    def test_supplier_answers_on_the_portal_and_the_buyer_accepts(self):
        action = self.requested_action(
            supplier_problem="Gaskets of lot K1-A are 0.2 mm thinner than the drawing."
        )
        self.start_tour(
            "/my/supplier-actions", "quality_complaint_supplier_portal_tour", login="qc_supplier"
        )
        self.assertEqual(action.supplier_state, "answered")
        self.assertTrue(action.supplier_containment_done)
        self.assertEqual(
            action.supplier_root_cause, "The thickness test was skipped on the night shift."
        )
        self.assertEqual(str(action.supplier_planned_date), "2099-12-31")
        self.assertEqual(action.supplier_answered_by, self.vendor_contact)

        self.start_tour(
            f"/odoo/action-quality_complaint_purchase.action_supplier_corrective_action/{action.id}",
            "quality_complaint_supplier_review_tour",
            login="qc_buyer",
        )
        self.assertEqual(action.supplier_state, "accepted")
        self.assertEqual(action.supplier_reviewed_by_id, self.buyer)

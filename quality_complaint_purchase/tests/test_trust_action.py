"""Purchasing reviews supplier answers and nothing else of an action's life
(issue "Trust", §2), tried over the web client's JSON-RPC as a buyer."""

from odoo.addons.quality_complaint.tests.common_rpc import call_kw
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common_supplier import SupplierActionCase


@tagged("post_install", "-at_install")
class TestPurchasingReviewsOnly(HttpCase, SupplierActionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer.password = "qc_buyer_trust"

    @mute_logger("odoo.http")
    def test_buyer_cannot_run_the_action(self):
        action = self.requested_action()
        draft = self.supplier_action()
        draft.sudo().write({"state": "draft"})
        self.env.flush_all()
        before = action.read(["kind", "state", "held_lot_ids", "title"])[0]
        self.authenticate("qc_buyer", "qc_buyer_trust")
        _result, error = call_kw(
            self, "quality.complaint.action", "write", [[action.id], {"kind": "containment"}]
        )
        self.assertEqual(error["name"], "odoo.exceptions.AccessError", error)
        _result, error = call_kw(
            self, "quality.complaint.action", "write", [[action.id], {"title": "Nothing to do"}]
        )
        self.assertEqual(error["name"], "odoo.exceptions.AccessError", error)
        for method, record in (
            ("action_open", draft),
            ("action_done", action),
            ("action_cancel", action),
            ("action_reset_draft", action),
            ("action_verify", action),
            ("action_qca_release_lots", action),
        ):
            _result, error = call_kw(self, "quality.complaint.action", method, [[record.id]])
            self.assertEqual(error["name"], "odoo.exceptions.AccessError", method)
            self.assertRegex(error["message"], "may not do this|Only (a )?quality", method)
        self.env.invalidate_all()
        self.assertEqual(action.read(["kind", "state", "held_lot_ids", "title"])[0], before)
        self.assertFalse(self.lot_a.qc_hold, "no lot put on hold by the buyer")
        self.assertEqual(draft.state, "draft")

    def test_buyer_still_reviews_the_answer(self):
        action = self.requested_action()
        self.answer(action)
        self.env.flush_all()
        self.authenticate("qc_buyer", "qc_buyer_trust")
        _result, error = call_kw(
            self, "quality.complaint.action", "action_accept_supplier_answer", [[action.id]]
        )
        self.assertFalse(error, error)
        self.env.invalidate_all()
        self.assertEqual(action.supplier_state, "accepted")
        self.assertEqual(action.supplier_reviewed_by_id, self.buyer)
        self.assertIn(
            self.buyer.partner_id,
            action.message_ids.filtered(lambda m: "accepted" in (m.body or "")).author_id,
        )

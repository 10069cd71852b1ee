from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestActionDemo(TransactionCase):
    """The demo kettles' investigation has its containment, its supplier's corrective
    action and a preventive action verified effective."""

    def setUp(self):
        super().setUp()
        module = self.env["ir.module.module"].search([("name", "=", "quality_complaint_action")])
        if not module.demo:
            self.skipTest("quality_complaint_action is installed without demo data")

    def demo(self, name):
        """The demo record ``name`` of the base, the investigation or the remedies."""
        for module in ("quality_complaint", "quality_complaint_investigation"):
            record = self.env.ref(f"{module}.{name}", raise_if_not_found=False)
            if record:
                return record
        return self.env.ref(f"quality_complaint_remedy.{name}")

    def test_corrective_actions_story(self):
        investigation = self.demo("demo_investigation_kettle")
        actions = investigation.action_ids
        by_kind = {(a.kind, bool(a.partner_id)): a for a in actions}
        supplier = self.demo("demo_partner_supplier")
        lot = self.demo("demo_lot_kettle_a")
        containment = by_kind["containment", True]
        self.assertEqual(containment.state, "open")
        self.assertTrue(lot.qc_hold, "the quarantined lot ships to nobody")
        scar = by_kind["corrective", True]
        self.assertEqual(scar.partner_id, supplier)
        self.assertIn(self.demo("demo_po_kettle"), scar.purchase_order_ids)
        self.assertEqual(by_kind["preventive", False].state, "done", "its verification is due")
        training = self.env.ref("quality_complaint_action.demo_action_training")
        self.assertEqual(training.state, "effective")
        self.assertEqual(training.verification_ids.verdict, "effective")

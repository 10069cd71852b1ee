from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestSupplierDemo(TransactionCase):
    """The demo supplier is asked for its corrective action and sees only that request."""

    def setUp(self):
        super().setUp()
        module = self.env["ir.module.module"].search([("name", "=", "quality_complaint_purchase")])
        if not module.demo:
            self.skipTest("quality_complaint_purchase is installed without demo data")

    def test_supplier_request_story(self):
        supplier = self.env.ref("quality_complaint.demo_partner_supplier")
        contact = self.env.ref("quality_complaint_action.demo_partner_supplier_contact")
        scar = self.env.ref(
            "quality_complaint_investigation.demo_investigation_kettle"
        ).action_ids.filtered(lambda a: a.kind == "corrective" and a.partner_id)
        self.assertEqual((scar.partner_id, scar.supplier_state), (supplier, "requested"))
        self.assertEqual(scar.supplier_contact_id, contact)
        portal = self.env.ref("quality_complaint_purchase.demo_user_portal_supplier")
        self.assertEqual(
            self.env["quality.complaint.action"].with_user(portal).search([]),
            scar,
            "the supplier sees the request addressed to it, nothing else",
        )

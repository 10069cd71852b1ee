from odoo.tests import TransactionCase, tagged

DEMO_MODULES = ("quality_complaint", "quality_complaint_investigation", "quality_complaint_remedy")


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    """The demo database tells the story of the README: kettles of a bad lot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        module = cls.env["ir.module.module"].search([("name", "=", "quality_complaint")])
        cls.with_demo = module.demo

    def demo(self, name):
        """The demo record ``name`` of the base, the investigation or the remedies."""
        for module in DEMO_MODULES:
            record = self.env.ref(f"{module}.{name}", raise_if_not_found=False)
            if record:
                return record
        self.fail(f"demo record {name} is missing")

    def setUp(self):
        super().setUp()
        if not self.with_demo:
            self.skipTest("quality_complaint is installed without demo data")

    def delivered(self, order):
        """{(product, lot): quantity} delivered on ``order``."""
        result = {}
        deliveries = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        for line in deliveries.move_line_ids:
            key = (line.product_id, line.lot_id)
            result[key] = result.get(key, 0) + line.quantity
        return result

    def test_stock_story(self):
        kettle = self.demo("demo_product_kettle")
        washer = self.demo("demo_product_washer")
        chiller = self.demo("demo_product_chiller")
        lot_a, lot_b = self.demo("demo_lot_kettle_a"), self.demo("demo_lot_kettle_b")
        lot_washer, lot_chiller = self.demo("demo_lot_washer"), self.demo("demo_lot_chiller")
        self.assertEqual(lot_a.ref, "SZP-K-2611")
        supplier = self.demo("demo_partner_supplier")
        for name, product, received in (
            ("demo_po_kettle", kettle, {lot_a: 60, lot_b: 40}),
            ("demo_po_washer", washer, {lot_washer: 30}),
            ("demo_po_chiller", chiller, {lot_chiller: 4}),
        ):
            with self.subTest(purchase=name):
                order = self.demo(name)
                self.assertEqual((order.state, order.partner_id), ("purchase", supplier))
                self.assertEqual(order.picking_ids.mapped("state"), ["done"])
                self.assertEqual(
                    {ml.lot_id: ml.quantity for ml in order.picking_ids.move_line_ids},
                    received,
                )
                self.assertEqual(order.order_line.product_id, product)
                self.assertEqual(order.order_line.qty_received, sum(received.values()))
        for name, partner, delivered in (
            (
                "demo_so_harbor",
                "demo_partner_harbor",
                {(kettle, lot_a): 24, (washer, lot_washer): 6},
            ),
            ("demo_so_lena", "demo_partner_lena", {(kettle, lot_a): 1}),
            (
                "demo_so_northwind",
                "demo_partner_northwind",
                {(kettle, lot_b): 12, (chiller, lot_chiller): 1},
            ),
            ("demo_so_northwind_lot_a", "demo_partner_northwind", {(kettle, lot_a): 5}),
        ):
            with self.subTest(sale=name):
                order = self.demo(name)
                self.assertEqual((order.state, order.partner_id), ("sale", self.demo(partner)))
                deliveries = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
                self.assertEqual(deliveries.mapped("state"), ["done"])
                self.assertEqual(self.delivered(order), delivered)
        self.assertEqual(
            (lot_a.product_qty, lot_b.product_qty, lot_washer.product_qty),
            (30, 28, 24),
            "what is left in stock",
        )

    def test_remedies_story(self):
        """The urgent complaint's pick-up and compensation are under way with their
        documents; the stained lid's instructions were sent and its feedback is due."""
        breaker = self.demo("demo_complaint_breaker")
        by_action = {remedy.action: remedy for remedy in breaker.remedy_ids}
        self.assertEqual(set(by_action), {"return", "replacement", "credit_note", "gift"})
        pickup = by_action["return"]
        self.assertEqual(pickup.state, "in_progress")
        self.assertEqual(pickup.picking_id.partner_id, breaker.partner_id)
        self.assertEqual(pickup.picking_id.move_line_ids.lot_id, self.demo("demo_lot_kettle_a"))
        compensation = by_action["credit_note"]
        self.assertEqual(compensation.invoice_id.move_type, "out_refund")
        self.assertEqual(compensation.invoice_id.amount_untaxed, 500)
        self.assertEqual(breaker.stage_id.qc_step, "remedy")
        lid = self.demo("demo_complaint_lid_stain")
        self.assertEqual(lid.remedy_ids.state, "executed")
        self.assertEqual(lid.qc_feedback_state, "due")
        self.assertEqual(lid.qc_portal_status, "remedy", "asked once the result is sent")

    def test_complaints_story(self):
        breaker = self.demo("demo_complaint_breaker")
        leak = self.demo("demo_complaint_leak")
        for complaint in breaker | leak:
            with self.subTest(complaint=complaint.name):
                self.assertTrue(complaint.is_quality_complaint)
                self.assertEqual(complaint.complaint_state, "registered")
                self.assertEqual(complaint.evidence_count, 1)
                self.assertTrue(complaint.ack_sent_date)
                self.assertTrue(complaint.response_deadline)
        self.assertEqual(breaker.grade_id, self.env.ref("quality_complaint.grade_urgent"))
        self.assertEqual(leak.grade_id, self.env.ref("quality_complaint.grade_important"))
        for name in ("demo_complaint_washer_scratch", "demo_complaint_chiller"):
            with self.subTest(complaint=name):
                complaint = self.demo(name)
                self.assertTrue(complaint.is_quality_complaint)
                self.assertEqual(complaint.complaint_state, "draft", "details still missing")
        self.assertFalse(self.demo("demo_ticket_box_crushed").is_quality_complaint)

    def test_investigation_story(self):
        investigation = self.demo("demo_investigation_kettle")
        self.assertEqual(investigation.state, "approved", "analysed, approved, its actions running")
        self.assertEqual(
            investigation.ticket_ids,
            self.demo("demo_complaint_breaker") | self.demo("demo_complaint_leak"),
        )
        self.assertEqual(investigation.lot_ids, self.demo("demo_lot_kettle_a"))
        self.assertEqual(investigation.inspection_ids.ticket_id, self.demo("demo_complaint_leak"))
        self.assertEqual(len(investigation.inspection_ids.measurement_ids), 2)
        self.assertEqual(investigation.test_ids.result, "reproduced")
        self.assertEqual(len(investigation.why_ids), 4)
        self.assertEqual(
            set(investigation.fishbone_cause_ids.mapped("category")),
            {"man", "machine", "material", "method", "environment", "measurement"},
        )
        self.assertEqual(
            investigation.fishbone_cause_ids.filtered("is_root_cause").category, "material"
        )
        self.assertEqual(investigation.root_cause_category, "material")
        self.assertEqual(investigation.supplier_id, self.demo("demo_partner_supplier"))
        self.assertEqual(
            investigation.containment_ids.partner_id,
            self.demo("demo_partner_northwind"),
            "Northwind received kettles of the lot and has not complained",
        )

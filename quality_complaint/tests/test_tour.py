from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestIntakeTour(HttpCase):
    def test_customer_service_reports_a_complaint_from_a_sale_order(self):
        env = self.env
        new_test_user(
            env,
            login="tour_cs",
            name="Tour Service",
            email="tour.cs@example.com",
            groups="quality_complaint.group_complaint_user",
        )
        vendor = env["res.partner"].create({"name": "Tour Vendor"})
        customer = env["res.partner"].create({"name": "Tour Customer", "email": "tc@example.com"})
        kettle = env["product.product"].create(
            {"name": "Tour Kettle", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        flows = env["quality.complaint.flows"]
        flows.receive_lots(vendor, kettle, {"TOUR-LOT-1": 5})
        lot = env["stock.lot"].search([("name", "=", "TOUR-LOT-1")])
        order = flows.sell_and_deliver(customer, [(kettle, 3, lot, None)])

        self.start_tour(
            f"/odoo/action-sale.action_orders/{order.id}",
            "quality_complaint_intake_tour",
            login="tour_cs",
        )

        complaint = order.complaint_ids
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.complaint_state, "registered")
        self.assertEqual(complaint.lot_ids, lot)
        self.assertEqual(complaint.impact_level, "main_function")
        self.assertEqual(complaint.customer_request, "exchange")
        self.assertTrue(complaint.ack_sent_date)

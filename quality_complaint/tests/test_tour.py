from odoo.tests import HttpCase, tagged

from .common import tour_scene


@tagged("post_install", "-at_install")
class TestIntakeTour(HttpCase):
    def test_customer_service_reports_a_complaint_from_a_sale_order(self):
        env = self.env
        _user, _customer, _kettle, lot, order = tour_scene(
            env, "tour_cs", "quality_complaint.group_complaint_user", "TOUR-LOT-1"
        )

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
        self.assertTrue(complaint.qc_messages_due, "the acknowledgement is queued")
        complaint.env["helpdesk.ticket"]._cron_send_customer_messages()
        self.assertTrue(complaint.ack_sent_date)
        ack = complaint.message_ids.filtered(lambda m: "has been received" in (m.subject or ""))
        self.assertEqual(len(ack), 1, "the customer is acknowledged once")
        self.assertEqual(ack.author_id, complaint.registered_by_id.partner_id)

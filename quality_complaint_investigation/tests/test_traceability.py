from odoo.addons.quality_complaint.tests.common import (
    receive_lots,
    sell_and_deliver,
    set_move_lines,
    validate_picking,
)
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .test_investigation import InvestigationCase


@tagged("post_install", "-at_install")
class TestTraceability(InvestigationCase):
    """Lot K1-A: bought from the vendor (60), sold to Alice (10), Bob (5), Carol (7)."""

    def test_lot_traceability_matches_the_stock_moves(self):
        self.lot_a.ref = "VEND-LOT-77"
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()

        purchase = self.env["purchase.order"].search(
            [("partner_id", "=", self.vendor.id), ("order_line.product_id", "=", self.kettle.id)]
        )
        receipt = investigation.receipt_move_ids
        self.assertEqual(len(receipt), 1)
        self.assertEqual(receipt.kind, "receipt")
        self.assertEqual(receipt.partner_id, self.vendor)
        self.assertEqual(receipt.purchase_id, purchase)
        self.assertEqual(receipt.picking_id, purchase.picking_ids)
        self.assertEqual(receipt.quantity, 60)
        self.assertEqual(receipt.vendor_lot_ref, "VEND-LOT-77")
        self.assertEqual(receipt.date, purchase.picking_ids.date_done)
        self.assertEqual(receipt.location_dest_id, purchase.picking_ids.location_dest_id)

        done_lines = self.env["stock.move.line"].search(
            [("lot_id", "=", self.lot_a.id), ("state", "=", "done")]
        )
        self.assertEqual(set(investigation.trace_move_ids.ids), set(done_lines.ids))

        deliveries = investigation.delivery_move_ids
        self.assertEqual(
            {(d.partner_id, d.sale_id, d.picking_id, d.quantity) for d in deliveries},
            {
                (self.alice, self.order_alice, self.order_alice.picking_ids, 10),
                (self.bob, self.order_bob, self.order_bob.picking_ids, 5),
                (self.carol, self.order_carol, self.order_carol.picking_ids, 7),
            },
        )
        stock = self.env.ref("stock.stock_location_stock")
        self.assertEqual(deliveries.location_id, stock, "shipped from stock")
        self.assertEqual(set(deliveries.mapped("kind")), {"delivery"})
        self.assertFalse(any(deliveries.mapped("carrier_name")))

        # containment: every other customer of the lot, with the quantity they hold
        containment = investigation.containment_ids
        self.assertEqual(
            {(c.partner_id, c.quantity, c.sale_id) for c in containment},
            {(self.bob, 5, self.order_bob), (self.carol, 7, self.order_carol)},
        )
        self.assertEqual(investigation.containment_count, 2)

        # the lot itself shows all three customers and its movements
        self.assertEqual(
            {(c.partner_id, c.quantity) for c in self.lot_a.qc_customer_ids},
            {(self.alice, 10), (self.bob, 5), (self.carol, 7)},
        )
        self.assertEqual(self.lot_a.qc_move_ids, investigation.trace_move_ids)

    def test_a_complaining_customer_leaves_the_containment_list(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        self.Ticket.create(self.bob_complaint())._qc_open_or_join_investigation()
        self.assertEqual(investigation.containment_ids.partner_id, self.carol)

    def test_open_complaints_for_the_containment_list(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation().with_user(self.officer)
        action = investigation.action_open_containment_complaints()
        created = self.Ticket.search(action["domain"])
        self.assertEqual(created.partner_id, self.bob | self.carol)
        self.assertEqual(created.investigation_id, investigation)
        carol_ticket = created.filtered(lambda t: t.partner_id == self.carol)
        self.assertEqual(carol_ticket.sale_order_id, self.order_carol)
        self.assertEqual(carol_ticket.lot_ids, self.lot_a)
        self.assertEqual(carol_ticket.complaint_state, "draft")
        self.assertFalse(investigation.containment_ids, "all on the list have a complaint now")
        with self.assertRaises(UserError):
            investigation.action_open_containment_complaints()

    def test_a_customer_return_is_deducted(self):
        delivery = self.order_carol.picking_ids
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=delivery.ids, active_id=delivery.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 2
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        set_move_lines(returned.move_ids, [{"lot_id": self.lot_a.id, "quantity": 2}])
        validate_picking(returned)

        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        back = investigation.delivery_move_ids.filtered(lambda m: m.kind == "customer_return")
        self.assertEqual(
            (back.partner_id, back.picking_id, back.quantity), (self.carol, returned, 2)
        )
        carol = investigation.containment_ids.filtered(lambda c: c.partner_id == self.carol)
        self.assertEqual(carol.quantity, 5, "7 delivered, 2 returned")
        self.assertEqual(carol.picking_count, 2)

    def test_containment_over_several_lots_and_orders(self):
        order_b = sell_and_deliver(self.env, self.carol, [(self.kettle, 4, self.lot_b, None)])
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.lot_ids = self.lot_a | self.lot_b
        self.assertEqual(
            {(c.partner_id, c.lot_id, c.quantity) for c in investigation.containment_ids},
            {(self.bob, self.lot_a, 5), (self.carol, self.lot_a, 7), (self.carol, self.lot_b, 4)},
        )
        self.assertEqual(investigation.containment_count, 2)
        investigation.with_user(self.officer).action_open_containment_complaints()
        carol = investigation.ticket_ids.filtered(lambda t: t.partner_id == self.carol)
        self.assertEqual(carol.lot_ids, self.lot_a | self.lot_b)
        self.assertFalse(carol.sale_order_id, "two orders delivered the lots: none is forced")
        self.assertEqual(order_b.picking_ids.move_line_ids.lot_id, self.lot_b)

    def return_from_customer(self, order, lot, quantity):
        delivery = order.picking_ids
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=delivery.ids, active_id=delivery.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = quantity
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        set_move_lines(returned.move_ids, [{"lot_id": lot.id, "quantity": quantity}])
        validate_picking(returned)
        return returned

    def test_received_delivered_returned_and_on_hand_apart(self):
        receive_lots(self.env, self.vendor, self.kettle, {"K1-Q": 60})
        lot = self.env["stock.lot"].search([("name", "=", "K1-Q")])
        order = sell_and_deliver(self.env, self.carol, [(self.kettle, 15, lot, None)])
        self.return_from_customer(order, lot, 2)

        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.lot_ids = lot
        figures = investigation.with_user(self.cs_user).lot_balance_ids
        self.assertEqual(
            (
                figures.lot_id,
                figures.received_qty,
                figures.delivered_qty,
                figures.returned_qty,
                figures.on_hand_qty,
            ),
            (lot, 60, 15, 2, 47),
        )
        self.assertEqual(figures.uom_id, self.kettle.uom_id)
        self.assertEqual(lot.qc_balance_ids, figures)
        # the movement list itself is kept, without a total adding in and out
        self.assertEqual(len(investigation.trace_move_ids), 3)
        arch = self.env["quality.complaint.lot.move"].get_views([(False, "list")])["views"]["list"][
            "arch"
        ]
        self.assertNotIn("sum=", arch)

    def test_lot_figures_cost_the_same_for_one_or_three_lots(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()

        def read_figures(lots):
            investigation.lot_ids = lots
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            rows = investigation.lot_balance_ids
            rows.mapped("received_qty")
            rows.mapped("on_hand_qty")
            return self.env.cr.sql_log_count - before, rows

        read_figures(self.lot_b)  # warm the caches of the registry
        one, rows = read_figures(self.lot_a)
        self.assertEqual(len(rows), 1)
        investigation.lot_ids = self.lot_a | self.lot_b | self.lot_toaster
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(one):
            rows = investigation.lot_balance_ids
            self.assertEqual(
                {(r.lot_id, r.received_qty, r.delivered_qty, r.on_hand_qty) for r in rows},
                {
                    (self.lot_a, 60, 22, 38),
                    (self.lot_b, 40, 0, 40),
                    (self.lot_toaster, 10, 3, 7),
                },
            )

from datetime import date

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common import (
    QualityComplaintCase,
    receive_lots,
    set_move_lines,
    validate_picking,
)
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRemedyDelivery(QualityComplaintCase):
    """Pick-up, replacement and gift carried out by stock transfers, as customer
    service does it (Customer Service group: complaints + Inventory user)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pickup = cls.env.ref("quality_complaint_remedy.remedy_type_pickup")
        cls.replacement = cls.env.ref("quality_complaint_remedy.remedy_type_replacement")
        cls.gift = cls.env.ref("quality_complaint_remedy.remedy_type_gift")
        cls.warehouse = cls.order_alice.warehouse_id
        cls.inspection_area = cls.env["stock.location"].create(
            {
                "name": "Quality inspection",
                "usage": "internal",
                "location_id": cls.warehouse.view_location_id.id,
            }
        )
        cls.mug = cls.env["product.product"].create(
            {"name": "Thank-you mug", "type": "consu", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.mug, cls.warehouse.lot_stock_id, 5)
        cls.delivery_alice = cls.order_alice.picking_ids

    def registered_complaint(self, **overrides):
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .create(self.complaint_vals(**overrides))
        )
        self.env["ir.attachment"].create(
            {"name": "leak.jpg", "raw": b"jpg", "res_model": ticket._name, "res_id": ticket.id}
        )
        ticket.action_register_complaint()
        self.assertEqual(ticket.complaint_state, "registered")
        return ticket

    def remedy(self, ticket, kind, **vals):
        return (
            self.env["quality.complaint.remedy"]
            .with_user(self.cs_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "type_id": kind.id,
                    "name": kind.name,
                    "product_id": self.kettle.id,
                    **vals,
                }
            )
        )

    def investigate(self, ticket):
        ticket.with_user(self.officer).action_start_investigation()
        investigation = ticket.investigation_id
        self.assertIn(self.lot_a, investigation.lot_ids)
        self.assertEqual(investigation.state, "in_progress", "open")
        return investigation

    def hold(self, lots):
        """Lots on quality hold: a containment action opened by the quality officer."""
        action = (
            self.env["quality.complaint.action"]
            .with_user(self.officer)
            .create(
                {
                    "title": "Stop shipping lot B",
                    "kind": "containment",
                    "user_id": self.officer.id,
                    "date_deadline": fields.Date.add(fields.Date.today(), days=14),
                    "lot_ids": [Command.set(lots.ids)],
                }
            )
        )
        action.action_open()
        self.assertTrue(all(lots.mapped("qc_hold")))
        return action

    def qty_at(self, lot, location):
        quants = self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("location_id", "=", location.id)]
        )
        return sum(quants.mapped("quantity"))

    def pickings_of(self, ticket):
        return self.env["stock.picking"].search([("origin", "ilike", ticket.number)])

    # ------------------------------------------------------------ pick-up
    def test_pickup_returns_the_delivered_lot_to_the_inspection_location(self):
        # the quality manager says where returned goods are inspected
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.qc_return_location_id = self.inspection_area
        settings.save().execute()
        self.assertEqual(self.company.qc_return_location_id, self.inspection_area)
        ticket = self.registered_complaint()
        pickup = self.remedy(ticket, self.pickup, quantity=2)
        replacement = self.remedy(ticket, self.replacement, quantity=2)

        action = pickup.action_execute()
        back = pickup.picking_id
        self.assertEqual(action["res_model"], "stock.picking")
        self.assertEqual(action["res_id"], back.id, "the return opens for the user")
        self.assertEqual(back.return_id, self.delivery_alice, "a return of Alice's delivery")
        self.assertEqual(back.picking_type_code, "incoming")
        self.assertEqual(back.partner_id, self.alice)
        self.assertEqual(back.location_dest_id, self.inspection_area)
        self.assertEqual(back.move_ids.origin_returned_move_id, self.delivery_alice.move_ids)
        self.assertEqual(back.move_line_ids.lot_id, self.lot_a, "the lot she received")
        self.assertEqual(sum(back.move_line_ids.mapped("quantity")), 2)
        self.assertIn(ticket.number, back.origin)
        self.assertEqual(pickup.state, "in_progress", "executed only once the goods are back")
        self.assertEqual(pickup.document_ref, back.name)
        self.assertIn("being arranged", pickup.customer_info)
        self.assertEqual(ticket.qc_picking_count, 1)
        self.assertEqual(
            ticket.with_user(self.cs_user).action_view_remedy_pickings()["res_id"], back.id
        )

        validate_picking(back.with_user(self.cs_user))
        self.assertEqual(pickup.state, "executed")
        self.assertEqual(pickup.executed_by_id, self.cs_user)
        self.assertIn("Collected on", pickup.customer_info)
        self.assertEqual(
            self.qty_at(self.lot_a, self.inspection_area),
            2,
            "the units wait for quality in the inspection area",
        )
        self.assertEqual(ticket.qc_remedy_state, "executing", "the replacement is still due")

        replacement.action_execute()
        validate_picking(replacement.picking_id.with_user(self.cs_user))
        self.assertEqual(ticket.qc_remedy_state, "executed", "the last remedy is executed")

    def test_returned_unit_becomes_the_investigation_inspection_subject(self):
        self.company.qc_return_location_id = False
        ticket = self.registered_complaint()
        investigation = self.investigate(ticket)
        pickup = self.remedy(ticket, self.pickup, quantity=1)
        pickup.action_execute()
        back = pickup.picking_id
        self.assertEqual(
            back.location_dest_id, self.warehouse.lot_stock_id, "no setting: the warehouse stock"
        )
        self.assertFalse(investigation.inspection_ids, "nothing to inspect before it is back")

        validate_picking(back.with_user(self.cs_user))
        inspection = investigation.inspection_ids
        self.assertEqual(len(inspection), 1)
        self.assertEqual(inspection.picking_id, back)
        self.assertEqual(inspection.lot_ids, self.lot_a)
        self.assertEqual(inspection.ticket_id, ticket)
        self.assertEqual(inspection.inspector_id, investigation.user_id)
        self.assertFalse(inspection.defect_features, "the inspector writes the findings")
        todo = investigation.activity_ids.filtered(lambda a: "returned units" in a.summary)
        self.assertEqual(todo.user_id, investigation.user_id)
        self.assertIn(back.name, todo.note)

    def test_pickup_without_delivered_order_is_refused(self):
        ticket = self.registered_complaint(sale_order_id=False, purchase_date=date(2026, 1, 5))
        pickup = self.remedy(ticket, self.pickup, quantity=1)
        count = self.env["stock.picking"].search_count([])
        with self.assertRaises(UserError) as err:
            pickup.action_execute()
        self.assertIn("no delivered sale order", str(err.exception))
        self.assertEqual(pickup.state, "planned", "nothing changed")
        self.assertFalse(pickup.picking_id)
        self.assertEqual(self.env["stock.picking"].search_count([]), count)

    def test_pickup_of_more_than_was_delivered_is_refused(self):
        ticket = self.registered_complaint()
        pickup = self.remedy(ticket, self.pickup, quantity=11)
        with self.assertRaises(UserError) as err:
            pickup.action_execute()
        self.assertIn("only 10", str(err.exception))
        self.assertEqual(pickup.state, "planned")
        self.assertFalse(self.delivery_alice.return_ids)

    # ------------------------------------------------------------ replacement and gift
    def test_replacement_ships_free_to_the_customer_from_a_lot_not_investigated(self):
        ticket = self.registered_complaint()
        self.investigate(ticket)
        replacement = self.remedy(ticket, self.replacement, quantity=2)
        with freeze_time("2026-12-02 10:00:00"):
            replacement.action_execute()
            ship = replacement.picking_id
            self.assertEqual(ship.picking_type_id, self.warehouse.out_type_id)
            self.assertEqual(ship.partner_id, self.order_alice.partner_shipping_id)
            self.assertEqual(ship.location_dest_id.usage, "customer")
            self.assertEqual(ship.origin, ticket.number)
            self.assertIn("Free of charge", str(ship.note))
            self.assertFalse(ship.move_ids.sale_line_id, "not from a sale order: never invoiced")
            self.assertEqual(ship.state, "assigned", "reserved")
            self.assertEqual(
                ship.move_line_ids.lot_id, self.lot_b, "lot A is under investigation: lot B"
            )
            self.assertIn("being prepared", replacement.customer_info)
            validate_picking(ship.with_user(self.cs_user))
        self.assertEqual(replacement.state, "executed")
        self.assertIn("Shipped on 12/02/2026", replacement.customer_info)
        self.assertIn(ship.name, replacement.customer_info)
        self.assertEqual(ticket.qc_remedy_state, "executed")
        self.assertEqual(self.order_alice.order_line.qty_delivered, 10, "the order is untouched")
        self.assertNotIn(ship, self.order_alice.picking_ids)

    def test_replacement_skips_lots_held_and_under_investigation_together(self):
        """Lot A under investigation, lot B on hold: the replacement takes lot C."""
        receive_lots(self.env, self.vendor, self.kettle, {"K1-C": 5})
        lot_c = self.env["stock.lot"].search([("name", "=", "K1-C")])
        ticket = self.registered_complaint()
        self.investigate(ticket)
        self.hold(self.lot_b)
        replacement = self.remedy(ticket, self.replacement, quantity=2)
        replacement.action_execute()
        ship = replacement.picking_id
        self.assertEqual(ship.move_line_ids.lot_id, lot_c, "neither A nor B: the free lot C")
        self.assertEqual(ship.state, "assigned")
        validate_picking(ship.with_user(self.cs_user))
        self.assertEqual(replacement.state, "executed")
        self.assertEqual(self.qty_at(lot_c, self.warehouse.lot_stock_id), 3)

    def test_replacement_with_no_free_lot_says_so(self):
        ticket = self.registered_complaint()
        investigation = self.investigate(ticket)
        action = self.hold(self.lot_b)
        replacement = self.remedy(ticket, self.replacement, quantity=2)
        replacement.action_execute()
        ship = replacement.picking_id
        self.assertFalse(ship.move_line_ids, "nothing reserved from lot A nor lot B")
        self.assertNotEqual(ship.state, "assigned")
        for record in (ship, replacement):
            note = record.message_ids.filtered(lambda m: "Not shipped" in (m.body or ""))
            self.assertEqual(len(note), 1, record._name)
            for expected in (
                "no lot that may be shipped to the customer is available for 2",
                f"K1-A under investigation ({investigation.name})",
                f"K1-B on quality hold (containment {action.name})",
            ):
                self.assertIn(expected, note.body)

    def test_replacement_from_a_held_lot_is_refused_at_execution(self):
        action = self.hold(self.lot_b)
        ticket = self.registered_complaint()
        replacement = self.remedy(ticket, self.replacement, quantity=1, lot_ids=self.lot_b.ids)
        with self.assertRaises(UserError) as err:
            replacement.action_execute()
        self.assertIn("K1-B is on quality hold", str(err.exception))
        self.assertIn(action.name, str(err.exception))
        self.assertEqual(replacement.state, "planned", "nothing changed")
        self.assertFalse(self.pickings_of(ticket))

    def test_replacement_from_a_lot_under_investigation_is_refused_at_execution(self):
        ticket = self.registered_complaint()
        investigation = self.investigate(ticket)
        replacement = self.remedy(ticket, self.replacement, quantity=1, lot_ids=self.lot_a.ids)
        with self.assertRaises(UserError) as err:
            replacement.action_execute()
        self.assertIn("K1-A", str(err.exception))
        self.assertIn(investigation.name, str(err.exception))
        self.assertEqual(replacement.state, "planned", "nothing changed")
        self.assertFalse(replacement.picking_id)
        self.assertFalse(self.pickings_of(ticket))

    def test_validating_a_replacement_of_a_lot_under_investigation_is_refused(self):
        ticket = self.registered_complaint()
        replacement = self.remedy(ticket, self.replacement, quantity=2, lot_ids=self.lot_b.ids)
        replacement.action_execute()
        ship = replacement.picking_id
        self.assertEqual(ship.move_line_ids.lot_id, self.lot_b, "the remedy's lot is reserved")
        investigation = self.investigate(ticket)
        # the warehouse takes the units from lot A instead
        set_move_lines(ship.move_ids, [{"lot_id": self.lot_a.id, "quantity": 2}])
        with self.assertRaises(UserError) as err:
            ship.with_user(self.cs_user).with_context(skip_backorder=True).button_validate()
        self.assertIn("K1-A", str(err.exception))
        self.assertIn(investigation.name, str(err.exception))
        self.assertNotEqual(ship.state, "done", "nothing changed")
        self.assertEqual(replacement.state, "in_progress")
        self.assertEqual(self.qty_at(self.lot_a, self.warehouse.lot_stock_id), 45)

    def test_gift_needs_its_product_then_ships_it(self):
        ticket = self.registered_complaint()
        gift = self.remedy(ticket, self.gift, product_id=False, quantity=1)
        with self.assertRaises(UserError) as err:
            gift.action_execute()
        self.assertIn("choose the gift's product", str(err.exception))
        self.assertEqual(gift.state, "planned")
        gift.product_id = self.mug
        gift.action_execute()
        self.assertEqual(gift.picking_id.move_ids.product_id, self.mug)
        self.assertEqual(gift.picking_id.partner_id, self.alice)
        validate_picking(gift.picking_id.with_user(self.cs_user))
        self.assertEqual(gift.state, "executed")

    # ------------------------------------------------------------ bad input
    def test_executing_twice_is_refused(self):
        ticket = self.registered_complaint()
        replacement = self.remedy(ticket, self.replacement, quantity=1)
        replacement.action_execute()
        ship = replacement.picking_id
        with self.assertRaises(UserError) as err:
            replacement.action_execute()
        self.assertIn("cannot be executed again", str(err.exception))
        self.assertEqual(replacement.picking_id, ship)
        self.assertEqual(self.pickings_of(ticket), ship, "one shipment")
        validate_picking(ship.with_user(self.cs_user))
        with self.assertRaises(UserError) as err:
            replacement.action_execute()
        self.assertIn("cannot be executed again", str(err.exception))
        self.assertEqual(self.pickings_of(ticket), ship)

    def test_zero_quantity_is_refused(self):
        ticket = self.registered_complaint()
        for kind in (self.pickup, self.replacement):
            remedy = self.remedy(ticket, kind, quantity=0)
            with self.assertRaises(UserError) as err:
                remedy.action_execute()
            self.assertIn("positive quantity", str(err.exception))
            self.assertEqual(remedy.state, "planned")
            self.assertFalse(remedy.picking_id)
        self.assertFalse(self.pickings_of(ticket))
        self.assertFalse(self.delivery_alice.return_ids)

    def test_a_second_pickup_of_the_delivery_leaves_the_first_one_reserved(self):
        """Two complaints about one delivery: the second pick-up does not take the
        lot the first one collects off its transfer (Odoo's return wizard would
        un-reserve every earlier return of the delivery)."""
        first = self.remedy(self.registered_complaint(), self.pickup, quantity=1)
        first.action_execute()
        lines = first.picking_id.move_line_ids
        self.assertEqual(lines.lot_id, self.lot_a)
        second = self.remedy(
            self.registered_complaint(name="Another leak"), self.pickup, quantity=1
        )
        second.action_execute()
        self.assertTrue(lines.exists(), "the first pick-up keeps its lines")
        self.assertEqual(first.picking_id.state, "assigned")
        self.assertEqual(first.picking_id.move_line_ids.lot_id, self.lot_a)
        self.assertEqual(second.picking_id.move_line_ids.lot_id, self.lot_a)

    # ------------------------------------------------------------ partial and cancelled
    def test_partial_pickup_is_executed_with_its_backorder(self):
        ticket = self.registered_complaint()
        pickup = self.remedy(ticket, self.pickup, quantity=2)
        pickup.action_execute()
        back = pickup.picking_id
        set_move_lines(back.move_ids, [{"lot_id": self.lot_a.id, "quantity": 1}])
        validate_picking(back.with_user(self.cs_user))
        rest = back.backorder_ids
        self.assertEqual(len(rest), 1, "one unit still to collect")
        self.assertEqual(pickup.state, "in_progress")
        validate_picking(rest.with_user(self.cs_user))
        self.assertEqual(pickup.state, "executed")
        self.assertEqual(pickup.document_ref, f"{back.name}, {rest.name}")

    def test_cancelling_the_remedy_cancels_its_transfer(self):
        ticket = self.registered_complaint()
        replacement = self.remedy(ticket, self.replacement, quantity=1)
        replacement.action_execute()
        replacement.action_cancel()
        self.assertEqual(replacement.state, "cancelled")
        self.assertEqual(replacement.picking_id.state, "cancel")
        self.assertNotIn("executed again", str(replacement.message_ids.mapped("body")))

    def test_transfer_cancelled_in_inventory_sends_the_remedy_back_to_execution(self):
        """The warehouse cancels the shipment: customer service executes the
        remedy again, which prepares a new one; the old one stays in the chatter."""
        stock_user = new_test_user(
            self.env, login="qc_stock_user", name="Sam Stock", groups="stock.group_stock_user"
        )
        ticket = self.registered_complaint()
        replacement = self.remedy(ticket, self.replacement, quantity=1)
        replacement.action_execute()
        ship = replacement.picking_id
        ship.with_user(stock_user).action_cancel()
        self.assertEqual(ship.state, "cancel")
        self.assertEqual(replacement.state, "approved")
        self.assertFalse(replacement.picking_id)
        note = f"{ship.name} was cancelled: {replacement.name} is to be executed again."
        self.assertIn(note, str(replacement.message_ids.mapped("body")))
        self.assertIn(note, str(ticket.message_ids.mapped("body")))
        replacement.action_execute()
        self.assertEqual(replacement.state, "in_progress")
        self.assertTrue(replacement.picking_id)
        self.assertNotEqual(replacement.picking_id, ship, "a new shipment")
        self.assertEqual(replacement.picking_id.state, "assigned")

    def test_backorder_cancelled_after_a_partial_pickup_leaves_the_remedy(self):
        ticket = self.registered_complaint()
        pickup = self.remedy(ticket, self.pickup, quantity=2)
        pickup.action_execute()
        back = pickup.picking_id
        set_move_lines(back.move_ids, [{"lot_id": self.lot_a.id, "quantity": 1}])
        validate_picking(back.with_user(self.cs_user))
        back.backorder_ids.action_cancel()
        self.assertEqual(pickup.state, "in_progress", "partly collected: left as it is")
        self.assertEqual(pickup.picking_id, back)

"""A lot on quality hold stays in the warehouse whatever the document (docs/process.md §4):
not only a delivery, but Relocate on the quants, a done line edited, any move that
takes it to a customer or into transit. Moves inside the warehouse and scrapping
go on; after the release, everything does."""

from odoo import Command
from odoo.addons.quality_complaint.tests.common import (
    sell_and_deliver,
    set_move_lines,
    validate_picking,
)
from odoo.addons.quality_complaint.tests.common_rpc import call_kw_message
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common_action import CorrectiveActionCase


class LotHoldCase(CorrectiveActionCase):
    """Lot K1-A is held by a containment; Stan, a stock manager, moves the stock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_quality_manager_id = cls.manager
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.customers = cls.env.ref("stock.stock_location_customers")
        cls.quarantine = cls.env["stock.location"].create(
            {
                "name": "Quarantine",
                "usage": "internal",
                "location_id": cls.warehouse.view_location_id.id,
            }
        )
        cls.stock_manager = new_test_user(
            cls.env,
            login="qc_stock_manager",
            name="Stan Stock",
            groups="stock.group_stock_manager",
        )

    def hold(self, lots):
        return self.open_action(
            kind="containment",
            title="Stop shipping the leaking kettles",
            lot_ids=[Command.set(lots.ids)],
        )

    def quants(self, lot, location):
        return self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("location_id", "=", location.id), ("quantity", ">", 0)]
        )

    def qty(self, lot, location):
        return sum(self.quants(lot, location).mapped("quantity"))

    def relocate(self, lot, destination, user=None):
        quants = self.quants(lot, self.stock)
        wizard = (
            self.env["stock.quant.relocate"]
            .with_user(user or self.stock_manager)
            .create({"quant_ids": [Command.set(quants.ids)], "dest_location_id": destination.id})
        )
        return wizard.action_relocate_quants()

    def assert_refusal(self, message, lot, action, verb):
        for expected in (
            f"Lot {lot.name}",
            action.name,
            verb,
            "Only a quality manager (Mia Manager) can release them",
        ):
            self.assertIn(expected, message)


@tagged("post_install", "-at_install")
class TestLotHoldMoves(LotHoldCase):
    def test_relocate_to_customers_is_refused_until_released(self):
        action = self.hold(self.lot_a)
        with self.assertRaises(UserError) as refusal:
            self.relocate(self.lot_a, self.customers)
        self.assert_refusal(str(refusal.exception), self.lot_a, action, "shipped to a customer")
        self.assertIn(f"({self.customers.display_name})", str(refusal.exception))
        self.assertEqual(self.qty(self.lot_a, self.stock), 45, "nothing left the warehouse")
        self.assertEqual(self.qty(self.lot_a, self.customers), 15, "Alice's 10 and Bob's 5")
        # Lot B, not held, is relocated.
        self.relocate(self.lot_b, self.customers)
        self.assertEqual(self.qty(self.lot_b, self.customers), 40)
        # Released, lot A is relocated too.
        self.lot_a.with_user(self.manager).action_qc_release_hold()
        self.relocate(self.lot_a, self.customers)
        self.assertEqual(self.qty(self.lot_a, self.stock), 0)
        self.assertEqual(self.qty(self.lot_a, self.customers), 60)

    def test_held_lot_is_relocated_inside_the_warehouse_and_scrapped(self):
        self.hold(self.lot_a)
        self.relocate(self.lot_a, self.quarantine)
        self.assertEqual(self.qty(self.lot_a, self.quarantine), 45, "to quarantine: allowed")
        scrap = (
            self.env["stock.scrap"]
            .with_user(self.stock_manager)
            .create(
                {
                    "product_id": self.kettle.id,
                    "lot_id": self.lot_a.id,
                    "scrap_qty": 5,
                    "location_id": self.quarantine.id,
                }
            )
        )
        scrap.action_validate()
        self.assertEqual(scrap.state, "done", "scrapping a held lot is allowed")
        self.assertEqual(self.qty(self.lot_a, self.quarantine), 40)
        self.assertTrue(self.lot_a.qc_hold)

    def test_held_lot_is_not_sent_into_transit(self):
        action = self.hold(self.lot_a)
        transit = self.env["stock.location"].create(
            {
                "name": "On the road",
                "usage": "transit",
                "location_id": self.warehouse.view_location_id.id,
            }
        )
        with self.assertRaises(UserError) as refusal:
            self.relocate(self.lot_a, transit)
        self.assert_refusal(str(refusal.exception), self.lot_a, action, "sent into transit")
        self.assertEqual(self.qty(self.lot_a, self.stock), 45)

    def test_done_delivery_edited_to_a_held_lot_is_refused(self):
        self.hold(self.lot_a)
        order = sell_and_deliver(self.env, self.bob, [(self.kettle, 3, self.lot_b, None)])
        line = order.picking_ids.move_line_ids
        self.assertEqual(line.state, "done")
        with self.assertRaises(UserError) as refusal:
            line.with_user(self.stock_manager).write({"lot_id": self.lot_a.id})
        self.assertIn("Lot K1-A", str(refusal.exception))
        self.assertEqual(line.lot_id, self.lot_b)
        self.assertEqual(self.qty(self.lot_a, self.stock), 45)
        # A line of the held lot added to the done delivery is refused as well.
        with self.assertRaises(UserError):
            self.env["stock.move.line"].with_user(self.stock_manager).create(
                {
                    "move_id": line.move_id.id,
                    "picking_id": line.picking_id.id,
                    "product_id": self.kettle.id,
                    "lot_id": self.lot_a.id,
                    "quantity": 1,
                    "location_id": self.stock.id,
                    "location_dest_id": self.customers.id,
                }
            )
        self.assertEqual(self.qty(self.lot_a, self.stock), 45)
        # Giving back some of an already shipped lot now on hold is no shipment.
        self.hold(self.lot_b)
        line.with_user(self.stock_manager).write({"quantity": 2})
        self.assertEqual(self.qty(self.lot_b, self.stock), 38)

    def test_delivery_names_the_lot_and_the_document(self):
        action = self.hold(self.lot_a)
        order = sell_and_deliver(
            self.env, self.bob, [(self.kettle, 2, self.lot_a, None)], deliver=False
        )
        picking = order.picking_ids
        set_move_lines(picking.move_ids, [{"lot_id": self.lot_a.id, "quantity": 2}])
        with self.assertRaises(UserError) as refusal:
            validate_picking(picking.with_user(self.stock_manager))
        message = str(refusal.exception)
        self.assertIn(f"{picking.name} cannot be done", message)
        self.assert_refusal(message, self.lot_a, action, "shipped to a customer")
        self.assertNotEqual(picking.state, "done")


@tagged("post_install", "-at_install")
class TestLotHoldOverRpc(HttpCase, LotHoldCase):
    """Stan relocates stock over JSON-RPC, as the web client's Relocate does."""

    def call_kw(self, model, method, args, kwargs=None):
        """(result, error message) of a JSON-RPC call, as the web client makes it."""
        return call_kw_message(self, model, method, args, kwargs)

    def relocate_over_rpc(self, lot, destination):
        quants = self.quants(lot, self.stock)
        wizard_id, error = self.call_kw(
            "stock.quant.relocate",
            "create",
            [{"quant_ids": [Command.set(quants.ids)], "dest_location_id": destination.id}],
        )
        self.assertFalse(error)
        return self.call_kw("stock.quant.relocate", "action_relocate_quants", [[wizard_id]])

    def test_stock_manager_cannot_relocate_a_held_lot_to_customers(self):
        action = self.hold(self.lot_a)
        self.authenticate(self.stock_manager.login, self.stock_manager.login)
        _result, error = self.relocate_over_rpc(self.lot_a, self.customers)
        self.assert_refusal(error or "", self.lot_a, action, "shipped to a customer")
        self.env.invalidate_all()
        self.assertEqual(self.qty(self.lot_a, self.stock), 45, "nothing left the warehouse")
        self.assertEqual(self.qty(self.lot_a, self.customers), 15, "what was sold before")
        # to quarantine, inside the warehouse: allowed
        _result, error = self.relocate_over_rpc(self.lot_a, self.quarantine)
        self.assertFalse(error)
        self.env.invalidate_all()
        self.assertEqual(self.qty(self.lot_a, self.quarantine), 45)

"""Containment (docs/process.md §4): the lots of an open containment action are on quality hold;
no delivery to a customer ships them until a quality manager releases them."""

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common import (
    other_company_user,
    sell_and_deliver,
    set_move_lines,
    validate_picking,
)
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_action import CorrectiveActionCase

NOW = "2026-03-02 09:00:00"
LATER = "2026-03-05 14:30:00"


@tagged("post_install", "-at_install")
@freeze_time(NOW)
class TestActionContainment(CorrectiveActionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_quality_manager_id = cls.manager
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )

    # ------------------------------------------------------------ helpers
    def containment(self, lots, **vals):
        """A containment action on ``lots``, opened by the quality officer."""
        values = {
            "kind": "containment",
            "title": "Stop shipping the leaking kettles",
            "lot_ids": [Command.set(lots.ids)],
            **vals,
        }
        return self.open_action(**values)

    def delivery(self, lot, qty=3):
        """A confirmed delivery to Bob whose kettles are taken from ``lot``."""
        order = sell_and_deliver(self.env, self.bob, [(self.kettle, qty, lot, None)], deliver=False)
        picking = order.picking_ids
        set_move_lines(picking.move_ids, [{"lot_id": lot.id, "quantity": qty}])
        return picking

    def transfer(self, picking_type, source, destination, lot, qty):
        """A transfer of ``qty`` kettles of ``lot``, ready to validate."""
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": source.id,
                "location_dest_id": destination.id,
                "move_ids": [
                    Command.create(
                        {
                            "product_id": self.kettle.id,
                            "product_uom_qty": qty,
                            "product_uom": self.kettle.uom_id.id,
                            "location_id": source.id,
                            "location_dest_id": destination.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        set_move_lines(picking.move_ids, [{"lot_id": lot.id, "quantity": qty}])
        return picking

    def flush_tracking(self):
        self.env.flush_all()
        self.env.cr.precommit.run()

    def notes(self, lot, text):
        return lot.message_ids.filtered(lambda m: text in (m.body or ""))

    def tracked(self, lot, field):
        return lot.message_ids.sudo().tracking_value_ids.filtered(
            lambda t: t.field_id.name == field
        )

    # ------------------------------------------------------------ tests
    def test_opening_a_containment_holds_its_lots(self):
        action = self.new_action(kind="containment", lot_ids=[Command.set(self.lot_a.ids)])
        self.assertFalse(self.lot_a.qc_hold, "a draft holds nothing")
        action.action_open()
        self.assertTrue(self.lot_a.qc_hold)
        self.assertFalse(self.lot_b.qc_hold)
        self.assertEqual(self.lot_a.qc_hold_date, fields.Datetime.now())
        self.assertEqual(self.lot_a.qc_hold_reason, f"containment {action.name}")
        self.assertEqual(action.held_lot_ids, self.lot_a)
        self.assertEqual(self.lot_a.qc_hold_action_ids, action)
        note = self.notes(self.lot_a, f"containment {action.name}")
        self.assertEqual(note.author_id, self.officer.partner_id, "the lot's chatter says who")
        self.flush_tracking()
        self.assertEqual(
            self.tracked(self.lot_a, "qc_hold").mail_message_id.author_id, self.officer.partner_id
        )
        lots = self.env["stock.lot"].search(
            [("qc_hold", "=", True), ("product_id", "in", (self.kettle | self.toaster).ids)]
        )
        self.assertEqual(lots, self.lot_a, "the 'On quality hold' filter finds it")
        # A lot added to the open containment is held at once.
        action.write({"lot_ids": [Command.link(self.lot_b.id)]})
        self.assertTrue(self.lot_b.qc_hold)
        self.assertTrue(self.notes(self.lot_b, action.name))
        # Done does not release.
        action.action_done()
        self.assertEqual(action.state, "done")
        self.assertTrue(self.lot_a.qc_hold and self.lot_b.qc_hold)

    def test_delivery_of_a_held_lot_is_refused(self):
        action = self.containment(self.lot_a)
        picking = self.delivery(self.lot_a)
        with self.assertRaisesRegex(UserError, "cannot be done") as refusal:
            validate_picking(picking.with_user(self.cs_user))
        message = str(refusal.exception)
        for expected in ("K1-A", action.name, "quality manager (Mia Manager)"):
            self.assertIn(expected, message)
        self.assertNotEqual(picking.state, "done", "nothing shipped")
        self.assertEqual(self.lot_a.product_qty, 45, "the stock of the lot is untouched")
        # Another lot ships.
        set_move_lines(picking.move_ids, [{"lot_id": self.lot_b.id, "quantity": 3}])
        validate_picking(picking.with_user(self.cs_user))
        self.assertEqual(picking.state, "done")

    def test_held_lot_moves_inside_and_comes_back(self):
        self.containment(self.lot_a)
        quarantine = self.env["stock.location"].create(
            {
                "name": "Quarantine",
                "usage": "internal",
                "location_id": self.warehouse.view_location_id.id,
            }
        )
        stock = self.warehouse.lot_stock_id
        internal = self.transfer(self.warehouse.int_type_id, stock, quarantine, self.lot_a, 5)
        validate_picking(internal.with_user(self.cs_user))
        self.assertEqual(
            self.env["stock.quant"]._get_available_quantity(self.kettle, quarantine, self.lot_a), 5
        )
        customers = self.env.ref("stock.stock_location_customers")
        returned = self.transfer(self.warehouse.in_type_id, customers, quarantine, self.lot_a, 2)
        validate_picking(returned.with_user(self.cs_user))
        self.assertEqual(returned.state, "done", "a held lot may come back from customers")
        self.assertTrue(self.lot_a.qc_hold)

    def test_only_a_quality_manager_releases(self):
        action = self.containment(self.lot_a)
        self.flush_tracking()  # the hold and the release are two transactions
        officer_lot = self.lot_a.with_user(self.officer)
        with self.assertRaisesRegex(AccessError, "Only a quality manager.*ask Mia Manager"):
            officer_lot.action_qc_release_hold()
        with self.assertRaisesRegex(AccessError, "Only a quality manager"):
            action.with_user(self.officer).action_qca_release_lots()
        for vals in (
            {"qc_hold": False},
            {"qc_hold_released_by_id": self.officer.id},
            {"qc_hold_action_ids": [Command.clear()]},
        ):
            with self.assertRaisesRegex(AccessError, "cannot be set directly"):
                officer_lot.write(vals)
        with self.assertRaisesRegex(AccessError, "cannot be set directly"):
            self.env["stock.lot"].with_user(self.officer).create(
                {"name": "K1-Z", "product_id": self.kettle.id, "qc_hold": True}
            )
        self.lot_a.invalidate_recordset()
        self.assertTrue(self.lot_a.qc_hold, "nothing changed")
        self.assertEqual(self.lot_a.qc_hold_action_ids, action)
        self.assertFalse(self.lot_a.qc_hold_released_by_id)
        # The manager releases it; the release is on the lot's record.
        with freeze_time(LATER):
            self.lot_a.with_user(self.manager).action_qc_release_hold()
        self.assertFalse(self.lot_a.qc_hold)
        self.assertEqual(self.lot_a.qc_hold_released_by_id, self.manager)
        self.assertEqual(self.lot_a.qc_hold_released_date, fields.Datetime.to_datetime(LATER))
        self.assertFalse(action.held_lot_ids)
        self.assertEqual(action.released_lot_ids, self.lot_a)
        note = self.notes(self.lot_a, "Quality hold released by Mia Manager.")
        self.assertEqual(note.author_id, self.manager.partner_id)
        self.flush_tracking()
        self.assertEqual(
            self.tracked(self.lot_a, "qc_hold_released_by_id").mail_message_id.author_id,
            self.manager.partner_id,
        )
        # Editing the open action does not put the released lot back on hold.
        action.write({"lot_ids": [Command.link(self.lot_b.id)]})
        self.assertFalse(self.lot_a.qc_hold)
        self.assertTrue(self.lot_b.qc_hold)
        picking = self.delivery(self.lot_a)
        validate_picking(picking.with_user(self.cs_user))
        self.assertEqual(picking.state, "done")

    def test_release_lots_of_one_containment(self):
        first = self.containment(self.lot_a | self.lot_b)
        second = self.containment(self.lot_a, title="Sort the gaskets of K1-A")
        self.assertEqual(self.lot_a.qc_hold_action_ids, first | second)
        first.with_user(self.manager).action_qca_release_lots()
        self.assertFalse(self.lot_b.qc_hold)
        self.assertTrue(self.lot_a.qc_hold, "the other containment still holds it")
        self.assertEqual(self.lot_a.qc_hold_reason, f"containment {second.name}")
        self.assertTrue(self.notes(self.lot_a, "stays on quality hold"))
        self.assertFalse(first.held_lot_ids)
        self.assertEqual(second.held_lot_ids, self.lot_a)

    def test_corrective_action_holds_nothing(self):
        action = self.open_action(lot_ids=[Command.set(self.lot_a.ids)])
        self.assertEqual(action.kind, "corrective")
        self.assertFalse(self.lot_a.qc_hold)
        self.assertFalse(action.held_lot_ids)
        picking = self.delivery(self.lot_a)
        validate_picking(picking.with_user(self.cs_user))
        self.assertEqual(picking.state, "done")

    def test_cancelled_containment(self):
        # Cancelled by the officer: the hold stays, the quality manager is told.
        action = self.containment(self.lot_a)
        action.action_cancel()
        self.assertEqual(action.state, "cancelled")
        self.assertTrue(self.lot_a.qc_hold)
        self.assertEqual(self.lot_a.qc_hold_reason, f"containment {action.name} (cancelled)")
        note = self.notes(self.lot_a, "was cancelled by Oscar Officer")
        self.assertIn(self.manager.partner_id, note.partner_ids)
        with self.assertRaisesRegex(UserError, "holds lots on quality hold"):
            action.with_user(self.manager).unlink()
        action.with_user(self.manager).action_qca_release_lots()
        self.assertFalse(self.lot_a.qc_hold)
        self.assertEqual(self.lot_a.qc_hold_released_by_id, self.manager)
        # Cancelled by a quality manager: released, unless another containment holds it.
        first = self.containment(self.lot_a | self.lot_b)
        second = self.containment(self.lot_b, title="Sort K1-B")
        first.with_user(self.manager).action_cancel()
        self.assertFalse(self.lot_a.qc_hold)
        self.assertTrue(self.notes(self.lot_a, f"Containment {first.name} was cancelled."))
        self.assertTrue(self.lot_b.qc_hold, "still held by the other containment")
        self.assertEqual(self.lot_b.qc_hold_action_ids, second)

    def test_reservation_takes_lots_not_on_hold(self):
        picking = self.order_undelivered.picking_ids
        picking.do_unreserve()
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_a, "lot A comes first")
        self.containment(self.lot_a)
        picking.do_unreserve()
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, self.lot_b)
        self.assertEqual(picking.state, "assigned")

    def test_other_company(self):
        action = self.containment(self.lot_a)
        other_manager, other = other_company_user(
            self.env, "qc_other_manager", "quality_complaint.group_complaint_manager"
        )
        with self.assertRaisesRegex(AccessError, "only a quality manager of that company"):
            self.lot_a.with_user(other_manager).action_qc_release_hold()
        self.assertTrue(self.lot_a.qc_hold)
        self.assertEqual(self.lot_a.qc_hold_action_ids, action)
        # A containment holds the lots of its own company only.
        gadget = self.env["product.product"].create(
            {
                "name": "Other gadget",
                "is_storable": True,
                "tracking": "lot",
                "company_id": other.id,
            }
        )
        other_lot = self.env["stock.lot"].create(
            {"name": "G-1", "product_id": gadget.id, "company_id": other.id}
        )
        with self.assertRaises(UserError):
            self.containment(other_lot)
        self.assertFalse(other_lot.qc_hold)

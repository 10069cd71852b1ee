from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common import receive_lots, set_move_lines
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_production import ProductionCase


@tagged("post_install", "-at_install")
class TestLotHoldProduction(ProductionCase):
    """Rubber lot R-1 is put on quality hold: it is not made into gaskets that would
    ship freely; lot R-2, bought later, is."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_quality_manager_id = cls.manager
        receive_lots(cls.env, cls.vendor, cls.rubber, {"R-2": 10})
        cls.lot_rubber_2 = cls.env["stock.lot"].search([("name", "=", "R-2")])
        cls.stock = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company.id)], limit=1)
            .lot_stock_id
        )

    def hold(self, lots):
        action = (
            self.env["quality.complaint.action"]
            .with_user(self.officer)
            .create(
                {
                    "title": "Quarantine the rubber compound",
                    "kind": "containment",
                    "user_id": self.officer.id,
                    "date_deadline": fields.Date.add(fields.Date.today(), days=14),
                    "lot_ids": [Command.set(lots.ids)],
                }
            )
        )
        action.action_open()
        return action

    def qty(self, lot):
        """On hand in stock (reserved or not)."""
        quants = self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("location_id", "=", self.stock.id)]
        )
        return sum(quants.mapped("quantity"))

    def gasket_order(self, qty=2):
        mo = (
            self.env["mrp.production"]
            .with_user(self.operator)
            .create({"product_id": self.gasket.id, "product_qty": qty})
        )
        mo.action_confirm()
        mo.action_assign()
        return mo

    def prepare_done(self, mo, lot, name):
        """The operator records the produced lot ``name`` and takes the rubber from
        ``lot``."""
        mo.lot_producing_ids = self.env["stock.lot"].create(
            {"name": name, "product_id": self.gasket.id}
        )
        mo.qty_producing = mo.product_qty
        mo.set_qty_producing()
        raw = mo.move_raw_ids
        set_move_lines(raw, [{"lot_id": lot.id, "quantity": raw.product_uom_qty}])

    def test_held_component_lot_is_not_consumed(self):
        action = self.hold(self.lot_rubber)
        self.assertEqual(self.qty(self.lot_rubber), 30)
        mo = self.gasket_order()
        self.assertEqual(
            mo.move_raw_ids.move_line_ids.lot_id,
            self.lot_rubber_2,
            "the reservation leaves the held lot R-1 (received first) for R-2",
        )
        # The operator takes R-1 anyway: the order is not done.
        self.prepare_done(mo, self.lot_rubber, "G-2")
        with self.assertRaises(UserError) as refusal:
            mo.with_user(self.operator).button_mark_done()
        message = str(refusal.exception)
        for expected in (
            f"{mo.name} cannot be done",
            "Lot R-1 (Rubber compound), consumed in production",
            action.name,
            "Only a quality manager (Mia Manager) can release them",
        ):
            self.assertIn(expected, message)
        self.assertNotEqual(mo.state, "done")
        self.assertEqual(self.qty(self.lot_rubber), 30, "nothing consumed")
        # With the free lot R-2, the gaskets are made.
        set_move_lines(mo.move_raw_ids, [{"lot_id": self.lot_rubber_2.id, "quantity": 4}])
        mo.with_user(self.operator).button_mark_done()
        self.assertEqual(mo.state, "done")
        self.assertEqual(self.qty(self.lot_rubber_2), 6)

    def test_released_component_lot_is_consumed(self):
        self.hold(self.lot_rubber)
        self.lot_rubber.with_user(self.manager).action_qc_release_hold()
        mo = self.gasket_order()
        self.assertEqual(
            mo.move_raw_ids.move_line_ids.lot_id, self.lot_rubber, "first in, first out"
        )
        self.prepare_done(mo, self.lot_rubber, "G-3")
        mo.with_user(self.operator).button_mark_done()
        self.assertEqual(mo.state, "done")
        self.assertEqual(self.qty(self.lot_rubber), 26)

    def test_held_finished_lot_is_not_unbuilt(self):
        action = self.hold(self.lot_kettle)
        unbuild = self.env["mrp.unbuild"].create(
            {
                "product_id": self.kettle_made.id,
                "product_qty": 1,
                "mo_id": self.mo_kettle.id,
                "lot_id": self.lot_kettle.id,
            }
        )
        with self.assertRaises(UserError) as refusal:
            unbuild.action_unbuild()
        self.assertIn("Lot KM-1", str(refusal.exception))
        self.assertIn(action.name, str(refusal.exception))
        self.assertNotEqual(unbuild.state, "done")
        self.assertEqual(self.qty(self.lot_kettle), 5)

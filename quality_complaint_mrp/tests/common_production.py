from odoo import Command
from odoo.addons.quality_complaint.tests.common import (
    QualityComplaintCase,
    receive_lots,
    sell_and_deliver,
)
from odoo.tests import new_test_user


class ProductionCase(QualityComplaintCase):
    """Rubber lot R-1 is bought and made into gasket lot G-1 (MO 1); gasket G-1 and
    heating element H-1 are assembled into kettle lot KM-1 on the assembly line
    (MO 2), which is sold to a customer who complains."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.operator = new_test_user(
            env, login="qc_operator", name="Olga Operator", groups="mrp.group_mrp_user"
        )
        Product = env["product.product"]
        tracked = {"type": "consu", "is_storable": True, "tracking": "lot"}
        cls.rubber = Product.create({"name": "Rubber compound", **tracked})
        cls.element = Product.create({"name": "Heating element", **tracked})
        cls.gasket = Product.create({"name": "Base gasket", **tracked})
        cls.kettle_made = Product.create({"name": "Kettle K2 (made)", **tracked})
        receive_lots(env, cls.vendor, cls.rubber, {"R-1": 50})
        cls.element_vendor = env["res.partner"].create({"name": "Element Works"})
        receive_lots(env, cls.element_vendor, cls.element, {"H-1": 20})
        Lot = env["stock.lot"]
        cls.lot_rubber = Lot.search([("name", "=", "R-1")])
        cls.lot_element = Lot.search([("name", "=", "H-1")])
        cls.press = env["mrp.workcenter"].create({"name": "Gasket press"})
        cls.line = env["mrp.workcenter"].create({"name": "Assembly line 2"})
        Bom = env["mrp.bom"]
        Bom.create(
            {
                "product_tmpl_id": cls.gasket.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [Command.create({"product_id": cls.rubber.id, "product_qty": 2})],
                "operation_ids": [Command.create({"name": "Press", "workcenter_id": cls.press.id})],
            }
        )
        Bom.create(
            {
                "product_tmpl_id": cls.kettle_made.product_tmpl_id.id,
                "product_qty": 1,
                "bom_line_ids": [
                    Command.create({"product_id": cls.gasket.id, "product_qty": 1}),
                    Command.create({"product_id": cls.element.id, "product_qty": 1}),
                ],
                "operation_ids": [
                    Command.create({"name": "Assemble", "workcenter_id": cls.line.id})
                ],
            }
        )
        cls.mo_gasket, cls.lot_gasket = cls.produce(cls.gasket, 10, "G-1")
        cls.mo_kettle, cls.lot_kettle = cls.produce(
            cls.kettle_made, 8, "KM-1", operator=cls.operator
        )
        cls.order = sell_and_deliver(env, cls.alice, [(cls.kettle_made, 3, cls.lot_kettle, None)])

    @classmethod
    def produce(cls, product, qty, lot_name, operator=None):
        mo = cls.env["mrp.production"].create(
            {"product_id": product.id, "product_qty": qty, "user_id": cls.manager.id}
        )
        mo.action_confirm()
        mo.action_assign()
        if operator:
            mo.workorder_ids.with_user(operator).button_start()
        lot = cls.env["stock.lot"].create({"name": lot_name, "product_id": product.id})
        mo.lot_producing_ids = lot
        mo.qty_producing = qty
        mo.set_qty_producing()
        mo.move_raw_ids.picked = True
        mo.button_mark_done()
        assert mo.state == "done", mo.state
        return mo, lot

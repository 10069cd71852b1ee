from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common_production import ProductionCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestActionProposalProduction(ProductionCase):
    """Proposed actions of the made kettle lot KM-1 name the orders and work centres
    that made it; a material cause reaches the supplier of the rubber lot R-1."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.planner = new_test_user(
            cls.env,
            login="qc_planner",
            name="Paul Planner",
            groups="quality_complaint.group_complaint_officer,mrp.group_mrp_user",
        )

    def approved(self, category, **vals):
        ticket = self.env["helpdesk.ticket"].create(
            self.complaint_vals(
                sale_order_id=self.order.id,
                product_id=self.kettle_made.id,
                lot_ids=[Command.set(self.lot_kettle.ids)],
                affected_qty=1,
            )
        )
        investigation = ticket._qc_open_or_join_investigation()
        investigation.write(
            {
                "why_ids": [Command.create({"why": "Why does it leak?", "because": "Bad seal"})],
                "root_cause_summary": "The seal is bad.",
                "root_cause_category": category,
                **vals,
            }
        )
        investigation.action_mark_analysed()
        investigation.action_approve()
        return investigation

    def test_shop_floor_causes_name_the_orders_and_work_centres(self):
        investigation = self.approved(
            "man",
            fishbone_cause_ids=[
                Command.create(
                    {"category": "machine", "description": "Press worn", "is_root_cause": True}
                )
            ],
        )
        # a quality officer who is no manufacturing user proposes them
        investigation.with_user(self.officer).action_propose_actions()
        actions = investigation.action_ids.sudo()
        self.assertEqual(
            set(actions.mapped("title")),
            {
                "Train the line operators on the work instruction",
                "Repair and re-qualify the equipment",
            },
        )
        for action in actions:
            self.assertEqual(action.workcenter_ids, self.line | self.press)
            self.assertEqual(action.production_ids, self.mo_kettle | self.mo_gasket)
            self.assertEqual(action.lot_ids, self.lot_kettle)

    def test_material_cause_reaches_the_component_supplier(self):
        investigation = self.approved("material", supplier_id=self.vendor.id)
        investigation.with_user(self.officer).action_propose_actions()
        actions = investigation.action_ids.sudo()
        scar = actions.filtered(lambda a: a.kind == "corrective")
        rubber_order = (
            self.env["quality.complaint.lot.move"]
            .search([("lot_id", "=", self.lot_rubber.id), ("kind", "=", "receipt")])
            .purchase_id
        )
        self.assertEqual(scar.partner_id, self.vendor)
        # the rubber lot came from Kettle Parts; the heating element from another vendor
        self.assertEqual(scar.lot_ids, self.lot_kettle | self.lot_rubber)
        self.assertEqual(scar.purchase_order_ids, rubber_order)
        self.assertEqual(rubber_order.partner_id, self.vendor)
        self.assertEqual(scar.product_ids, self.kettle_made | self.rubber)
        self.assertFalse(scar.workcenter_ids, "a material cause is not about the work centres")

    def test_scope_shows_work_centres_to_manufacturing_users(self):
        def scope_fields(user):
            arch = (
                self.env["quality.complaint.action"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            doc = etree.fromstring(arch)
            return [f.get("name") for f in doc.xpath("//page[@name='scope']//field")]

        self.assertIn("workcenter_ids", scope_fields(self.planner))
        self.assertIn("production_ids", scope_fields(self.planner))
        self.assertNotIn("workcenter_ids", scope_fields(self.officer))
        investigation = self.approved("machine")
        investigation.with_user(self.planner).action_propose_actions()
        action = investigation.action_ids.with_user(self.planner)
        self.assertEqual(
            set(action.workcenter_ids.mapped("name")), {"Assembly line 2", "Gasket press"}
        )

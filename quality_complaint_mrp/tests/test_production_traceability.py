from lxml import etree

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common_production import ProductionCase


@tagged("post_install", "-at_install")
class TestProductionTraceability(ProductionCase):
    def test_production_of_the_complained_lot(self):
        ticket = self.env["helpdesk.ticket"].create(
            self.complaint_vals(
                sale_order_id=self.order.id,
                product_id=self.kettle_made.id,
                lot_ids=[Command.set(self.lot_kettle.ids)],
                affected_qty=1,
            )
        )
        investigation = ticket._qc_open_or_join_investigation()
        rows = investigation.with_user(self.cs_user).production_trace_ids

        self.assertEqual(
            set(rows.mapped("production_ref")), {self.mo_kettle.name, self.mo_gasket.name}
        )
        self.assertEqual(set(rows.mapped("workcenter_names")), {"Assembly line 2", "Gasket press"})
        rows = rows.sudo()
        level1 = rows.filtered(lambda r: r.level == 1)
        self.assertEqual(level1.production_id, self.mo_kettle)
        self.assertEqual(level1.user_id, self.manager)
        self.assertEqual(set(level1.mapped("workcenter_names")), {"Assembly line 2"})
        # who logged time on the work order (the operator who started it among them)
        self.assertIn("Olga Operator", level1[0].operator_names)
        self.assertEqual(
            {(r.component_product_id, r.component_lot_id, r.component_qty) for r in level1},
            {(self.gasket, self.lot_gasket, 8), (self.element, self.lot_element, 8)},
        )
        element_row = level1.filtered(lambda r: r.component_lot_id == self.lot_element)
        self.assertEqual(element_row.component_vendor_id, self.element_vendor)

        # one level down: how the gasket lot was made
        level2 = rows.filtered(lambda r: r.level == 2)
        self.assertEqual(level2.production_id, self.mo_gasket)
        self.assertEqual(level2.workcenter_names, "Gasket press")
        self.assertEqual(
            (level2.component_product_id, level2.component_lot_id, level2.component_qty),
            (self.rubber, self.lot_rubber, 20),
        )
        self.assertEqual(level2.component_vendor_id, self.vendor)
        self.assertEqual(rows, self.lot_kettle.qc_production_ids)

        # the raw-material lot matches the stock moves of the gasket order
        consumed = self.mo_gasket.move_raw_ids.move_line_ids
        self.assertEqual(consumed.lot_id, self.lot_rubber)
        self.assertEqual(sum(consumed.mapped("quantity")), 20)

    def test_purchased_lots_have_no_production(self):
        self.assertFalse(self.lot_a.qc_production_ids)
        self.assertEqual(self.lot_gasket.qc_production_ids.production_id, self.mo_gasket)

    def section_condition(self, model, group_name):
        arch = self.env[model].with_user(self.cs_user).get_views([(False, "form")])
        doc = etree.fromstring(arch["views"]["form"]["arch"])
        [group] = doc.xpath(f"//group[@name='{group_name}']")
        return group.get("invisible")

    def test_production_section_hidden_for_a_bought_product(self):
        self.assertEqual(
            self.section_condition("quality.complaint.investigation", "trace_production"),
            "not qc_show_production",
        )
        self.assertEqual(self.section_condition("stock.lot", "qc_production"), "not qc_is_made")
        lots = (self.lot_a | self.lot_kettle | self.lot_gasket | self.lot_rubber).with_user(
            self.cs_user
        )
        self.assertEqual(
            {lot.name: lot.qc_is_made for lot in lots},
            {"K1-A": False, "KM-1": True, "G-1": True, "R-1": False},
        )
        bought = self.env["helpdesk.ticket"].create(self.complaint_vals())
        investigation = bought._qc_open_or_join_investigation().with_user(self.cs_user)
        self.assertFalse(investigation.qc_show_production, "bought, not made")
        made = self.env["helpdesk.ticket"].create(
            self.complaint_vals(
                sale_order_id=self.order.id,
                product_id=self.kettle_made.id,
                lot_ids=[Command.set(self.lot_kettle.ids)],
                affected_qty=1,
            )
        )
        investigation = made._qc_open_or_join_investigation().with_user(self.cs_user)
        self.assertTrue(investigation.qc_show_production)

    # ------------------------------------------------------------ cost and ids
    def read_production_tab(self, lot):
        """What the lot form's production tab reads, as a complaint user."""
        self.env.invalidate_all()
        spec = {
            "qc_production_ids": {
                "fields": {
                    "level": {},
                    "production_ref": {},
                    "product_id": {"fields": {"display_name": {}}},
                    "workcenter_names": {},
                    "operator_names": {},
                    "user_id": {"fields": {"display_name": {}}},
                    "component_product_id": {"fields": {"display_name": {}}},
                    "component_lot_id": {"fields": {"display_name": {}}},
                    "component_vendor_id": {"fields": {"display_name": {}}},
                    "component_qty": {},
                }
            }
        }
        return lot.with_user(self.cs_user).web_read(spec)[0]["qc_production_ids"]

    def plan_rows(self, query):
        """Rows the database visits to run ``query`` the way it would on a large
        database (index lookups and nested loops rather than scans of small tables)."""
        cr = self.env.cr
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin", "enable_material"):
            cr.execute(SQL("SET LOCAL %s = off", SQL.identifier(setting)))
            self.addCleanup(cr.execute, SQL("RESET %s", SQL.identifier(setting)))
        cr.execute(SQL("EXPLAIN (ANALYZE, FORMAT JSON) %s", query.select()))
        [[[plan]]] = cr.fetchall()

        def visited(node):
            own = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
            own += node.get("Rows Removed by Index Recheck", 0)
            return own * node["Actual Loops"] + sum(map(visited, node.get("Plans", ())))

        return visited(plan["Plan"])

    def test_cost_follows_the_lot_not_the_database(self):
        Production = self.env["quality.complaint.lot.production"]
        self.env.flush_all()
        by_lot = Production._search([("lot_id", "=", self.lot_kettle.id)])
        ids = Production.search([("lot_id", "=", self.lot_kettle.id)]).ids
        by_ids = Production._search([("id", "in", ids)])
        before = (self.plan_rows(by_lot), self.plan_rows(by_ids))
        self.read_production_tab(self.lot_kettle)  # caches of the user's access rights
        # one bound before and after more orders: the queries do not depend on them
        with self.assertQueryCount(24):
            tab = self.read_production_tab(self.lot_kettle)
        self.assertEqual(len(tab), 3)

        # more gasket lots made from the same rubber: other lots' trees
        for name in ("G-2", "G-3", "G-4"):
            self.produce(self.gasket, 2, name)
        self.env.flush_all()

        self.assertEqual(before, (self.plan_rows(by_lot), self.plan_rows(by_ids)))
        with self.assertQueryCount(24):
            self.assertEqual(self.read_production_tab(self.lot_kettle), tab)
        # the rows of the kettle lot kept their ids
        self.assertEqual(Production.search([("lot_id", "=", self.lot_kettle.id)]).ids, ids)
        self.assertEqual(len(self.lot_gasket.qc_production_ids), 1)

    def test_rows_read_by_id(self):
        rows = self.lot_kettle.qc_production_ids
        self.assertEqual(len(set(rows.ids)), 3)
        self.env.invalidate_all()
        Production = self.env["quality.complaint.lot.production"].with_user(self.cs_user)
        same = Production.browse(rows.ids)
        self.assertEqual(same.lot_id, self.lot_kettle)
        self.assertEqual(set(same.mapped("level")), {1, 2})
        self.assertEqual(Production.search([("id", "=", rows[0].id)]), same[0])
        self.assertEqual(Production.search_count([("id", "in", rows.ids)]), 3)
        # the gasket lot's own tree: the same order, on level 1, other ids
        gasket_row = self.lot_gasket.qc_production_ids
        self.assertEqual(gasket_row.level, 1)
        self.assertEqual(gasket_row.production_id, self.mo_gasket)
        self.assertNotIn(gasket_row.id, rows.ids)

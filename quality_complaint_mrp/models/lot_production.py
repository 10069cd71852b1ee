from collections.abc import Collection

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL

# A row's id is its root lot's id shifted left by ROW_BITS plus its row number in
# that lot's tree: stable while the lot's own production does not change, and
# the lot of any id is known without reading anything.
ROW_BITS = 20


class QualityComplaintLotProduction(models.Model):
    """How a lot was made: its manufacturing orders and the component lots consumed.

    Level 1 is the order that produced the lot and what it consumed; a component
    lot that was itself manufactured adds its own order on the next level, and so
    on down the bill of materials. Computed by SQL from the done stock moves.

    The recursion runs once per lot asked for (a LATERAL subquery on the lot), so
    a condition on ``lot_id`` reaches it and the cost follows the lot's own tree,
    not the number of manufacturing orders in the database; every step is an
    index lookup (LATERAL joins keep the planner from scanning a whole table). Conditions on ``id``
    (reads, access checks) carry the lot they imply, see :meth:`_search`.
    """

    _name = "quality.complaint.lot.production"
    _description = "Lot traceability: production"
    _auto = False
    _order = "lot_id, level, id"
    _depends = {
        "stock.move.line": ["lot_id", "move_id", "state", "quantity_product_uom"],
        "stock.move": ["production_id", "raw_material_production_id", "state", "product_id"],
        "mrp.production": [
            "lot_producing_ids",
            "name",
            "company_id",
            "product_id",
            "user_id",
            "date_finished",
        ],
    }
    _table_query = SQL(
        """
        SELECT (root.id::bigint << %(row_bits)s) + t.seq AS id,
               root.id AS lot_id,
               t.level, t.production_id, t.production_ref, t.company_id, t.product_id,
               t.user_id, t.date_finished, t.component_lot_id, t.component_product_id,
               t.component_qty
          FROM stock_lot root
    CROSS JOIN LATERAL (
            WITH RECURSIVE tree(production_id, level, path) AS (
                -- the orders of the lot's own done finished move lines
                SELECT sm.production_id, 1, ARRAY[sm.production_id]
                  FROM stock_move_line sml
                  JOIN stock_move sm ON sm.id = sml.move_id
                 WHERE sml.lot_id = root.id
                   AND sml.state = 'done'
                   AND sm.production_id IS NOT NULL
                 UNION
                -- a component lot's orders: those producing it (not its whole history,
                -- a raw material lot may feed thousands of orders), that made it indeed
                SELECT made.production_id, tree.level + 1, tree.path || made.production_id
                  FROM tree
            CROSS JOIN LATERAL (
                    SELECT made.mrp_production_id AS production_id
                      FROM stock_move cm
                      JOIN stock_move_line cml ON cml.move_id = cm.id
                      JOIN mrp_production_stock_lot_rel made
                           ON made.stock_lot_id = cml.lot_id
                     WHERE cm.raw_material_production_id = tree.production_id
                       AND cm.state = 'done'
                       AND EXISTS (%(lot_made_by_order)s)
                ) made
                 WHERE tree.level < 10
                   AND NOT made.production_id = ANY(tree.path)
            )
            SELECT ROW_NUMBER() OVER (ORDER BY tree.level, tree.path, cml.id) AS seq,
                   tree.level AS level,
                   tree.production_id AS production_id,
                   mp.name AS production_ref,
                   mp.company_id AS company_id,
                   mp.product_id AS product_id,
                   mp.user_id AS user_id,
                   mp.date_finished AS date_finished,
                   cml.lot_id AS component_lot_id,
                   cml.product_id AS component_product_id,
                   cml.quantity_product_uom AS component_qty
              FROM tree
              JOIN mrp_production mp ON mp.id = tree.production_id
         LEFT JOIN LATERAL (
                SELECT cm.product_id, cml.lot_id, cml.quantity_product_uom, cml.id
                  FROM stock_move cm
             LEFT JOIN stock_move_line cml ON cml.move_id = cm.id AND cml.state = 'done'
                 WHERE cm.raw_material_production_id = tree.production_id
                   AND cm.state = 'done'
            ) cml ON TRUE
        ) t
         WHERE t.seq < %(row_limit)s
        """,
        # an order "made" a lot when one of its done finished move lines holds it
        lot_made_by_order=SQL(
            """
            SELECT 1 FROM stock_move fm
              JOIN stock_move_line fml ON fml.move_id = fm.id
             WHERE fm.production_id = made.mrp_production_id
               AND fml.lot_id = made.stock_lot_id
               AND fml.state = 'done'
            """
        ),
        row_bits=ROW_BITS,
        row_limit=1 << ROW_BITS,
    )

    lot_id = fields.Many2one("stock.lot", string="Lot / serial", readonly=True)
    level = fields.Integer(
        readonly=True, help="1: the order that made the lot; 2: one level down..."
    )
    production_id = fields.Many2one(
        "mrp.production",
        string="Manufacturing order",
        readonly=True,
        groups="mrp.group_mrp_user",
    )
    production_ref = fields.Char(string="Manufacturing order ref.", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", string="Produced", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    date_finished = fields.Datetime(string="Produced on", readonly=True)
    component_lot_id = fields.Many2one("stock.lot", string="Component lot", readonly=True)
    component_product_id = fields.Many2one("product.product", string="Component", readonly=True)
    component_qty = fields.Float(string="Consumed", digits="Product Unit", readonly=True)
    component_uom_id = fields.Many2one(related="component_product_id.uom_id", string="Unit")
    workcenter_names = fields.Char(string="Work centres", compute="_compute_production_info")
    operator_names = fields.Char(
        string="Operators",
        compute="_compute_production_info",
        help="Who logged time on the work orders.",
    )
    component_vendor_id = fields.Many2one(
        "res.partner",
        string="Component vendor",
        compute="_compute_component_vendor",
        help="Vendor the component lot was received from.",
    )

    @api.model
    def _search(self, domain, *args, **kwargs):
        # Reading rows by id (fetch, access rules) gets the lots they belong to as
        # a condition too, so that only those lots' trees are computed.
        return super()._search(
            Domain(domain).map_conditions(self._with_lot_of_ids), *args, **kwargs
        )

    @api.model
    def _with_lot_of_ids(self, condition):
        if condition.field_expr != "id" or condition.operator not in ("in", "="):
            return condition
        ids = condition.value
        ids = [ids] if isinstance(ids, int) else ids
        if not isinstance(ids, Collection) or not all(isinstance(id_, int) for id_ in ids):
            return condition  # a subquery or new records: nothing to add
        lot_ids = sorted({id_ >> ROW_BITS for id_ in ids})
        return condition & Domain("lot_id", "in", lot_ids)

    @api.depends("production_ref")
    def _compute_production_info(self):
        # Shown to quality and customer service, who need not be manufacturing users.
        rows = self.sudo()
        productions = rows.production_id
        logs = (
            self.env["mrp.workcenter.productivity"]
            .sudo()
            .search([("workorder_id.production_id", "in", productions.ids)])
        )
        for row in rows:
            workorders = row.production_id.workorder_ids
            row.workcenter_names = ", ".join(workorders.workcenter_id.mapped("name")) or False
            users = logs.filtered(
                lambda log, p=row.production_id: log.workorder_id.production_id == p
            )
            row.operator_names = ", ".join(users.user_id.mapped("name")) or False

    @api.depends("component_lot_id")
    def _compute_component_vendor(self):
        receipts = self.env["quality.complaint.lot.move"].search(
            [("lot_id", "in", self.component_lot_id.ids), ("kind", "=", "receipt")]
        )
        vendor_of = {move.lot_id.id: move.partner_id for move in receipts}
        for row in self:
            row.component_vendor_id = vendor_of.get(row.component_lot_id.id, False)

from odoo import api, fields, models
from odoo.tools import SQL


class QualityComplaintLotProduction(models.Model):
    """How a lot was made: its manufacturing orders and the component lots consumed.

    Level 1 is the order that produced the lot and what it consumed; a component
    lot that was itself manufactured adds its own order on the next level, and so
    on down the bill of materials. Computed by SQL from the done stock moves.
    """

    _name = "quality.complaint.lot.production"
    _description = "Lot traceability: production"
    _auto = False
    _order = "lot_id, level, id"
    _depends = {
        "stock.move.line": ["lot_id", "move_id", "state", "product_id", "quantity_product_uom"],
        "stock.move": ["production_id", "raw_material_production_id", "state"],
        "mrp.production": ["name", "company_id", "product_id", "user_id", "date_finished"],
    }
    _table_query = SQL(
        """
        WITH RECURSIVE produced AS (
            SELECT DISTINCT sml.lot_id, sm.production_id
              FROM stock_move_line sml
              JOIN stock_move sm ON sm.id = sml.move_id
             WHERE sml.state = 'done'
               AND sml.lot_id IS NOT NULL
               AND sm.production_id IS NOT NULL
        ), tree(root_lot_id, production_id, level, path) AS (
            SELECT lot_id, production_id, 1, ARRAY[production_id] FROM produced
             UNION ALL
            SELECT tree.root_lot_id, produced.production_id, tree.level + 1,
                   tree.path || produced.production_id
              FROM tree
              JOIN stock_move cm ON cm.raw_material_production_id = tree.production_id
                                AND cm.state = 'done'
              JOIN stock_move_line cml ON cml.move_id = cm.id AND cml.lot_id IS NOT NULL
              JOIN produced ON produced.lot_id = cml.lot_id
             WHERE tree.level < 10
               AND NOT produced.production_id = ANY(tree.path)
        )
        SELECT ROW_NUMBER() OVER (
                   ORDER BY tree.root_lot_id, tree.level, tree.production_id, cml.id
               ) AS id,
               tree.root_lot_id AS lot_id,
               tree.level AS level,
               tree.production_id AS production_id,
               mp.name AS production_ref,
               mp.company_id AS company_id,
               mp.product_id AS product_id,
               mp.user_id AS user_id,
               mp.date_finished AS date_finished,
               cml.lot_id AS component_lot_id,
               cm.product_id AS component_product_id,
               cml.quantity_product_uom AS component_qty
          FROM tree
          JOIN mrp_production mp ON mp.id = tree.production_id
     LEFT JOIN stock_move cm ON cm.raw_material_production_id = tree.production_id
                            AND cm.state = 'done'
     LEFT JOIN stock_move_line cml ON cml.move_id = cm.id AND cml.state = 'done'
        """
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

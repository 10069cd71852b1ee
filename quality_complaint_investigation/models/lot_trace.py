"""Lot traceability read models, computed by SQL from the done stock move lines.

They hold no data of their own (``_table_query``): installing, updating or
uninstalling the module leaves nothing behind in the database.
"""

from odoo import api, fields, models
from odoo.tools import SQL

MOVE_KINDS = [
    ("receipt", "Receipt from vendor"),
    ("vendor_return", "Return to vendor"),
    ("delivery", "Delivery to customer"),
    ("customer_return", "Return from customer"),
    ("production", "Produced"),
    ("consumption", "Consumed in production"),
    ("adjustment", "Inventory adjustment"),
    ("internal", "Internal transfer"),
]

_LINE_DEPENDS = {
    "stock.move.line": [
        "lot_id",
        "product_id",
        "company_id",
        "date",
        "move_id",
        "picking_id",
        "location_id",
        "location_dest_id",
        "quantity_product_uom",
        "state",
    ],
    "stock.move": ["purchase_line_id", "sale_line_id"],
    "stock.picking": ["partner_id"],
    "stock.location": ["usage"],
    "stock.lot": ["ref"],
    "res.partner": ["commercial_partner_id"],
    "purchase.order.line": ["order_id"],
    "purchase.order": ["name"],
    "sale.order.line": ["order_id"],
}


class QualityComplaintLotMove(models.Model):
    """One row per done move line of a lot: where the lot came from and went."""

    _name = "quality.complaint.lot.move"
    _description = "Lot traceability: movement"
    _auto = False
    _order = "date, id"
    _depends = _LINE_DEPENDS
    _table_query = SQL(
        """
        SELECT sml.id AS id,
               sml.lot_id AS lot_id,
               sml.product_id AS product_id,
               sml.company_id AS company_id,
               sml.date AS date,
               sml.move_id AS move_id,
               sml.picking_id AS picking_id,
               sml.location_id AS location_id,
               sml.location_dest_id AS location_dest_id,
               sml.quantity_product_uom AS quantity,
               COALESCE(partner.commercial_partner_id, partner.id) AS partner_id,
               pol.order_id AS purchase_id,
               po.name AS purchase_ref,
               sol.order_id AS sale_id,
               lot.ref AS vendor_lot_ref,
               CASE
                   WHEN src.usage = 'supplier' THEN 'receipt'
                   WHEN dest.usage = 'supplier' THEN 'vendor_return'
                   WHEN dest.usage = 'customer' THEN 'delivery'
                   WHEN src.usage = 'customer' THEN 'customer_return'
                   WHEN src.usage = 'production' THEN 'production'
                   WHEN dest.usage = 'production' THEN 'consumption'
                   WHEN src.usage = 'inventory' OR dest.usage = 'inventory' THEN 'adjustment'
                   ELSE 'internal'
               END AS kind
          FROM stock_move_line sml
          JOIN stock_lot lot ON lot.id = sml.lot_id
          JOIN stock_location src ON src.id = sml.location_id
          JOIN stock_location dest ON dest.id = sml.location_dest_id
     LEFT JOIN stock_move sm ON sm.id = sml.move_id
     LEFT JOIN stock_picking sp ON sp.id = sml.picking_id
     LEFT JOIN res_partner partner ON partner.id = sp.partner_id
     LEFT JOIN purchase_order_line pol ON pol.id = sm.purchase_line_id
     LEFT JOIN purchase_order po ON po.id = pol.order_id
     LEFT JOIN sale_order_line sol ON sol.id = sm.sale_line_id
         WHERE sml.state = 'done'
        """
    )

    lot_id = fields.Many2one("stock.lot", string="Lot / serial", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Datetime(readonly=True)
    move_id = fields.Many2one("stock.move", readonly=True)
    picking_id = fields.Many2one("stock.picking", string="Transfer", readonly=True)
    location_id = fields.Many2one("stock.location", string="From", readonly=True)
    location_dest_id = fields.Many2one("stock.location", string="To", readonly=True)
    quantity = fields.Float(digits="Product Unit", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    purchase_id = fields.Many2one(
        "purchase.order",
        string="Purchase order",
        readonly=True,
        groups="purchase.group_purchase_user",
    )
    purchase_ref = fields.Char(
        string="Purchase order ref.",
        readonly=True,
        help="Reference of the purchase order, for those who may not open it.",
    )
    sale_id = fields.Many2one("sale.order", string="Sale order", readonly=True)
    vendor_lot_ref = fields.Char(string="Vendor lot ref.", readonly=True)
    kind = fields.Selection(MOVE_KINDS, readonly=True)
    carrier_name = fields.Char(
        string="Carrier",
        compute="_compute_carrier_name",
        help="Carrier and tracking reference of the delivery (with the Delivery app).",
    )

    @api.depends("picking_id")
    def _compute_carrier_name(self):
        # The carrier comes with the optional stock_delivery module.
        has_carrier = "carrier_id" in self.env["stock.picking"]._fields
        for line in self:
            picking = line.picking_id
            if has_carrier and picking.carrier_id:
                ref = picking.carrier_tracking_ref
                name = picking.carrier_id.name
                line.carrier_name = f"{name} ({ref})" if ref else name
            else:
                line.carrier_name = False

    @api.depends("picking_id", "kind", "date")
    def _compute_display_name(self):
        kinds = dict(MOVE_KINDS)
        for line in self:
            line.display_name = f"{line.picking_id.name or line.move_id.reference or ''} " + (
                f"({kinds.get(line.kind, '')})"
            )


class QualityComplaintLotCustomer(models.Model):
    """Net quantity of each lot held by each customer: the containment list."""

    _name = "quality.complaint.lot.customer"
    _description = "Lot traceability: customer who received the lot"
    _auto = False
    _order = "quantity desc, id"
    _depends = _LINE_DEPENDS
    _table_query = SQL(
        """
        SELECT MIN(sml.id) AS id,
               sml.lot_id AS lot_id,
               sml.product_id AS product_id,
               sml.company_id AS company_id,
               COALESCE(partner.commercial_partner_id, partner.id) AS partner_id,
               SUM(CASE WHEN dest.usage = 'customer' THEN sml.quantity_product_uom
                        ELSE -sml.quantity_product_uom END) AS quantity,
               MIN(sml.date) FILTER (WHERE dest.usage = 'customer') AS first_date,
               MAX(sml.date) FILTER (WHERE dest.usage = 'customer') AS last_date,
               COUNT(DISTINCT sml.picking_id) AS picking_count,
               (ARRAY_AGG(sol.order_id ORDER BY sml.date DESC, sml.id DESC)
                    FILTER (WHERE sol.order_id IS NOT NULL))[1] AS sale_id
          FROM stock_move_line sml
          JOIN stock_location src ON src.id = sml.location_id
          JOIN stock_location dest ON dest.id = sml.location_dest_id
     LEFT JOIN stock_move sm ON sm.id = sml.move_id
          JOIN stock_picking sp ON sp.id = sml.picking_id
          JOIN res_partner partner ON partner.id = sp.partner_id
     LEFT JOIN sale_order_line sol ON sol.id = sm.sale_line_id
         WHERE sml.state = 'done'
           AND sml.lot_id IS NOT NULL
           AND (dest.usage = 'customer' OR src.usage = 'customer')
      GROUP BY sml.lot_id, sml.product_id, sml.company_id,
               COALESCE(partner.commercial_partner_id, partner.id)
        """
    )

    lot_id = fields.Many2one("stock.lot", string="Lot / serial", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    partner_email = fields.Char(related="partner_id.email", string="E-mail")
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    quantity = fields.Float(string="Quantity held", digits="Product Unit", readonly=True)
    first_date = fields.Datetime(string="First delivery", readonly=True)
    last_date = fields.Datetime(string="Last delivery", readonly=True)
    picking_count = fields.Integer(string="Transfers", readonly=True)
    sale_id = fields.Many2one("sale.order", string="Last sale order", readonly=True)

    @api.depends("partner_id", "lot_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.partner_id.display_name} - {line.lot_id.name}"


class QualityComplaintLotBalance(models.Model):
    """One row per lot: received, delivered, returned and on hand, kept apart.

    Incoming and outgoing quantities are never added together. All figures are in
    the unit of the lot's product (the move lines' ``quantity_product_uom`` and the
    quants' quantity). Each lot's figures are a LATERAL index lookup, so a search
    on ``lot_id`` reads only the lots asked for, in one query for all of them.
    """

    _name = "quality.complaint.lot.balance"
    _description = "Lot traceability: quantities received, delivered, returned, on hand"
    _auto = False
    _order = "lot_id"
    _depends = {
        **_LINE_DEPENDS,
        "stock.lot": ["product_id", "company_id"],
        "stock.quant": ["lot_id", "location_id", "quantity"],
    }
    _table_query = SQL(
        """
        SELECT lot.id AS id,
               lot.id AS lot_id,
               lot.product_id AS product_id,
               lot.company_id AS company_id,
               COALESCE(mv.received, 0) AS received_qty,
               COALESCE(mv.delivered, 0) AS delivered_qty,
               COALESCE(mv.returned, 0) AS returned_qty,
               COALESCE(q.on_hand, 0) AS on_hand_qty
          FROM stock_lot lot
    CROSS JOIN LATERAL (
            SELECT SUM(sml.quantity_product_uom)
                       FILTER (WHERE src.usage IN ('supplier', 'production')) AS received,
                   SUM(sml.quantity_product_uom)
                       FILTER (WHERE dest.usage = 'customer') AS delivered,
                   SUM(sml.quantity_product_uom)
                       FILTER (WHERE src.usage = 'customer') AS returned
              FROM stock_move_line sml
              JOIN stock_location src ON src.id = sml.location_id
              JOIN stock_location dest ON dest.id = sml.location_dest_id
             WHERE sml.lot_id = lot.id
               AND sml.state = 'done'
        ) mv
    CROSS JOIN LATERAL (
            SELECT SUM(sq.quantity) AS on_hand
              FROM stock_quant sq
              JOIN stock_location loc ON loc.id = sq.location_id
             WHERE sq.lot_id = lot.id
               AND loc.usage = 'internal'
        ) q
        """
    )

    lot_id = fields.Many2one("stock.lot", string="Lot / serial", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    company_id = fields.Many2one("res.company", readonly=True)
    received_qty = fields.Float(
        string="Received",
        digits="Product Unit",
        readonly=True,
        help="Received from vendors and from production.",
    )
    delivered_qty = fields.Float(
        string="Delivered", digits="Product Unit", readonly=True, help="Delivered to customers."
    )
    returned_qty = fields.Float(
        string="Returned", digits="Product Unit", readonly=True, help="Returned by customers."
    )
    on_hand_qty = fields.Float(
        string="On hand",
        digits="Product Unit",
        readonly=True,
        help="In internal locations now.",
    )

    @api.depends("lot_id")
    def _compute_display_name(self):
        for row in self:
            row.display_name = row.lot_id.display_name

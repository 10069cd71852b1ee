"""Stock flows used by the demo data and the tests.

They go through the real purchase, receipt, sale and delivery documents, so that
lots, delivered quantities and traceability come from genuine stock moves.
"""

from odoo import Command, api, models


class QualityComplaintFlows(models.AbstractModel):
    _name = "quality.complaint.flows"
    _description = "Quality complaint: purchase and sale flows"

    @api.model
    def receive_lots(self, vendor, product, lots, price=10.0):
        """Buy ``product`` from ``vendor`` and receive it in ``lots`` ({name: qty}).

        Returns the validated receipt; its lots exist afterwards.
        """
        order = self.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": sum(lots.values()),
                            "price_unit": price,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        receipt = order.picking_ids
        move = receipt.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": receipt.id,
                    "product_id": product.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_name": name,
                    "quantity": qty,
                }
                for name, qty in lots.items()
            ]
        )
        move.picked = True
        self._validate(receipt)
        return receipt

    @api.model
    def sell_and_deliver(self, customer, lines, deliver=True):
        """Sell to ``customer`` and deliver.

        ``lines``: list of (product, qty, lot or False, unit price or None).
        The delivery takes the given lot for each line (the whole quantity).
        Returns the confirmed sale order.
        """
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            **({"price_unit": price} if price is not None else {}),
                        }
                    )
                    for product, qty, _lot, price in lines
                ],
            }
        )
        order.action_confirm()
        if not deliver:
            return order
        picking = order.picking_ids
        for move in picking.move_ids:
            product_line = next(line for line in lines if line[0] == move.product_id)
            lot = product_line[2]
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": move.product_id.id,
                    "product_uom_id": move.product_uom.id,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "lot_id": lot.id if lot else False,
                    "quantity": move.product_uom_qty,
                }
            )
        picking.move_ids.picked = True
        self._validate(picking)
        return order

    @api.model
    def _validate(self, picking):
        # No SMS confirmation pop-up (stock_sms) and no backorder question.
        result = picking.with_context(skip_sms=True, skip_backorder=True).button_validate()
        if picking.state != "done":
            raise ValueError(f"{picking.name} could not be validated: {result}")

    @api.model
    def _load_demo_flows(self):
        """Demo: receipts from a supplier, deliveries to customers, complaints."""
        ref = self.env.ref
        vendor = ref("quality_complaint.demo_partner_supplier")
        kettle = ref("quality_complaint.demo_product_kettle")
        washer = ref("quality_complaint.demo_product_washer")
        chiller = ref("quality_complaint.demo_product_chiller")
        self.receive_lots(vendor, kettle, {"EK17-2611-A": 60, "EK17-2611-B": 40}, 12.0)
        self.receive_lots(vendor, washer, {"WM300-2610-07": 30}, 210.0)
        self.receive_lots(vendor, chiller, {"IC900-2609-01": 4}, 7800.0)
        lot = {
            lot.name: lot
            for lot in self.env["stock.lot"].search(
                [("product_id", "in", (kettle | washer | chiller).ids)]
            )
        }
        harbor = ref("quality_complaint.demo_partner_harbor")
        lena = ref("quality_complaint.demo_partner_lena")
        northwind = ref("quality_complaint.demo_partner_northwind")
        so_harbor = self.sell_and_deliver(
            harbor,
            [(kettle, 24, lot["EK17-2611-A"], None), (washer, 6, lot["WM300-2610-07"], None)],
        )
        so_lena = self.sell_and_deliver(lena, [(kettle, 1, lot["EK17-2611-A"], None)])
        so_northwind = self.sell_and_deliver(
            northwind,
            [(kettle, 12, lot["EK17-2611-B"], None), (chiller, 1, lot["IC900-2609-01"], None)],
        )
        Ticket = self.env["helpdesk.ticket"]
        team = ref("quality_complaint.helpdesk_team_quality_complaints")
        phone = ref("helpdesk_mgmt.helpdesk_ticket_channel_phone")
        email = ref("helpdesk_mgmt.helpdesk_ticket_channel_email")
        cat = {
            code: ref(f"quality_complaint.defect_category_{code}")
            for code in ("cosmetic", "function", "safety", "packaging")
        }
        registered = Ticket.create(
            [
                {
                    "name": "Kettle trips the breaker and smells burnt",
                    "description": "<p>Since the second use the kettle trips the "
                    "kitchen breaker after about 30 seconds and the base smells "
                    "of burnt plastic. The customer has stopped using it.</p>",
                    "team_id": team.id,
                    "channel_id": phone.id,
                    "sale_order_id": so_lena.id,
                    "partner_id": lena.id,
                    "product_id": kettle.id,
                    "lot_ids": [Command.set(lot["EK17-2611-A"].ids)],
                    "affected_qty": 1,
                    "occurrence": "Every time it heats, after about 30 seconds, at home.",
                    "impact_level": "safety",
                    "defect_category_id": cat["safety"].id,
                    "customer_request": "exchange",
                    "details_confirmed": True,
                },
                {
                    "name": "Six kettles leak at the base",
                    "description": "<p>Six of the kettles sold in our shop came back "
                    "from customers: water drips from the base seam when they are "
                    "filled above the 1 litre mark.</p>",
                    "team_id": team.id,
                    "channel_id": email.id,
                    "sale_order_id": so_harbor.id,
                    "partner_id": harbor.id,
                    "product_id": kettle.id,
                    "lot_ids": [Command.set(lot["EK17-2611-A"].ids)],
                    "affected_qty": 6,
                    "occurrence": "When filled above 1 litre, from the first use.",
                    "impact_level": "main_function",
                    "defect_category_id": cat["function"].id,
                    "customer_request": "return",
                    "details_confirmed": True,
                },
            ]
        )
        for ticket in registered:
            self.env["ir.attachment"].create(
                {
                    "name": "customer-photo.txt",
                    "raw": b"Photo placeholder sent by the customer",
                    "res_model": ticket._name,
                    "res_id": ticket.id,
                }
            )
        registered.action_register_complaint()
        Ticket.create(
            [
                {
                    "name": "Washing machine door scratched",
                    "description": "<p>Scratched.</p>",
                    "team_id": team.id,
                    "channel_id": phone.id,
                    "sale_order_id": so_harbor.id,
                    "partner_id": harbor.id,
                    "product_id": washer.id,
                    "lot_ids": [Command.set(lot["WM300-2610-07"].ids)],
                    "affected_qty": 1,
                    "impact_level": "cosmetic",
                    "defect_category_id": cat["cosmetic"].id,
                    "customer_request": "repair",
                },
                {
                    "name": "Chiller does not cool below 12 degrees",
                    "description": "<p>Does not work.</p>",
                    "team_id": team.id,
                    "channel_id": email.id,
                    "sale_order_id": so_northwind.id,
                    "partner_id": northwind.id,
                    "product_id": chiller.id,
                    "lot_ids": [Command.set(lot["IC900-2609-01"].ids)],
                    "affected_qty": 1,
                },
            ]
        )
        # An ordinary ticket from the e-mail alias, to be converted by customer service.
        Ticket.create(
            {
                "name": "Box arrived crushed",
                "description": "<p>The box of my kettle arrived crushed, the lid is dented.</p>",
                "channel_id": email.id,
                "partner_id": northwind.id,
            }
        )

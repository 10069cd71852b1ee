from odoo import Command
from odoo.tests import Form, TransactionCase, new_test_user


def receive_lots(env, vendor, product, lots, price=10.0):
    """Buy ``product`` from ``vendor`` and receive it in ``lots`` ({name: qty}).

    Goes through a confirmed purchase order and its validated receipt, so the
    lots come from genuine stock moves. Returns the receipt.
    """
    order = env["purchase.order"].create(
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
    set_move_lines(move, [{"lot_name": name, "quantity": qty} for name, qty in lots.items()])
    validate_picking(receipt)
    return receipt


def sell_and_deliver(env, customer, lines, deliver=True):
    """Sell to ``customer`` and deliver.

    ``lines``: list of (product, qty, lot or False, unit price or None). The
    delivery takes the given lot for each line (the whole quantity). Returns the
    confirmed sale order.
    """
    order = env["sale.order"].create(
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
        lot = next(line[2] for line in lines if line[0] == move.product_id)
        set_move_lines(
            move, [{"lot_id": lot.id if lot else False, "quantity": move.product_uom_qty}]
        )
    validate_picking(picking)
    return order


def set_move_lines(move, lines):
    """Replace the detailed operations of ``move`` by ``lines`` (lot, quantity), picked."""
    move.move_line_ids.unlink()
    move.env["stock.move.line"].create(
        [
            {
                "move_id": move.id,
                "picking_id": move.picking_id.id,
                "product_id": move.product_id.id,
                "product_uom_id": move.product_uom.id,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
                **line,
            }
            for line in lines
        ]
    )
    move.picked = True


def validate_picking(picking):
    """Validate ``picking`` as a user would, without SMS or backorder questions."""
    result = picking.with_context(skip_sms=True, skip_backorder=True).button_validate()
    if picking.state != "done":
        raise AssertionError(f"{picking.name} could not be validated: {result}")


def other_company_user(env, login, groups):
    """A user of another company only, with ``groups``; returns (user, company)."""
    other = env["res.company"].create({"name": f"Other Co of {login}"})
    user = new_test_user(
        env,
        login=login,
        groups=groups,
        company_id=other.id,
        company_ids=[Command.set(other.ids)],
    )
    return user, other


class QualityComplaintCase(TransactionCase):
    """A company that buys lot-tracked kettles from a supplier and sells them.

    Lot A (60) and lot B (40) are received from the supplier. Lot A goes to
    Alice (order 1: 10 kettles) and to Bob (order 2: 5 kettles); lot B goes to
    Bob on order 2 as well (3 kettles). Nothing is delivered yet on order 3.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.company = cls.env.company
        cls.team = cls.env.ref("quality_complaint.helpdesk_team_quality_complaints")
        cls.company.qc_team_id = cls.team
        cls.cat_function = cls.env.ref("quality_complaint.defect_category_function")
        cls.cat_cosmetic = cls.env.ref("quality_complaint.defect_category_cosmetic")
        cls.cs_user = new_test_user(
            cls.env,
            login="qc_cs",
            name="Carla Service",
            email="carla@example.com",
            groups="quality_complaint.group_complaint_user",
        )
        cls.officer = new_test_user(
            cls.env,
            login="qc_officer",
            name="Oscar Officer",
            groups="quality_complaint.group_complaint_officer",
        )
        cls.manager = new_test_user(
            cls.env,
            login="qc_manager",
            name="Mia Manager",
            groups="quality_complaint.group_complaint_manager",
        )
        Partner = cls.env["res.partner"]
        cls.vendor = Partner.create({"name": "Kettle Parts Ltd", "email": "parts@example.com"})
        cls.alice = Partner.create({"name": "Alice Buyer", "email": "alice@example.com"})
        cls.bob = Partner.create(
            {"name": "Bob Shop", "is_company": True, "email": "bob@example.com", "phone": "555-01"}
        )
        cls.kettle = cls.env["product.product"].create(
            {
                "name": "Kettle K1",
                "type": "consu",
                "is_storable": True,
                "tracking": "lot",
                "list_price": 40.0,
            }
        )
        cls.toaster = cls.env["product.product"].create(
            {"name": "Toaster T1", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        receive_lots(cls.env, cls.vendor, cls.kettle, {"K1-A": 60, "K1-B": 40})
        receive_lots(cls.env, cls.vendor, cls.toaster, {"T1-A": 10})
        Lot = cls.env["stock.lot"]
        cls.lot_a = Lot.search([("name", "=", "K1-A")])
        cls.lot_b = Lot.search([("name", "=", "K1-B")])
        cls.lot_toaster = Lot.search([("name", "=", "T1-A")])
        cls.order_alice = sell_and_deliver(cls.env, cls.alice, [(cls.kettle, 10, cls.lot_a, None)])
        cls.order_bob = sell_and_deliver(
            cls.env,
            cls.bob,
            [(cls.kettle, 5, cls.lot_a, None), (cls.toaster, 3, cls.lot_toaster, None)],
        )
        cls.order_undelivered = sell_and_deliver(
            cls.env, cls.alice, [(cls.kettle, 2, False, None)], deliver=False
        )

    def complaint_vals(self, **overrides):
        """A complete Table 1 for Alice's kettles."""
        vals = {
            "name": "Kettle leaks",
            "description": "<p>Water drips from the base seam whenever the kettle "
            "is filled above one litre, from the first use.</p>",
            "is_quality_complaint": True,
            "team_id": self.team.id,
            "partner_id": self.alice.id,
            "sale_order_id": self.order_alice.id,
            "product_id": self.kettle.id,
            "lot_ids": [Command.set(self.lot_a.ids)],
            "affected_qty": 2,
            "occurrence": "At home, when filled above one litre.",
            "impact_level": "main_function",
            "defect_category_id": self.cat_function.id,
            "customer_request": "exchange",
        }
        vals.update(overrides)
        return vals

    def new_complaint_form(self, user=None, **context):
        ctx = {"default_is_quality_complaint": True, "default_team_id": self.team.id, **context}
        Ticket = self.env["helpdesk.ticket"].with_context(**ctx)
        if user:
            Ticket = Ticket.with_user(user)
        return Form(Ticket)

    def send_customer_messages(self):
        """Run the cron that sends the queued customer messages, as it would
        seconds after a registration."""
        return self.env["helpdesk.ticket"]._cron_send_customer_messages()

    def ack_messages(self, ticket):
        self.send_customer_messages()
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and "has been received" in (m.subject or "")
        )


def tour_scene(env, login, groups, lot_name):
    """A user for a browser tour and a customer who received 3 kettles of a lot.

    Returns (user, customer, kettle, lot, order); the user's password is its login.
    """
    user = new_test_user(
        env,
        login=login,
        name=f"Tour {login}",
        email=f"{login}@example.com",
        groups=groups,
    )
    vendor = env["res.partner"].create({"name": "Tour Vendor"})
    customer = env["res.partner"].create({"name": "Tour Customer", "email": "tc@example.com"})
    kettle = env["product.product"].create(
        {"name": "Tour Kettle", "type": "consu", "is_storable": True, "tracking": "lot"}
    )
    receive_lots(env, vendor, kettle, {lot_name: 5})
    lot = env["stock.lot"].search([("name", "=", lot_name)])
    order = sell_and_deliver(env, customer, [(kettle, 3, lot, None)])
    return user, customer, kettle, lot, order

"""Two users on the same remedy at the same moment: it is approved once and carried
out once (one transfer), and the other user is told so at once."""

from datetime import date, timedelta
from functools import partial

from odoo import Command
from odoo.addons.quality_complaint.tests.common import receive_lots, sell_and_deliver
from odoo.addons.quality_complaint.tests.common_concurrency import ConcurrencyCase
from odoo.exceptions import ConcurrencyError, UserError
from odoo.service.model import retrying
from odoo.tests import tagged

BUSY = "someone else is approving, executing or cancelling this remedy"


@tagged("post_install", "-at_install")
class TestRemedyConcurrency(ConcurrencyCase):
    """A gift for Rita Race's complaint, executed or approved by Emma Clark
    (customer service) and Sophia Chen (quality manager) at the same time."""

    @classmethod
    def prepare(cls, env):
        cls.emma = env.ref("quality_complaint.demo_user_service").id
        cls.sophia = env.ref("quality_complaint.demo_user_quality_manager").id
        cls.gift_type = env.ref("quality_complaint_remedy.remedy_type_gift").id
        customer = env["res.partner"].create(
            {"name": "Rita Race", "email": "rita.race@example.com", "street": "1 Race Road"}
        )
        cls.customer = customer.id
        cls.mug = (
            env["product.product"]
            .create({"name": "Race mug", "type": "consu", "standard_price": 4.0})
            .id
        )
        ticket = env["helpdesk.ticket"].create(
            {
                "name": "Race kettle leaks",
                "description": "<p>Leaks at the base seam.</p>",
                "is_quality_complaint": True,
                "team_id": env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                "partner_id": customer.id,
                "user_id": False,
            }
        )
        cls.ticket = ticket.id
        cls.reference = ticket.number or ticket.name

    @classmethod
    def cleanup(cls, env):
        ticket = env["helpdesk.ticket"].browse(getattr(cls, "ticket", [])).exists()
        remedies = ticket.remedy_ids
        pickings = remedies.picking_id | env["stock.picking"].search(
            [("origin", "=", getattr(cls, "reference", False) or "-")]
        )
        pickings.filtered(lambda p: p.state != "cancel").action_cancel()
        pickings.unlink()
        remedies.write({"state": "planned"})
        remedies.unlink()
        ticket.unlink()
        env["product.product"].browse(getattr(cls, "mug", [])).exists().unlink()
        env["res.partner"].browse(getattr(cls, "customer", [])).exists().unlink()

    def new_gift(self, **vals):
        """A planned gift on the complaint, committed."""
        return self.committed(
            lambda env: (
                env["quality.complaint.remedy"]
                .create(
                    {
                        "ticket_id": self.ticket,
                        "type_id": self.gift_type,
                        "name": "Race gift",
                        "product_id": self.mug,
                        "quantity": 1,
                        **vals,
                    }
                )
                .id
            )
        )

    def side(self, uid, remedy_id, method):
        """A user who has the remedy's form open, then clicks ``method``."""

        def read(env):
            remedy = env["quality.complaint.remedy"].browse(remedy_id)
            remedy.read(["state", "approved_by_id", "picking_id"])
            return remedy

        return (uid, read, lambda remedy: getattr(remedy, method)())

    def last_picking_id(self):
        return self.committed(
            lambda env: env["stock.picking"].search([], order="id desc", limit=1).id or 0
        )

    def facts(self, remedy_id, since):
        """(state, approver, [(state, quantity)] of the transfers made since the
        transfer ``since``, the states its chatter logged) of the remedy."""

        def read(env):
            remedy = env["quality.complaint.remedy"].browse(remedy_id)
            pickings = env["stock.picking"].search(
                [("origin", "=", self.reference), ("id", ">", since)]
            )
            logged = (
                env["mail.tracking.value"]
                .search(
                    [
                        ("mail_message_id.model", "=", remedy._name),
                        ("mail_message_id.res_id", "=", remedy_id),
                        ("field_id.name", "=", "state"),
                    ]
                )
                .mapped("new_value_char")
            )
            transfers = [(p.state, sum(p.move_ids.mapped("product_uom_qty"))) for p in pickings]
            return remedy.state, remedy.approved_by_id.id, transfers, logged

        return self.committed(read)

    def assert_told(self, outcome, text):
        self.assertIsInstance(outcome.error, UserError, f"a clear message, not {outcome!r}")
        self.assertIn(text, str(outcome.error))

    def test_two_users_execute_the_same_remedy_at_once(self):
        remedy_id, since = self.new_gift(), self.last_picking_id()
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.side(self.emma, remedy_id, "action_execute"),
                self.side(self.sophia, remedy_id, "action_execute"),
            )
        self.assertIsNone(first.error)
        self.assert_told(second, BUSY)
        state, approver, pickings, logged = self.facts(remedy_id, since)
        self.assertEqual(pickings, [("assigned", 1.0)], "one shipment of the gift")
        self.assertEqual(state, "in_progress")
        self.assertEqual(approver, self.emma, "approved by the one who executed it")
        self.assertEqual(logged, ["Under way"], "one change in the chatter")

    def test_executing_what_the_other_user_just_executed(self):
        """The other one committed first; this page was read before: refused, not a
        second transfer nor a serialization error."""
        remedy_id, since = self.new_gift(), self.last_picking_id()
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.side(self.sophia, remedy_id, "action_execute"),
                self.side(self.emma, remedy_id, "action_execute"),
                hold=False,
            )
        self.assertIsNone(first.error)
        self.assert_told(second, BUSY)
        state, approver, pickings, _approvals = self.facts(remedy_id, since)
        self.assertEqual(len(pickings), 1, "one shipment of the gift")
        self.assertEqual((state, approver), ("in_progress", self.sophia))

    def test_two_users_approve_at_once(self):
        remedy_id, since = self.new_gift(), self.last_picking_id()
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.side(self.sophia, remedy_id, "action_approve"),
                self.side(self.emma, remedy_id, "action_approve"),
            )
        self.assertIsNone(first.error)
        self.assert_told(second, BUSY)
        state, approver, pickings, logged = self.facts(remedy_id, since)
        self.assertEqual((state, approver, logged), ("approved", self.sophia, ["Approved"]))
        self.assertFalse(pickings)

    def test_approving_again_after_a_reload_says_who_approved(self):
        """A retry (Odoo's RPC retries a serialization failure in a new
        transaction) or an old page: the state, read afresh, gives the message."""
        remedy_id, since = self.new_gift(), self.last_picking_id()
        self.committed(
            lambda env: env["quality.complaint.remedy"].browse(remedy_id).action_approve(),
            uid=self.sophia,
        )

        def approve_again(env):
            remedy = env["quality.complaint.remedy"].browse(remedy_id)
            with self.assertRaises(UserError) as refused:
                retrying(partial(remedy.action_approve), env)
            return str(refused.exception)

        message = self.committed(approve_again, uid=self.emma)
        self.assertIn("not to be approved any more (Approved, approved by Sophia Chen)", message)
        self.assertEqual(self.facts(remedy_id, since)[3], ["Approved"], "approved once")

    def test_cancelling_while_the_other_user_executes(self):
        remedy_id, since = self.new_gift(), self.last_picking_id()
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.side(self.emma, remedy_id, "action_execute"),
                self.side(self.sophia, remedy_id, "action_cancel"),
            )
        self.assertIsNone(first.error)
        self.assert_told(second, BUSY)
        state, _approver, pickings, _approvals = self.facts(remedy_id, since)
        self.assertEqual(state, "in_progress", "executed, not cancelled behind its back")
        self.assertEqual(pickings, [("assigned", 1.0)], "the shipment stands")


@tagged("post_install", "-at_install")
class TestPickupsOfOneOrderAtOnce(ConcurrencyCase):
    """Two complaints of one delivered order (a key account's bad lot), each with
    its pick-up, executed by two agents at the same moment: both returns come from
    the one sale order, whose delivery status is a single row."""

    @classmethod
    def prepare(cls, env):
        cls.emma = env.ref("quality_complaint.demo_user_service").id
        cls.sophia = env.ref("quality_complaint.demo_user_quality_manager").id
        vendor = env["res.partner"].create({"name": "Pick-up Parts", "is_company": True})
        customer = env["res.partner"].create(
            {"name": "Pick-up Stores", "email": "pickup@example.com", "street": "2 Dock Road"}
        )
        product = env["product.product"].create(
            {"name": "Pick-up Kettle", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        cls.product = product.id
        receive_lots(env, vendor, product, {"PICKUP-K1": 20})
        lot = env["stock.lot"].search([("product_id", "=", product.id)])
        cls.customer = customer.id
        cls.lot = lot.id

    def two_pickups(self):
        """An order of 5 kettles delivered, two registered complaints on it, each
        with its planned pick-up (committed); the two remedies' ids. Each test has
        an order of its own: the first return flips its delivery status."""
        self.order = self.committed(
            lambda env: (
                sell_and_deliver(
                    env,
                    env["res.partner"].browse(self.customer),
                    [
                        (
                            env["product.product"].browse(self.product),
                            5,
                            env["stock.lot"].browse(self.lot),
                            30.0,
                        )
                    ],
                ).id
            )
        )

        def create(env):
            pickup = env.ref("quality_complaint_remedy.remedy_type_pickup")
            remedies = []
            for label in ("first", "second"):
                ticket = env["helpdesk.ticket"].create(
                    {
                        "name": f"Pick-up kettle leaks ({label})",
                        "description": "<p>Leaks at the base seam.</p>",
                        "is_quality_complaint": True,
                        "team_id": env.ref("quality_complaint.helpdesk_team_quality_complaints").id,
                        "partner_id": self.customer,
                        "sale_order_id": self.order,
                        "product_id": self.product,
                        "lot_ids": [Command.set([self.lot])],
                        "purchase_date": date.today() - timedelta(days=3),
                        "affected_qty": 1,
                        "occurrence": "At the first boil.",
                        "impact_level": "minor_function",
                        "defect_category_id": env.ref(
                            "quality_complaint.defect_category_function"
                        ).id,
                        "customer_request": "return",
                    }
                )
                ticket.action_register_complaint()
                remedy = env["quality.complaint.remedy"].create(
                    {"ticket_id": ticket.id, "type_id": pickup.id, "name": "Pick-up"}
                )
                remedies.append(remedy.id)
            return remedies

        return self.committed(create, uid=self.emma)

    @classmethod
    def cleanup(cls, env):
        if not getattr(cls, "product", None):
            return
        tickets = env["helpdesk.ticket"].search([("product_id", "=", cls.product)])
        remedies = tickets.remedy_ids
        pickings = remedies.picking_id
        pickings.filtered(lambda p: p.state != "cancel").action_cancel()
        pickings.unlink()
        remedies.write({"state": "planned"})
        remedies.unlink()
        tickets.unlink()
        env["product.product"].browse(cls.product).active = False

    def side(self, uid, remedy_id):
        def read(env):
            remedy = env["quality.complaint.remedy"].browse(remedy_id)
            remedy.read(["state", "picking_id"])
            env["sale.order"].browse(self.order).read(["delivery_status"])
            return remedy

        return (uid, read, lambda remedy: remedy.action_execute())

    def returns(self, remedies):
        """{remedy: (its state, its transfer's state)}, as committed."""

        def read(env):
            return {
                remedy.id: (remedy.state, remedy.picking_id.state or None)
                for remedy in env["quality.complaint.remedy"].browse(remedies)
            }

        return self.committed(read)

    def assert_both_returns_made(self, remedies, first, second):
        """The first execution made its return; the second waited for it and made
        its own, or (the first changed the order's row under it) changed nothing
        and asked the server to run it again, which then makes it."""
        self.assertIsNone(first.error)
        first_id, second_id = remedies
        if second.error is not None:
            self.assertIsInstance(
                second.error,
                ConcurrencyError,
                f"the second execution is run again by the server, not failed: {second!r}",
            )
            self.assertEqual(
                self.returns(remedies),
                {first_id: ("in_progress", "assigned"), second_id: ("planned", None)},
                "the second execution changed nothing before it is run again",
            )
            # What the server does with a ConcurrencyError: the same request again.
            self.committed(
                lambda env: retrying(
                    partial(env["quality.complaint.remedy"].browse(second_id).action_execute),
                    env,
                ),
                uid=self.sophia,
            )
        self.assertEqual(
            self.returns(remedies),
            {first_id: ("in_progress", "assigned"), second_id: ("in_progress", "assigned")},
            "both pick-ups have their return",
        )

    def test_two_pickups_of_one_order_at_the_same_moment(self):
        remedies = self.two_pickups()
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.side(self.emma, remedies[0]), self.side(self.sophia, remedies[1])
            )
        self.assert_both_returns_made(remedies, first, second)

    def test_a_pickup_of_an_order_another_pickup_just_changed(self):
        """The other execution committed after this one began: no serialization
        error on the order's row in the log."""
        remedies = self.two_pickups()
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.side(self.emma, remedies[0]),
                self.side(self.sophia, remedies[1]),
                hold=False,
            )
        self.assert_both_returns_made(remedies, first, second)

"""Two users on the same remedy at the same moment: it is approved once and carried
out once (one transfer), and the other user is told so at once."""

from functools import partial

from odoo.addons.quality_complaint.tests.common_concurrency import ConcurrencyCase
from odoo.exceptions import UserError
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

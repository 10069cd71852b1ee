from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common import (
    other_company_user,
    receive_lots,
    sell_and_deliver,
)
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_action import CorrectiveActionCase


@tagged("post_install", "-at_install")
class TestActionRecurrence(CorrectiveActionCase):
    """A complaint registered after an action was verified effective, on its product
    or on lots of its supplier with its defect, brings the action back to its owner
    and to the quality manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.company.qc_quality_manager_id = cls.manager
        # Many complaints on lot K1-A here: keep the batch-defect rule out of the way.
        cls.company.qc_batch_threshold = 100000
        # A blender bought from another supplier, delivered to Alice.
        cls.blender_vendor = cls.env["res.partner"].create(
            {"name": "Blender Works", "is_company": True}
        )
        cls.blender = cls.env["product.product"].create(
            {"name": "Blender B1", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        receive_lots(cls.env, cls.blender_vendor, cls.blender, {"B1-A": 10})
        cls.lot_blender = cls.env["stock.lot"].search([("name", "=", "B1-A")])
        cls.order_blender = sell_and_deliver(
            cls.env, cls.alice, [(cls.blender, 2, cls.lot_blender, None)]
        )
        # The goods were delivered today: the action on Alice's leaking kettles is
        # verified effective three weeks later, at 10:00.
        cls.verified = datetime.combine(fields.Date.today() + timedelta(days=21), time(10))
        cls.verified_day = cls.verified.strftime("%m/%d/%Y")

    # ------------------------------------------------------------ helpers
    def effective_action(self, **vals):
        """The action on Alice's leaking kettles (product Kettle K1, supplier Kettle
        Parts Ltd, defect "function" on the investigation's complaint), opened and
        marked done through its buttons, then verified effective at ``self.verified``.

        The verification (another concern) is not part of this test: the action is put
        in the state the verification leaves it in, the way it does it, as the system:
        ``sudo().write({"state": "effective", "date_closed": ...})``."""
        with freeze_time(self.verified - timedelta(days=20)):
            investigation = self.approved_investigation()
            action = self.open_action(
                investigation_id=investigation.id,
                product_ids=[Command.set(self.kettle.ids)],
                partner_id=self.vendor.id,
                **vals,
            )
            action.action_done()
        action.sudo().write({"state": "effective", "date_closed": self.verified})
        return action

    def register(self, day, count=1, **vals):
        """``count`` complaints registered by customer service ``day`` days after the
        verification (by default Alice's kettles of lot K1-A, defect "function")."""
        with freeze_time(self.verified + timedelta(days=day)):
            tickets = self.Ticket.with_user(self.cs_user).create(
                [self.complaint_vals(**vals) for _index in range(count)]
            )
            tickets.action_register_complaint()
        return tickets

    def toaster_vals(self, category):
        """Bob's toasters of lot T1-A, also bought from Kettle Parts Ltd."""
        return {
            "partner_id": self.bob.id,
            "sale_order_id": self.order_bob.id,
            "product_id": self.toaster.id,
            "lot_ids": [Command.set(self.lot_toaster.ids)],
            "defect_category_id": category.id,
        }

    def recurrence_notes(self, action):
        return action.message_ids.filtered(lambda m: "came back" in (m.body or ""))

    def assertNotRecurrence(self, tickets, action):
        self.assertFalse(any(tickets.mapped("qc_is_recurrence")))
        self.assertFalse(tickets.qc_recurrence_action_ids)
        self.assertFalse(action.recurred)
        self.assertFalse(self.recurrence_notes(action), "nobody is told")

    # ------------------------------------------------------------ tests
    def test_same_product_within_the_window_is_a_recurrence(self):
        action = self.effective_action()
        ticket = self.register(30)
        self.assertTrue(ticket.qc_is_recurrence)
        self.assertEqual(ticket.qc_recurrence_action_ids, action)
        self.assertTrue(action.recurred)
        self.assertEqual(action.date_recurred, self.verified + timedelta(days=30))
        self.assertEqual(action.recurrence_ticket_ids, ticket)
        self.assertEqual(action.recurrence_count, 1)
        note = self.recurrence_notes(action)
        self.assertEqual(len(note), 1, "told once")
        told = self.officer.partner_id | self.manager.partner_id
        self.assertEqual(note.partner_ids, told, "the owner and the quality manager")
        self.assertEqual(note.notification_ids.res_partner_id, told)
        self.assertIn(ticket.number, note.body)
        self.assertIn(f"verified effective on {self.verified_day}", note.body)
        # What customer service sees on the complaint, and finds with the filters.
        mine = ticket.with_user(self.cs_user)
        self.assertEqual(
            mine.qc_recurrence_warning,
            f"This complaint repeats a problem corrective action {action.name} had fixed "
            f"(verified effective on {self.verified_day}).",
        )
        self.assertIn(
            ticket, self.Ticket.with_user(self.cs_user).search([("qc_is_recurrence", "=", True)])
        )
        self.assertEqual(mine.action_view_recurrence_actions()["res_id"], action.id)
        recurred = self.Action.with_user(self.officer).search([("recurred", "=", True)])
        self.assertIn(action, recurred)
        shown = action.with_user(self.officer).action_view_recurrences()
        self.assertEqual(self.Ticket.search(shown["domain"]), ticket)

    def test_window_ends_on_day_180(self):
        action = self.effective_action()
        self.assertNotRecurrence(self.register(181), action)
        late = self.register(180)
        self.assertEqual(late.qc_recurrence_action_ids, action, "day 180 is still inside")

    def test_window_set_by_the_company(self):
        self.company.qc_recurrence_days = 30
        action = self.effective_action()
        self.assertNotRecurrence(self.register(31), action)
        self.assertTrue(self.register(29).qc_is_recurrence)

    def test_other_product_of_another_supplier_is_not_a_recurrence(self):
        action = self.effective_action()
        ticket = self.register(
            10,
            sale_order_id=self.order_blender.id,
            product_id=self.blender.id,
            lot_ids=[Command.set(self.lot_blender.ids)],
        )
        self.assertNotRecurrence(ticket, action)

    def test_same_supplier_lots_and_same_defect_is_a_recurrence(self):
        action = self.effective_action()
        missing = self.env.ref("quality_complaint.defect_category_missing")
        missing_part = self.register(10, **self.toaster_vals(missing))
        self.assertNotRecurrence(missing_part, action)
        function = self.register(11, **self.toaster_vals(self.cat_function))
        self.assertEqual(function.qc_recurrence_action_ids, action)
        self.assertEqual(action.recurrence_ticket_ids, function)

    def test_action_not_verified_effective_yet_is_not_repeated(self):
        with freeze_time(self.verified):
            investigation = self.approved_investigation()
            action = self.open_action(
                investigation_id=investigation.id,
                product_ids=[Command.set(self.kettle.ids)],
                partner_id=self.vendor.id,
            )
            action.action_done()
        self.assertNotRecurrence(self.register(10), action)

    def test_action_of_another_company_is_not_repeated(self):
        outsider, other = other_company_user(
            self.env, "qc_other_officer", "quality_complaint.group_complaint_officer"
        )
        action = self.Action.sudo().create(
            {
                "title": "Check the kettles of the other company",
                "company_id": other.id,
                "user_id": outsider.id,
                "product_ids": [Command.set(self.kettle.ids)],
            }
        )
        action.write({"state": "effective", "date_closed": self.verified})
        self.assertNotRecurrence(self.register(10), action)

    def test_complaint_of_the_actions_own_investigation_is_not_a_recurrence(self):
        action = self.effective_action()
        with freeze_time(self.verified + timedelta(days=5)):
            ticket = self.Ticket.with_user(self.cs_user).create(self.complaint_vals())
            ticket.with_user(self.officer).write({"investigation_id": action.investigation_id.id})
            ticket.with_user(self.cs_user).action_register_complaint()
        self.assertNotRecurrence(ticket, action)

    def test_nobody_is_told_twice_of_the_same_complaint(self):
        action = self.effective_action()
        first = self.register(10)
        with freeze_time(self.verified + timedelta(days=12)):
            self.assertFalse(first._qc_flag_recurrences(), "nothing new")
            first.with_user(self.cs_user).action_register_complaint()
        self.assertEqual(len(self.recurrence_notes(action)), 1)
        self.assertEqual(action.recurrence_ticket_ids, first)
        batch = self.register(20, count=3)
        notes = self.recurrence_notes(action)
        self.assertEqual(len(notes), 2, "one note for the batch of three")
        for ticket in batch:
            self.assertIn(ticket.number, notes[0].body)
        self.assertNotIn(first.number, notes[0].body, "the first one was told already")
        self.assertEqual(action.recurrence_ticket_ids, first | batch)
        self.assertEqual(action.date_recurred, self.verified + timedelta(days=10), "the first time")

    def test_flags_are_set_by_the_registration_only(self):
        action = self.effective_action()
        ticket = self.register(5, count=1)
        other = self.register(
            5,
            sale_order_id=self.order_blender.id,
            product_id=self.blender.id,
            lot_ids=[Command.set(self.lot_blender.ids)],
        )
        for vals in (
            {"qc_is_recurrence": False},
            {"qc_recurrence_action_ids": [Command.clear()]},
        ):
            with self.assertRaises(AccessError):
                ticket.with_user(self.manager).write(vals)
        with self.assertRaises(AccessError):
            other.with_user(self.manager).write({"qc_is_recurrence": True})
        with self.assertRaises(AccessError):
            action.with_user(self.manager).write({"recurred": False})
        self.assertTrue(ticket.qc_is_recurrence)
        self.assertFalse(other.qc_is_recurrence)
        self.assertTrue(action.recurred)
        # Alice sees her complaint on the portal, not that it is a recurrence.
        portal = new_test_user(
            self.env,
            login="qc_alice_portal",
            groups="base.group_portal",
            partner_id=self.alice.id,
        )
        mine = ticket.with_user(portal)
        self.assertEqual(mine.read(["name"])[0]["name"], "Kettle leaks")
        for name in ("qc_is_recurrence", "qc_recurrence_action_ids", "qc_recurrence_warning"):
            with self.assertRaises(AccessError, msg=name):
                mine.read([name])

    def test_flagging_cost_does_not_grow_with_the_batch(self):
        """Finding, linking and telling cost the same for 3 or 12 complaints."""
        self.effective_action()
        self.register(1)  # warm the caches; the action has recurred already

        def registered(count, day):
            with freeze_time(self.verified + timedelta(days=day)):
                tickets = self.Ticket.with_user(self.cs_user).create(
                    [self.complaint_vals() for _index in range(count)]
                )
                tickets._qc_on_register()  # as the registration does before flagging
            self.env.flush_all()
            return tickets

        three = registered(3, 2)
        with freeze_time(self.verified + timedelta(days=2)):
            before = self.env.cr.sql_log_count
            self.assertEqual(three._qc_flag_recurrences(), three)
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
        twelve = registered(12, 3)
        with freeze_time(self.verified + timedelta(days=3)), self.assertQueryCount(queries):
            self.assertEqual(twelve._qc_flag_recurrences(), twelve)
        self.assertTrue(all(twelve.mapped("qc_is_recurrence")))

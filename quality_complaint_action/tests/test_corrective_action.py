from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.addons.quality_complaint.tests.common import other_company_user
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_action import CorrectiveActionCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestCorrectiveAction(CorrectiveActionCase):
    def test_reference_and_life(self):
        investigation = self.approved_investigation()
        action = self.new_action(investigation_id=investigation.id)
        self.assertRegex(action.name, r"^CA/2026/\d{4}$")
        self.assertEqual(action.state, "draft")
        self.assertEqual(action.ticket_ids, investigation.ticket_ids)
        self.assertEqual(investigation.action_count, 1)
        action.action_open()
        self.assertEqual((action.state, action.date_open), ("open", fields.Datetime.now()))
        action.action_done()
        self.assertEqual(action.state, "done")
        self.assertEqual(action.done_by_id, self.officer)
        with self.assertRaisesRegex(UserError, "Only an open or reopened action"):
            action.action_done()

    def test_root_cause_it_answers(self):
        investigation = self.approved_investigation()
        cause = investigation.fishbone_cause_ids
        form = Form(self.Action.with_user(self.officer))
        form.title = "Sort the gasket lot"
        form.investigation_id = investigation
        self.assertEqual(form.partner_id, self.vendor, "the supplier at fault is proposed")
        self.assertIn(self.lot_a, form.lot_ids)
        form.root_cause_source = "fishbone"
        form.fishbone_cause_id = cause
        self.assertEqual(form.root_cause, "Gasket lot out of spec")
        self.assertEqual(form.root_cause_category, "material")
        form.root_cause_source = "five_whys"
        self.assertEqual(form.root_cause, "The supplier skipped its test")

    def test_supplier_is_the_company(self):
        action = self.new_action(partner_id=self.vendor_contact.id)
        self.assertEqual(action.partner_id, self.vendor)

    def test_bad_input_changes_nothing(self):
        with self.assertRaisesRegex(ValidationError, "2026-03-01 is in the past"):
            self.new_action(date_deadline="2026-03-01")
        action = self.new_action(date_deadline=False)
        with self.assertRaisesRegex(UserError, "needs a deadline"):
            action.action_open()
        with self.assertRaisesRegex(ValidationError, "in the past"):
            action.write({"date_deadline": "2026-02-27"})
        self.assertFalse(action.date_deadline)
        self.assertEqual(action.state, "draft")

    def test_state_only_through_buttons(self):
        action = self.new_action()
        for vals in ({"state": "effective"}, {"date_done": "2026-03-02 10:00:00"}):
            with self.assertRaises(AccessError):
                action.with_user(self.officer).write(vals)
        self.assertEqual(action.state, "draft")
        with self.assertRaises(AccessError):
            self.new_action(state="done")

    def test_started_action_is_cancelled_not_deleted(self):
        action = self.open_action()
        with self.assertRaisesRegex(UserError, "cancel it instead"):
            action.with_user(self.manager).unlink()
        action.action_cancel()
        self.assertEqual(action.state, "cancelled")
        action.action_reset_draft()
        self.assertEqual(action.state, "draft")
        action.with_user(self.officer).unlink()
        self.assertFalse(action.exists())

    def test_access(self):
        supplier_action = self.new_action(partner_id=self.vendor.id)
        internal_action = self.new_action(title="Train the line operators", kind="preventive")
        # customer service reads, does not write
        self.assertEqual(
            self.Action.with_user(self.cs_user).search(
                [("id", "in", (supplier_action | internal_action).ids)]
            ),
            supplier_action | internal_action,
        )
        with self.assertRaises(AccessError):
            supplier_action.with_user(self.cs_user).write({"title": "x"})
        with self.assertRaises(AccessError):
            self.new_action(user=self.cs_user)
        # purchasing sees the supplier actions only
        self.assertEqual(
            self.Action.with_user(self.buyer).search(
                [("id", "in", (supplier_action | internal_action).ids)]
            ),
            supplier_action,
        )
        # another company's officer sees neither
        stranger, _company = other_company_user(
            self.env, "qc_officer_other", "quality_complaint.group_complaint_officer"
        )
        self.assertFalse(
            self.Action.with_user(stranger).search(
                [("id", "in", (supplier_action | internal_action).ids)]
            )
        )

    def test_purchasing_opens_a_supplier_action(self):
        """A buyer (no inventory or complaint rights) opens the supplier action's form
        and reads the root cause it answers by its text."""
        investigation = self.approved_investigation()
        action = self.new_action(
            investigation_id=investigation.id,
            partner_id=self.vendor.id,
            lot_ids=[(6, 0, self.lot_a.ids)],
            root_cause_source="fishbone",
            fishbone_cause_id=investigation.fishbone_cause_ids.id,
        )
        as_buyer = action.with_user(self.buyer)
        views = as_buyer.get_views([(False, "form")])
        fields = views["models"]["quality.complaint.action"]["fields"]
        arch = etree.fromstring(views["views"]["form"]["arch"])
        shown = {
            node.get("name")
            for node in arch.iter("field")
            if not any(parent.tag == "field" for parent in node.iterancestors())
        }
        spec = {
            name: {"fields": {"display_name": {}}} if fields[name]["type"] == "many2one" else {}
            for name in shown
        }
        values = as_buyer.web_read(spec)[0]
        self.assertEqual(values["fishbone_cause_id"]["display_name"], "Gasket lot out of spec")
        self.assertEqual(values["held_lot_count"], 0)

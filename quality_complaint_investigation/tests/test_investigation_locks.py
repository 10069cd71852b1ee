"""Who may change what on an investigation, checked server side, as each group."""

from odoo import Command
from odoo.addons.quality_complaint.tests.common import QualityComplaintCase, other_company_user
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException

GUARD = "change only through its buttons"


def analysis_vals(vendor, product, lots):
    """An investigation with every record type and a complete root-cause analysis."""
    return {
        "title": "Kettles leak at the base seam",
        "product_id": product.id,
        "lot_ids": [Command.set(lots.ids)],
        "inspection_ids": [
            Command.create(
                {
                    "defect_features": "Base seam gasket deformed",
                    "measurement_ids": [
                        Command.create({"name": "Gasket thickness", "value": 1.2, "unit": "mm"})
                    ],
                }
            )
        ],
        "test_ids": [Command.create({"name": "Fill-and-boil, 20 units", "lot_id": lots[:1].id})],
        "why_ids": [Command.create({"why": "Why does it leak?", "because": "Thin gasket"})],
        "fishbone_cause_ids": [
            Command.create(
                {"category": "material", "description": "Thin gasket", "is_root_cause": True}
            )
        ],
        "root_cause_summary": "The supplier's gasket lot was out of spec.",
        "root_cause_category": "material",
        "supplier_id": vendor.id,
    }


@tagged("post_install", "-at_install")
class TestInvestigationLocks(QualityComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="qc_portal", name="Paula Portal", groups="base.group_portal"
        )
        cls.Investigation = cls.env["quality.complaint.investigation"]
        cls.investigation = cls.Investigation.create(
            analysis_vals(cls.vendor, cls.kettle, cls.lot_a)
        )
        cls.everyone = (cls.portal, cls.cs_user, cls.officer, cls.manager)

    def flush_tracking(self):
        self.env.flush_all()
        self.env.cr.flush()

    def assert_refused(self, user, vals, record=None):
        """A direct write of ``vals`` by ``user`` is refused and changes nothing."""
        record = record or self.investigation
        before = record.read(list(vals))[0]
        # officers and managers may edit investigations: only the guard stops them
        pattern = GUARD if user in (self.officer, self.manager) else ""
        with self.assertRaisesRegex(AccessError, pattern):
            record.with_user(user).write(vals)
        record.invalidate_recordset()
        self.assertEqual(record.read(list(vals))[0], before, f"{user.login} changed nothing")

    def test_status_changes_through_the_actions_only(self):
        for user in self.everyone:
            for state in ("in_progress", "analysed", "approved"):
                self.assert_refused(user, {"state": state})
        with self.assertRaisesRegex(AccessError, GUARD):
            self.Investigation.with_user(self.manager).create(
                {"title": "Born approved", "state": "approved"}
            )
        draft = self.Investigation.with_user(self.officer).create(
            {"title": "Born a draft", "state": "draft"}
        )
        self.assertEqual(draft.state, "draft")
        # the other fields stay editable
        self.investigation.with_user(self.officer).title = "Kettles leak (EK-17)"
        self.assertEqual(self.investigation.title, "Kettles leak (EK-17)")

    def test_approval_is_set_by_approve_and_unlock_only(self):
        for user in self.everyone:
            self.assert_refused(
                user, {"approved_by_id": user.id, "approved_date": "2026-01-01 08:00:00"}
            )
        with self.assertRaisesRegex(AccessError, GUARD):
            self.Investigation.with_user(self.manager).create(
                {"title": "Pre-approved", "approved_by_id": self.manager.id}
            )
        investigation = self.investigation
        investigation.action_mark_analysed()
        investigation.with_user(self.manager).action_approve()
        self.assertEqual(investigation.approved_by_id, self.manager)
        # even a quality manager cannot rewrite who approved, nor when
        self.assert_refused(self.manager, {"approved_by_id": self.officer.id})
        self.assert_refused(self.manager, {"approved_date": False, "state": "analysed"})
        self.assertEqual(investigation.state, "approved")

    def test_reference_comes_from_the_sequence(self):
        for user in self.everyone:
            self.assert_refused(user, {"name": "INV/FAKE/0001"})
        with self.assertRaisesRegex(AccessError, GUARD):
            self.Investigation.with_user(self.officer).create(
                {"title": "Own reference", "name": "INV/FAKE/0002"}
            )
        mine = self.Investigation.with_user(self.officer).create({"title": "Numbered"})
        self.assertTrue(mine.name.startswith("INV/"))
        copy = mine.copy()
        self.assertNotEqual(copy.name, mine.name)
        self.assertEqual(copy.state, "draft")

    def test_outreach_bookkeeping_is_kept_by_the_actions(self):
        for user in self.everyone:
            self.assert_refused(user, {"progress_update_count": 7})
            self.assert_refused(user, {"progress_update_date": "2026-01-01 08:00:00"})
            self.assert_refused(
                user, {"containment_notified_partner_ids": [Command.link(self.bob.id)]}
            )

    def test_the_actions_work_for_the_right_groups(self):
        investigation = self.investigation
        for user in (self.portal, self.cs_user):
            with self.assertRaises(AccessError):
                investigation.with_user(user).action_start()
            with self.assertRaises(AccessError):
                investigation.with_user(user).action_mark_analysed()
        self.assertEqual(investigation.state, "draft")

        investigation.with_user(self.officer).action_start()
        self.assertEqual(investigation.state, "in_progress")
        investigation.with_user(self.officer).action_mark_analysed()
        self.assertEqual(investigation.state, "analysed")
        with self.assertRaisesRegex(UserError, "Only a quality manager"):
            investigation.with_user(self.officer).action_approve()
        self.assertEqual(investigation.state, "analysed")
        investigation.with_user(self.officer).action_reopen()
        investigation.with_user(self.officer).action_mark_analysed()
        self.flush_tracking()

        investigation.with_user(self.manager).action_approve()
        self.assertEqual(investigation.state, "approved")
        self.assertEqual(investigation.approved_by_id, self.manager)
        self.assertTrue(investigation.approved_date)
        # the tracking shows the real author, not the superuser
        self.flush_tracking()
        approval = investigation.message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "state" and v.new_value_char == "Approved"
        ).mail_message_id
        self.assertEqual(approval.author_id, self.manager.partner_id)

        with self.assertRaisesRegex(UserError, "Only a quality manager"):
            investigation.with_user(self.officer).action_unlock()
        investigation.with_user(self.manager).action_unlock()
        self.assertEqual(investigation.state, "analysed")
        self.assertFalse(investigation.approved_by_id)
        self.assertFalse(investigation.approved_date)

    def test_a_part_cannot_move_into_a_locked_investigation(self):
        self.investigation.action_mark_analysed()
        self.investigation.with_user(self.manager).action_approve()
        draft = self.Investigation.with_user(self.officer).create({"title": "Open one"})
        why = self.env["quality.complaint.why"].create(
            {"investigation_id": draft.id, "why": "Why?", "because": "Because."}
        )
        with self.assertRaisesRegex(UserError, "approved and locked"):
            why.with_user(self.officer).investigation_id = self.investigation
        self.assertEqual(why.investigation_id, draft)
        self.assertEqual(len(self.investigation.why_ids), 1)

    def investigation_records(self):
        """The investigation and one record of each of its parts."""
        inspection = self.investigation.inspection_ids
        return (
            self.investigation,
            inspection,
            inspection.measurement_ids,
            self.investigation.test_ids,
            self.investigation.why_ids,
            self.investigation.fishbone_cause_ids,
        )

    def test_another_company_reads_none_of_the_records(self):
        other_officer, _other = other_company_user(
            self.env, "qc_other_officer", "quality_complaint.group_complaint_officer"
        )
        for record in self.investigation_records():
            self.assertTrue(record.with_user(self.officer).read(["display_name"]), record._name)
            self.assertFalse(
                record.with_user(other_officer).search([("id", "=", record.id)]), record._name
            )
            with self.assertRaises(AccessError, msg=record._name):
                record.with_user(other_officer).read(["display_name"])

    def test_portal_reads_nothing_of_an_investigation(self):
        records = (
            *self.investigation_records(),
            self.investigation.trace_move_ids[:1],
            self.investigation.containment_ids[:1],
        )
        for record in records:
            self.assertTrue(record, record._name)
            with self.assertRaises(AccessError, msg=record._name):
                record.with_user(self.portal).read(["display_name"])
            with self.assertRaises(AccessError, msg=record._name):
                record.with_user(self.portal).search([])


@tagged("post_install", "-at_install")
class TestInvestigationLocksOverRpc(HttpCase):
    def test_a_json_rpc_write_of_the_status_is_refused(self):
        officer = new_test_user(
            self.env, login="qc_rpc_officer", groups="quality_complaint.group_complaint_officer"
        )
        investigation = self.env["quality.complaint.investigation"].create({"title": "Over RPC"})
        self.authenticate("qc_rpc_officer", "qc_rpc_officer")

        def call(method, args, kwargs=None):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/quality.complaint.investigation/{method}",
                {
                    "model": "quality.complaint.investigation",
                    "method": method,
                    "args": args,
                    "kwargs": kwargs or {},
                },
            )

        for vals in (
            {"state": "approved"},
            {"approved_by_id": officer.id},
            {"name": "INV/RPC/0001"},
        ):
            with self.assertRaisesRegex(JsonRpcException, "AccessError"):
                call("write", [[investigation.id], vals])
        investigation.invalidate_recordset()
        self.assertEqual(investigation.state, "draft")
        self.assertFalse(investigation.approved_by_id)
        self.assertTrue(investigation.name.startswith("INV/"))
        # the button does it
        call("action_start", [[investigation.id]])
        investigation.invalidate_recordset()
        self.assertEqual(investigation.state, "in_progress")

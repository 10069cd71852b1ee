"""Fields that only a business action may set are locked on the server, and the
internal ones are out of a portal customer's reach, whatever the caller sends."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import other_company_user
from .common_rpc import call_kw_message
from .common_sla import ComplaintGradingCase


class ProtectedFieldsCase(ComplaintGradingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env,
            login="qc_portal_alice",
            password="qc_portal_alice",
            groups="base.group_portal",
            partner_id=cls.alice.id,
        )
        cls.cs_user.password = "qc_cs_password"

    def registered(self, **overrides):
        ticket = self.register(**overrides)
        self.env.flush_all()
        return ticket

    def assert_refused(self, ticket, user, vals):
        """A direct write of ``vals`` by ``user`` is refused and changes nothing."""
        before = ticket.read(list(vals))[0]
        with self.assertRaisesRegex(AccessError, "cannot be set directly"):
            ticket.with_user(user).write(vals)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.read(list(vals))[0], before, f"{user.login} changed {vals}")


@tagged("post_install", "-at_install")
class TestProtectedFields(ProtectedFieldsCase):
    def test_registration_state_only_through_register(self):
        draft = self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        for user in (self.cs_user, self.officer):
            self.assert_refused(draft, user, {"complaint_state": "registered"})
            self.assert_refused(draft, user, {"registered_by_id": user.id})
            self.assert_refused(draft, user, {"ack_sent_date": "2026-01-01 00:00:00"})
            self.assert_refused(draft, user, {"qc_messages_due": True})
        with self.assertRaisesRegex(AccessError, "cannot be set directly"):
            self.env["helpdesk.ticket"].with_user(self.cs_user).create(
                self.complaint_vals(complaint_state="registered")
            )
        self.assertEqual(draft.complaint_state, "draft")
        self.assertFalse(draft.ack_sent_date)
        # The action itself works for customer service and acknowledges once.
        draft.with_user(self.cs_user).action_register_complaint()
        self.assertEqual(draft.complaint_state, "registered")
        self.assertEqual(draft.registered_by_id, self.cs_user)
        self.assertEqual(len(self.ack_messages(draft)), 1)
        self.assertTrue(draft.ack_sent_date)

    def test_grade_only_through_grading_and_override(self):
        ticket = self.registered(impact_level="cosmetic")
        self.assertEqual(ticket.grade_id, self.general)
        for user in (self.cs_user, self.officer, self.manager):
            self.assert_refused(ticket, user, {"grade_id": self.urgent.id})
            self.assert_refused(
                ticket,
                user,
                {"grade_override_id": self.urgent.id, "grade_override_reason": "VIP"},
            )
            self.assert_refused(ticket, user, {"grade_reasons": "Because."})
        self.assertEqual(ticket.grade_id, self.general)
        self.assertFalse(ticket.grade_override_id)
        # The officer's override records who did it and why.
        self.env["quality.complaint.grade.override"].with_user(self.officer).create(
            {"ticket_id": ticket.id, "grade_id": self.urgent.id, "reason": "Hospital customer"}
        ).action_apply()
        self.assertEqual(ticket.grade_id, self.urgent)
        self.assertEqual(ticket.grade_override_user_id, self.officer)

    def test_response_clock_only_through_first_response(self):
        ticket = self.registered(impact_level="cosmetic")
        deadline = ticket.response_deadline
        for user in (self.cs_user, self.officer):
            self.assert_refused(ticket, user, {"first_response_date": "2026-01-01 00:00:00"})
            self.assert_refused(ticket, user, {"sla_status": "met"})
            self.assert_refused(ticket, user, {"response_deadline": "2030-01-01 00:00:00"})
            self.assert_refused(ticket, user, {"sla_paused_hours": 100})
            self.assert_refused(ticket, user, {"qc_response_hours": 0.1})
        clock = ticket.sla_deadline_id
        with self.assertRaises(AccessError):
            clock.with_user(self.cs_user).write({"deadline": "2030-01-01 00:00:00"})
        with self.assertRaises(AccessError):
            clock.with_user(self.officer).unlink()
        self.assertEqual(ticket.response_deadline, deadline)
        self.assertFalse(ticket.first_response_date)
        ticket.with_user(self.cs_user).action_contacted_customer()
        self.assertEqual(ticket.sla_status, "met")
        self.assertEqual(ticket.first_response_by_id, self.cs_user)

    def test_portal_customer_reads_only_what_the_portal_shows(self):
        ticket = self.registered(impact_level="safety")
        mine = ticket.with_user(self.portal)
        self.assertEqual(mine.read(["name"])[0]["name"], "Kettle leaks", "their own complaint")
        internal = [
            "grade_id",
            "grade_reasons",
            "grade_override_reason",
            "grade_override_user_id",
            "sla_status",
            "response_deadline",
            "sla_deadline_id",
            "first_response_by_id",
            "registered_by_id",
        ]
        for name in internal:
            with self.assertRaises(AccessError, msg=name):
                mine.read([name])
        shown = mine.read(["number", "description", "product_id", "purchase_date", "occurrence"])
        self.assertEqual(shown[0]["product_id"][0], self.kettle.id, "Table 1 is theirs")
        self.assertFalse(set(internal) & set(mine.fields_get()), "internal fields are not listed")
        with self.assertRaises(AccessError):
            self.env["quality.complaint.deadline"].with_user(self.portal).search([])


@tagged("post_install", "-at_install")
class TestProtectedFieldsOverRpc(HttpCase, ProtectedFieldsCase):
    """The same locks, called the way a script or a browser calls Odoo."""

    def call_kw(self, model, method, args, kwargs=None):
        """(result, error message) of a JSON-RPC call, as the web client makes it."""
        return call_kw_message(self, model, method, args, kwargs)

    def test_json_rpc_cannot_override_the_grade_or_read_internals(self):
        ticket = self.registered(impact_level="cosmetic")
        self.authenticate(self.cs_user.login, "qc_cs_password")
        _result, error = self.call_kw(
            "helpdesk.ticket",
            "write",
            [ticket.ids, {"grade_override_id": self.urgent.id, "sla_status": "met"}],
        )
        self.assertIn("cannot be set directly", error or "")
        ticket.invalidate_recordset()
        self.assertEqual(ticket.grade_id, self.general)
        self.assertFalse(ticket.grade_override_id)
        self.assertNotEqual(ticket.sla_status, "met")
        # Allowed fields still go through for customer service.
        _result, error = self.call_kw(
            "helpdesk.ticket", "write", [ticket.ids, {"occurrence": "Every morning."}]
        )
        self.assertFalse(error)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.occurrence, "Every morning.")

        self.authenticate(self.portal.login, "qc_portal_alice")
        _result, error = self.call_kw("helpdesk.ticket", "read", [ticket.ids, ["grade_reasons"]])
        self.assertIn("grade_reasons", error or "")
        rows, error = self.call_kw("helpdesk.ticket", "read", [ticket.ids, ["name"]])
        self.assertFalse(error)
        self.assertEqual(rows[0]["name"], "Kettle leaks")


@tagged("post_install", "-at_install")
class TestDeadlineCompanies(ProtectedFieldsCase):
    def test_another_companys_user_sees_none_of_our_clocks(self):
        ticket = self.registered(impact_level="cosmetic")
        outsider, _other = other_company_user(
            self.env, "qc_other_desk", "quality_complaint.group_complaint_officer"
        )
        Deadline = self.env["quality.complaint.deadline"]
        self.assertIn(ticket.sla_deadline_id, Deadline.with_user(self.cs_user).search([]))
        self.assertNotIn(ticket.sla_deadline_id, Deadline.with_user(outsider).search([]))

from odoo.addons.quality_complaint.tests.common_rpc import call_kw_message
from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common_followup import give_what_closing_needs


@tagged("post_install", "-at_install")
class TestComplaintStages(ComplaintGradingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.received = ref("quality_complaint.stage_complaint_received")
        cls.registered_stage = ref("quality_complaint.stage_complaint_registered")
        cls.waiting = ref("quality_complaint.stage_complaint_waiting")
        cls.investigating = ref("quality_complaint.stage_complaint_investigating")
        cls.remedy_stage = ref("quality_complaint.stage_complaint_remedy")
        cls.followup_stage = ref("quality_complaint.stage_complaint_followup")
        cls.closed_stage = ref("quality_complaint.stage_complaint_closed")
        cls.cancelled = ref("quality_complaint.stage_complaint_cancelled")

    def test_the_complaint_team_follows_its_own_stages(self):
        stages = self.team._get_applicable_stages()
        self.assertEqual(
            stages,
            self.received
            | self.registered_stage
            | self.waiting
            | self.investigating
            | self.remedy_stage
            | self.followup_stage
            | self.closed_stage
            | self.cancelled,
        )
        self.assertEqual(stages[:1], self.received, "a new complaint is received")
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        self.assertEqual(ticket.qc_stage_ids, stages, "the status bar offers the steps")
        result = (
            self.env["helpdesk.ticket"]
            .with_context(qc_complaint_stages=True, read_group_expand=True)
            .web_read_group([("is_quality_complaint", "=", True)], ["stage_id"], ["__count"])
        )
        shown = {group["stage_id"][0] for group in result["groups"]}
        self.assertTrue(set(stages.ids) <= shown, "the kanban shows every step")
        self.assertNotIn(self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new").id, shown)

    def test_actions_move_the_case_forward(self):
        ticket = self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        self.assertEqual(ticket.stage_id, self.received)
        ticket.action_register_complaint()
        self.assertEqual(ticket.stage_id, self.registered_stage)
        ticket.with_user(self.officer).action_start_investigation()
        self.assertEqual(ticket.stage_id, self.investigating)
        # Registering again does not move it back.
        ticket.action_register_complaint()
        self.assertEqual(ticket.stage_id, self.investigating)

    def test_by_hand_only_to_a_step_that_is_done(self):
        ticket = self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        mine = ticket.with_user(self.cs_user)
        for stage in (self.registered_stage, self.waiting, self.investigating, self.closed_stage):
            with self.assertRaisesRegex(UserError, "register it first"):
                mine.stage_id = stage
            self.assertEqual(ticket.stage_id, self.received, stage.name)
        mine.action_register_complaint()
        with self.assertRaisesRegex(UserError, "start its investigation"):
            mine.stage_id = self.investigating
        with self.assertRaisesRegex(UserError, "contacted"):
            mine.stage_id = self.closed_stage
        self.assertEqual(ticket.stage_id, self.registered_stage)
        mine.stage_id = self.waiting
        self.assertTrue(ticket.sla_paused_since, "waiting for the customer pauses the clock")
        mine.action_contacted_customer()
        with self.assertRaisesRegex(UserError, "no remedy executed"):
            mine.stage_id = self.closed_stage
        give_what_closing_needs(ticket, self.cs_user)
        mine.stage_id = self.closed_stage
        self.assertTrue(ticket.closed)

    def test_a_mistaken_ticket_can_be_cancelled_at_once(self):
        ticket = self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        ticket.with_user(self.cs_user).stage_id = self.cancelled
        self.assertEqual(ticket.stage_id, self.cancelled)


@tagged("post_install", "-at_install")
class TestClosingRulesHold(HttpCase, ComplaintGradingCase):
    """The closing rules follow from the data: whoever writes the stage (customer
    service over RPC, a route or another module as superuser), in create or write,
    with whatever context."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.registered_stage = ref("quality_complaint.stage_complaint_registered")
        cls.closed_stage = ref("quality_complaint.stage_complaint_closed")
        cls.cancelled = ref("quality_complaint.stage_complaint_cancelled")
        cls.done = ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.portal = new_test_user(
            cls.env,
            login="qc_portal_alice",
            groups="base.group_portal",
            partner_id=cls.alice.id,
        )

    def call_kw(self, model, method, args, kwargs=None):
        """(result, error message) of a JSON-RPC call, as the web client makes it."""
        return call_kw_message(self, model, method, args, kwargs)

    def registered(self):
        ticket = self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        ticket.action_register_complaint()
        self.assertEqual(ticket.stage_id, self.registered_stage)
        return ticket

    def assert_still_open(self, ticket):
        self.env.invalidate_all()
        self.assertTrue(ticket.is_quality_complaint)
        self.assertEqual(ticket.complaint_state, "registered")
        self.assertEqual(ticket.stage_id, self.registered_stage)
        self.assertFalse(ticket.closed_date)

    def test_a_registered_complaint_is_cancelled_with_its_reason(self):
        """Customer service cannot make a registered complaint disappear into the
        Cancelled stage: Cancel Complaint asks why, and the reason stays."""
        ticket = self.registered()
        self.env.flush_all()
        self.authenticate("qc_cs", "qc_cs")
        _result, error = self.call_kw(
            "helpdesk.ticket", "write", [ticket.ids, {"stage_id": self.cancelled.id}]
        )
        self.assertIn("say why it is cancelled", error or "")
        self.assert_still_open(ticket)
        action, error = self.call_kw("helpdesk.ticket", "action_cancel_complaint", [ticket.ids])
        self.assertFalse(error, error)
        Wizard = action["res_model"]
        wizard_id, error = self.call_kw(
            Wizard, "create", [{"ticket_id": ticket.id, "reason": "   "}]
        )
        _result, error = self.call_kw(Wizard, "action_apply", [[wizard_id]])
        self.assertIn("Say why the complaint is cancelled", error or "")
        self.assert_still_open(ticket)
        wizard_id, error = self.call_kw(
            Wizard, "create", [{"ticket_id": ticket.id, "reason": "Registered twice."}]
        )
        _result, error = self.call_kw(Wizard, "action_apply", [[wizard_id]])
        self.assertFalse(error, error)
        self.assertEqual(ticket.stage_id, self.cancelled)
        self.assertEqual(ticket.qc_cancel_reason, "Registered twice.")
        tracked = ticket.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "qc_cancel_reason"
        )
        self.assertTrue(tracked, "the reason is in the chatter")
        self.assertEqual(tracked.mail_message_id.author_id, self.cs_user.partner_id)

    def test_customer_service_cannot_unflag_close_and_flag_again(self):
        ticket = self.registered()
        self.authenticate("qc_cs", "qc_cs")
        _result, error = self.call_kw(
            "helpdesk.ticket", "write", [ticket.ids, {"is_quality_complaint": False}]
        )
        self.assertIn("stays a quality complaint", error or "")
        _result, error = self.call_kw(
            "helpdesk.ticket", "write", [ticket.ids, {"stage_id": self.closed_stage.id}]
        )
        self.assertIn("cannot move to Closed yet", error or "")
        self.call_kw("helpdesk.ticket", "write", [ticket.ids, {"is_quality_complaint": True}])
        self.assert_still_open(ticket)
        # All at once, or to another closed stage, or with a context of its choosing.
        attempts = [
            {"is_quality_complaint": False, "stage_id": self.closed_stage.id},
            {"stage_id": self.done.id},
        ]
        for vals in attempts:
            _result, error = self.call_kw(
                "helpdesk.ticket",
                "write",
                [ticket.ids, vals],
                {"context": {"tracking_disable": True, "install_mode": True}},
            )
            self.assertTrue(error, vals)
            self.assert_still_open(ticket)

    def test_superuser_writes_of_a_closed_stage_are_refused(self):
        ticket = self.registered()
        for stage in (self.closed_stage, self.done):
            with self.assertRaisesRegex(UserError, f"cannot move to {stage.name} yet"):
                ticket.sudo().with_context(install_mode=True).write({"stage_id": stage.id})
            self.assert_still_open(ticket)
        with self.assertRaisesRegex(UserError, "stays a quality complaint"):
            ticket.sudo().write({"is_quality_complaint": False})
        self.assert_still_open(ticket)
        # helpdesk_mgmt's /ticket/close route writes the stage as superuser.
        self.authenticate("qc_portal_alice", "qc_portal_alice")
        self.url_open(f"/ticket/close?ticket_id={ticket.id}&stage_id={self.done.id}")
        self.assert_still_open(ticket)
        # Cancelling stays open at any time, with its reason.
        with self.assertRaisesRegex(UserError, "say why it is cancelled"):
            ticket.sudo().write({"stage_id": self.cancelled.id})
        ticket.sudo().write({"qc_cancel_reason": "Registered twice."})
        ticket.sudo().write({"stage_id": self.cancelled.id})
        self.assertTrue(ticket.closed)

    def test_no_complaint_is_created_closed(self):
        self.authenticate("qc_cs", "qc_cs")
        count = self.env["helpdesk.ticket"].search_count([])
        vals = dict(self.complaint_vals(), stage_id=self.closed_stage.id)
        vals["lot_ids"] = [(6, 0, self.lot_a.ids)]
        _result, error = self.call_kw("helpdesk.ticket", "create", [[vals]])
        self.assertIn("cannot move to Closed yet", error or "")
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        for stage in (self.closed_stage, self.done):
            with self.assertRaisesRegex(UserError, "register it first"):
                self.env["helpdesk.ticket"].sudo().create(self.complaint_vals(stage_id=stage.id))
        self.assertEqual(self.env["helpdesk.ticket"].search_count([]), count)
        # An ordinary ticket closes as helpdesk_mgmt says; a complaint may be
        # created cancelled.
        ordinary = self.env["helpdesk.ticket"].create(
            {"name": "Printer jam", "description": "<p>Jammed</p>", "stage_id": self.done.id}
        )
        self.assertTrue(ordinary.closed)
        cancelled = self.env["helpdesk.ticket"].create(
            self.complaint_vals(stage_id=self.cancelled.id)
        )
        self.assertTrue(cancelled.closed)
        # The closed ordinary ticket does not become a complaint that was never handled.
        with self.assertRaisesRegex(UserError, "register it first"):
            ordinary.sudo().write({"is_quality_complaint": True})
        self.env.invalidate_all()
        self.assertFalse(ordinary.is_quality_complaint)

    def test_another_modules_stage_writes_follow_the_stage_data(self):
        ticket = self.registered()
        other = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .create(self.complaint_vals(name="Kettle leaks again"))
        )
        wizard = self.env["helpdesk.ticket.duplicate.wizard"].create(
            {"ticket_id": ticket.id, "duplicate_of_id": other.id, "target_stage_id": self.done.id}
        )
        with self.assertRaisesRegex(UserError, "cannot move to Done yet"):
            wizard.action_confirm()
        self.assert_still_open(ticket)
        # The company says its duplicates' stage cancels complaints: they go there.
        self.done.qc_cancels = True
        wizard.action_confirm()
        self.assertEqual(ticket.stage_id, self.done)
        with self.assertRaises(ValidationError):
            self.registered_stage.qc_cancels = True

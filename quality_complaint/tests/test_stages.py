from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_followup import give_what_closing_needs
from .common_sla import ComplaintGradingCase


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

from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools.safe_eval import safe_eval

from .common_followup import FollowupCase, execute_remedy


@tagged("post_install", "-at_install")
class TestFollowup(FollowupCase):
    """The 30-day call-back (docs/process.md §6), as customer service and quality see it."""

    def handled_complaint(self, moment=None, **overrides):
        with freeze_time(moment or self.at(0, 10)):
            ticket = self.contacted_complaint(**overrides)
            self.handle(ticket)
        return ticket

    def run_cron(self, moment):
        with freeze_time(moment):
            return self.Deadline._cron_check()

    def record_callback(self, ticket, outcome, note=False, user=None):
        """Customer service records the call-back in its wizard; returns the
        wizard's result."""
        action = ticket.with_user(user or self.cs_user).action_record_followup()
        Wizard = self.env[action["res_model"]].with_user(user or self.cs_user)
        with Form(Wizard.with_context(**action["context"])) as form:
            form.outcome = outcome
            if note:
                form.note = note
        return form.record.action_apply()

    # ------------------------------------------------------------ due, activity, cron
    def test_callback_due_thirty_days_after_the_case_is_handled(self):
        ticket = self.handled_complaint()
        due = (self.monday + timedelta(days=30)).date()
        self.assertEqual(ticket.qc_followup_state, "due")
        self.assertEqual(ticket.qc_followup_due, due)
        self.assertEqual(ticket.stage_id, self.followup_stage, "the complaint is in follow-up")
        activity = self.callback_activities(ticket)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.date_deadline, due, "customer service calls on that day")
        self.assertEqual(activity.user_id, ticket.user_id)
        self.assertFalse(activity.user_id.share)
        # Handled again (feedback recorded twice): still one call-back.
        with freeze_time(self.at(1, 10)):
            ticket.with_user(self.cs_user)._qc_on_case_handled()
        self.assertEqual(ticket.qc_followup_due, due)
        self.assertEqual(len(self.callback_activities(ticket)), 1)

    def test_callback_days_are_a_company_setting(self):
        self.company.qc_followup_days = 14
        ticket = self.handled_complaint(moment=self.at(2, 17))
        self.assertEqual(ticket.qc_followup_due, (self.monday + timedelta(days=16)).date())
        with self.assertRaisesRegex(Exception, "at least one day"):
            self.company.qc_followup_days = 0

    def test_cron_escalates_an_overdue_callback_once(self):
        ticket = self.handled_complaint()
        summary = "Customer call-back overdue"
        self.run_cron(self.at(30, 23, 30))
        self.assertFalse(
            self.activities_of(ticket, self.head, summary), "the due day is not over yet"
        )
        self.run_cron(self.at(31, 0, 5))
        self.run_cron(self.at(31, 2))
        escalations = self.activities_of(ticket, self.head, summary)
        self.assertEqual(len(escalations), 1, "two runs, one escalation")
        self.assertEqual(escalations.date_deadline, (self.monday + timedelta(days=31)).date())
        self.assertEqual(ticket.qc_followup_deadline_id.status, "breached")
        self.assertTrue(ticket.message_ids.filtered(lambda m: "escalated to Hana Head" in m.body))
        due_day = (self.monday + timedelta(days=30)).date()
        self.assertFalse(self.found_by_filter("followup_due", ticket, due_day - timedelta(days=1)))
        self.assertEqual(self.found_by_filter("followup_due", ticket, due_day), ticket)
        self.assertFalse(self.found_by_filter("followup_overdue", ticket, due_day))
        self.assertEqual(
            self.found_by_filter("followup_overdue", ticket, due_day + timedelta(days=1)), ticket
        )

    def test_without_department_head_the_quality_manager_is_told(self):
        self.team.qc_department_head_id = False
        ticket = self.handled_complaint()
        self.run_cron(self.at(31, 1))
        self.assertEqual(
            len(self.activities_of(ticket, self.manager, "Customer call-back overdue")), 1
        )

    def found_by_filter(self, name, ticket, today):
        """``ticket`` if the complaint search's filter ``name`` finds it ``today``."""
        action = self.env.ref("quality_complaint.action_quality_complaints")
        Ticket = self.env["helpdesk.ticket"].with_user(self.cs_user)
        view = Ticket.get_views([(action.search_view_id.id, "search")])["views"]["search"]
        node = etree.fromstring(view["arch"]).find(f".//filter[@name='{name}']")
        domain = safe_eval(node.get("domain"), {"context_today": lambda: today})
        return Ticket.search([("id", "=", ticket.id), *domain])

    # ------------------------------------------------------------ outcomes
    def test_solved_ends_the_callback(self):
        ticket = self.handled_complaint()
        with freeze_time(self.at(30, 11)):
            self.record_callback(ticket, "solved", note="Kettle works fine now.")
        self.assertEqual(ticket.qc_followup_state, "done")
        self.assertEqual(ticket.qc_followup_outcome, "solved")
        self.assertEqual(ticket.qc_followup_note, "Kettle works fine now.")
        self.assertEqual(ticket.qc_followup_date, self.at(30, 11))
        self.assertEqual(ticket.qc_followup_deadline_id.status, "met")
        self.assertFalse(self.callback_activities(ticket), "the call-back activity is done")
        self.assertTrue(ticket.message_ids.filtered(lambda m: "Kettle works fine now." in m.body))
        self.assertEqual(self.run_cron(self.at(40, 9)), 0, "nothing to escalate")

    def test_problem_persists_reopens_the_investigation(self):
        with freeze_time(self.at(0, 10)):
            ticket = self.contacted_complaint(affected_qty=2)
            ticket.with_user(self.officer).action_start_investigation()
            self.handle(ticket)
        self.assertEqual(ticket.grade_id, self.important)
        # Quality lowers the batch threshold meanwhile: the rules now say batch defect.
        self.company.qc_batch_threshold = 2
        with freeze_time(self.at(30, 11)):
            self.record_callback(ticket, "persists", note="Still leaking.")
        self.assertEqual(ticket.stage_id, self.investigating, "back under investigation")
        self.assertEqual(ticket.grade_id, self.urgent, "graded again")
        self.assertEqual(ticket.qc_followup_state, "done")
        self.assertEqual(ticket.qc_followup_outcome, "persists")
        told = self.activities_of(
            ticket, self.officer, "Call-back: the customer's problem persists"
        )
        self.assertEqual(len(told), 1, "the investigation's owner is told")
        self.assertIn("Still leaking.", told.note)
        with self.assertRaisesRegex(UserError, "problem persisted at the call-back"):
            ticket.with_user(self.cs_user).stage_id = self.closed_stage
        # Handled again: a new call-back is due.
        with freeze_time(self.at(40, 10)):
            ticket.with_user(self.cs_user)._qc_on_case_handled()
        self.assertEqual(ticket.qc_followup_state, "due")
        self.assertFalse(ticket.qc_followup_outcome)
        self.assertEqual(ticket.qc_followup_due, (self.monday + timedelta(days=70)).date())
        self.assertEqual(ticket.stage_id, self.followup_stage)

    def test_problem_persists_without_investigation_tells_the_quality_manager(self):
        ticket = self.handled_complaint()
        with freeze_time(self.at(30, 11)):
            self.record_callback(ticket, "persists")
        self.assertEqual(ticket.stage_id, self.registered_stage)
        self.assertEqual(
            len(
                self.activities_of(
                    ticket, self.manager, "Call-back: the customer's problem persists"
                )
            ),
            1,
        )

    def test_new_problem_opens_a_linked_complaint(self):
        ticket = self.handled_complaint()
        with freeze_time(self.at(30, 11)):
            action = self.record_callback(ticket, "new_problem", note="The lid broke off.")
        child = self.env["helpdesk.ticket"].browse(action["res_id"])
        self.assertEqual(action["res_model"], "helpdesk.ticket")
        self.assertTrue(child.is_quality_complaint)
        self.assertEqual(child.complaint_state, "draft", "customer service completes it")
        self.assertEqual(child.qc_parent_id, ticket)
        self.assertEqual(child.partner_id, ticket.partner_id)
        self.assertEqual(child.sale_order_id, ticket.sale_order_id)
        self.assertEqual(child.product_id, ticket.product_id)
        self.assertEqual(child.lot_ids, ticket.lot_ids)
        self.assertEqual(child.channel_id, ticket.channel_id)
        self.assertEqual(child.team_id, ticket.team_id)
        self.assertIn("The lid broke off.", child.description)
        self.assertEqual(ticket.qc_child_count, 1)
        children = ticket.with_user(self.cs_user).action_view_qc_children()
        self.assertEqual(
            self.env["helpdesk.ticket"].search(children["domain"]), child, "the smart button"
        )
        self.assertEqual(ticket.qc_followup_state, "done")
        self.assertEqual(ticket.qc_followup_outcome, "new_problem")

    def test_waive_needs_a_reason(self):
        ticket = self.handled_complaint()
        Wizard = self.env["quality.complaint.followup.wizard"].with_user(self.cs_user)
        wizard = Wizard.create({"ticket_id": ticket.id, "mode": "waive", "reason": "  "})
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_apply()
        self.assertEqual(ticket.qc_followup_state, "due", "nothing changed")
        wizard.reason = "The customer asked not to be called again."
        wizard.action_apply()
        self.assertEqual(ticket.qc_followup_state, "waived")
        self.assertEqual(ticket.qc_followup_note, "The customer asked not to be called again.")
        self.assertFalse(self.callback_activities(ticket))
        self.assertEqual(self.run_cron(self.at(40, 9)), 0, "a waived call-back never escalates")
        with self.assertRaisesRegex(UserError, "no call-back is due"):
            ticket.with_user(self.cs_user)._qc_record_followup("solved")

    def test_callback_fields_follow_only_the_actions(self):
        ticket = self.handled_complaint()
        with self.assertRaises(AccessError):
            ticket.with_user(self.cs_user).qc_followup_state = "done"
        with self.assertRaises(AccessError):
            ticket.with_user(self.cs_user).write({"qc_followup_outcome": "solved"})
        self.assertEqual(ticket.qc_followup_state, "due")

    # ------------------------------------------------------------ closing
    def test_closing_says_what_is_missing_then_closes(self):
        with freeze_time(self.at(0, 10)):
            ticket = self.contacted_complaint()
        mine = ticket.with_user(self.cs_user)
        with self.assertRaises(UserError) as refused:
            mine.stage_id = self.closed_stage
        message = str(refused.exception)
        self.assertIn("no remedy executed", message)
        self.assertIn("feedback is not recorded", message)
        self.assertIn("call-back is neither done nor waived", message)
        self.assertNotEqual(ticket.stage_id, self.closed_stage)

        remedy = (
            self.env["quality.complaint.remedy"]
            .with_user(self.cs_user)
            .create(
                {
                    "ticket_id": ticket.id,
                    "type_id": self.env.ref("quality_complaint_remedy.remedy_type_warranty").id,
                    "name": "One more year of warranty",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "remedies not executed yet: One more year"):
            mine.action_close_complaint()
        remedy.action_cancel()
        with freeze_time(self.at(0, 11)):
            self.handle(ticket)
        with self.assertRaises(UserError) as refused:
            mine.action_close_complaint()
        message = str(refused.exception)
        self.assertNotIn("remedy", message)
        self.assertNotIn("feedback", message)
        self.assertIn("call-back is neither done nor waived", message)

        with freeze_time(self.at(30, 11)):
            self.record_callback(ticket, "solved")
            mine.action_close_complaint()
        self.assertEqual(ticket.stage_id, self.closed_stage)
        self.assertTrue(ticket.closed)

    def test_unreachable_customer_and_waived_callback_close(self):
        with freeze_time(self.at(0, 10)):
            ticket = self.contacted_complaint()
            execute_remedy(ticket, self.cs_user)
            mine = ticket.with_user(self.cs_user)
            for _attempt in range(self.company.qc_feedback_max_attempts):
                mine._qc_record_feedback("unreachable")
            self.assertEqual(ticket.qc_feedback_state, "unreachable")
            self.assertEqual(ticket.qc_followup_state, "due", "the case is handled")
            mine._qc_waive_followup("Customer unreachable for weeks.")
            mine.stage_id = self.closed_stage
        self.assertTrue(ticket.closed)

    def test_a_complaint_can_still_be_cancelled(self):
        with freeze_time(self.at(0, 10)):
            ticket = self.contacted_complaint()
        with self.assertRaisesRegex(UserError, "say why it is cancelled"):
            ticket.with_user(self.cs_user).stage_id = self.cancelled
        ticket.with_user(self.cs_user)._qc_cancel("Registered twice by mistake.")
        self.assertEqual(ticket.stage_id, self.cancelled)

    def test_closed_complaint_is_read_only_except_for_a_quality_manager(self):
        ticket = self.handled_complaint()
        with freeze_time(self.at(30, 11)):
            self.record_callback(ticket, "solved")
            ticket.with_user(self.cs_user).action_close_complaint()
        description = ticket.description
        with self.assertRaisesRegex(UserError, "is closed: only a quality manager"):
            ticket.with_user(self.cs_user).description = "<p>Rewritten later.</p>"
        with self.assertRaisesRegex(UserError, "is closed"):
            ticket.with_user(self.cs_user).stage_id = self.registered_stage
        self.assertEqual(ticket.description, description, "nothing changed")
        self.assertEqual(ticket.stage_id, self.closed_stage)
        # Customer service still talks in the chatter of a closed complaint.
        ticket.with_user(self.cs_user).message_post(
            body="Customer called to say thanks.",
            attachments=[("thanks.txt", b"Thank you for the new kettle.")],
        )
        ticket.with_user(self.cs_user).activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.cs_user.id, summary="Send a card"
        )

        ticket.with_user(self.manager).write(
            {"description": "<p>Leak at the base seam, confirmed by the lab.</p>", "priority": "2"}
        )
        self.assertIn("confirmed by the lab", ticket.description)
        note = ticket.message_ids.filtered(lambda m: "Changed after closing" in m.body)
        self.assertEqual(len(note), 1)
        self.assertIn("Changed after closing by Mia Manager", note.body)
        self.assertIn("Description", note.body)
        self.assertIn("Priority", note.body)
        self.assertEqual(note.author_id, self.manager.partner_id)

import re

from freezegun import freeze_time

from odoo import Command
from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, HttpCase, new_test_user, tagged

LATE_SUMMARY = "Result message to the customer is late"
DISSATISFIED_SUMMARY = "Customer not satisfied: revise the remedy plan"


class FeedbackCase(ComplaintGradingCase):
    """Complaints whose remedies customer service carries out, on the complaint
    desk's calendar (Monday-Friday 09:00-18:00 UTC)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.qc_batch_threshold = 100000
        cls.head = new_test_user(
            cls.env,
            login="qc_head",
            name="Hanna Head",
            email="hanna@example.com",
            groups="quality_complaint.group_complaint_officer",
        )
        cls.team.qc_department_head_id = cls.head
        cls.Deadline = cls.env["quality.complaint.deadline"]
        # The demo complaints' clocks are someone else's business in these tests.
        cls.Deadline.search([("next_check", "!=", False)]).next_check = False
        cls.instructions = cls.env.ref("quality_complaint_remedy.remedy_type_instructions")
        cls.compensation = cls.env.ref("quality_complaint_remedy.remedy_type_compensation")
        cls.replacement = cls.env.ref("quality_complaint_remedy.remedy_type_replacement")
        cls.remedy_stage = cls.env.ref("quality_complaint.stage_complaint_remedy")

    # ------------------------------------------------------------ helpers
    def complaint(self):
        """A registered complaint of Carla's, the customer already contacted."""
        ticket = self.register(user_id=self.cs_user.id, impact_level="cosmetic")
        ticket.with_user(self.cs_user).action_contacted_customer()
        return ticket

    def execute(self, ticket, moment, lines=None):
        """Carry out remedy lines at ``moment``: Carla approves them and their
        documents are done. ``lines``: [(remedy type, extra values)]."""
        lines = lines or [(self.instructions, {})]
        version = ticket.qc_plan_version or 1
        # The documents are linked as their executors would (other concerns').
        links = [
            {name: extra.pop(name) for name in DOCUMENT_LINKS if name in extra}
            for _kind, extra in lines
        ]
        with freeze_time(moment):
            remedies = (
                self.env["quality.complaint.remedy"]
                .with_user(self.cs_user)
                .create(
                    [
                        {
                            "ticket_id": ticket.id,
                            "type_id": kind.id,
                            "name": kind.name,
                            **extra,
                        }
                        for kind, extra in lines
                    ]
                )
            )
            for remedy, link in zip(remedies, links, strict=True):
                if link:
                    remedy.sudo().write(link)
            if version > 1:
                remedies.sudo().plan_version = version
            remedies.action_approve()
            remedies._qc_document_done()
        return remedies

    def feedback_activities(self, ticket):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("quality_complaint_remedy.mail_activity_type_feedback").id,
                ),
            ]
        )

    def head_activities(self, ticket, summary):
        return ticket.activity_ids.filtered(
            lambda a: a.user_id == self.head and a.summary == summary
        )

    def send_result(self, ticket, moment):
        with freeze_time(moment):
            ticket.with_user(self.cs_user).action_qc_send_result()
        return ticket.message_ids.filtered(
            lambda m: m.message_type == "comment" and "what we did about" in (m.subject or "")
        )

    def record(self, ticket, outcome, note=False, moment=None):
        wizard_action = ticket.with_user(self.cs_user).action_qc_record_feedback()
        wizard = Form(
            self.env[wizard_action["res_model"]]
            .with_user(self.cs_user)
            .with_context(**wizard_action["context"])
        )
        wizard.outcome = outcome
        if note:
            wizard.note = note
        with freeze_time(moment or self.at(0, 11)):
            wizard.save().action_record()

    def flush_tracking(self):
        """Tracking is written when the transaction commits; tests say when."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    def customer_rates(self, ticket, rate, feedback=False):
        """The customer clicks a face in the result message and submits the
        rating page, as the public rating controller does (superuser)."""
        rating = ticket.sudo().rating_ids.filtered(lambda r: not r.consumed)
        self.assertEqual(len(rating), 1, "the result message carries a rating link")
        with freeze_time(self.at(1, 10)):
            ticket.sudo().rating_apply(rate, token=rating.access_token, feedback=feedback)


# Document links only executing a remedy sets.
DOCUMENT_LINKS = ("invoice_id", "picking_id")


@tagged("post_install", "-at_install")
class TestFeedback(FeedbackCase):
    """Customer service tells the customer what was done once the remedy plan is
    executed, within one working day of the complaint desk, and records whether
    they are satisfied."""

    # ------------------------------------------------------------ the deadline
    def test_result_due_next_working_day_over_the_weekend(self):
        ticket = self.complaint()
        self.assertEqual(ticket.qc_feedback_state, "none")
        self.execute(ticket, self.at(-3, 15))  # Friday 15:00
        self.assertEqual(ticket.qc_remedy_state, "executed")
        self.assertEqual(ticket.qc_feedback_state, "due")
        self.assertEqual(ticket.qc_feedback_deadline, self.at(0, 15), "Monday, same hour")
        self.assertEqual(ticket.qc_feedback_status, "on_track")
        activity = self.feedback_activities(ticket)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.cs_user, "customer service of the complaint")
        self.assertEqual(activity.date_deadline, self.monday.date())

    def test_result_due_after_a_public_holiday(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": self.at(0, 0),
                "date_to": self.at(0, 23, 59),
            }
        )
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        self.assertEqual(ticket.qc_feedback_deadline, self.at(1, 15), "Tuesday, same hour")
        self.assertEqual(self.feedback_activities(ticket).date_deadline, self.at(1, 0).date())

    def test_configured_days_and_team_leader_without_user(self):
        self.company.qc_feedback_days = 2
        self.team.user_id = self.supervisor
        ticket = self.complaint()
        ticket.user_id = False
        self.execute(ticket, self.at(0, 10))
        self.assertEqual(ticket.qc_feedback_deadline, self.at(2, 10), "two working days")
        self.assertEqual(self.feedback_activities(ticket).user_id, self.supervisor)

    def test_execution_told_twice_plans_once(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(0, 10))
        with freeze_time(self.at(0, 11)):
            ticket._qc_on_remedies_executed()
            ticket._qc_on_remedy_state_changed()
        self.assertEqual(ticket.qc_feedback_deadline, self.at(1, 10), "not moved")
        self.assertEqual(len(self.feedback_activities(ticket)), 1)
        self.assertEqual(len(ticket.sudo()._qc_deadlines("feedback")), 1)

    def test_cron_warns_then_escalates_once(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        Deadline = self.Deadline
        with freeze_time(self.at(0, 12)):
            self.assertEqual(Deadline._cron_check(), 0, "nothing due before 12:45")
        with freeze_time(self.at(0, 13)):
            Deadline._cron_check()
        self.assertEqual(ticket.qc_feedback_status, "at_risk")
        warnings = ticket.message_ids.filtered(lambda m: "Result message at risk" in (m.body or ""))
        self.assertEqual(len(warnings), 1)
        with freeze_time(self.at(0, 13, 5)):
            Deadline._cron_check()
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: "Result message at risk" in (m.body or ""))),
            1,
        )
        self.assertFalse(self.head_activities(ticket, LATE_SUMMARY))
        with freeze_time(self.at(0, 15, 30)):
            Deadline._cron_check()
        self.assertEqual(ticket.qc_feedback_status, "breached")
        late = self.head_activities(ticket, LATE_SUMMARY)
        self.assertEqual(len(late), 1, "the department head is told")
        with freeze_time(self.at(0, 16)):
            self.assertEqual(Deadline._cron_check(), 0, "the second run finds nothing")
        self.assertEqual(len(self.head_activities(ticket, LATE_SUMMARY)), 1)
        self.assertEqual(
            len(ticket.message_ids.filtered(lambda m: "Result message at risk" in (m.body or ""))),
            1,
        )

    def test_late_result_without_head_nor_manager_set_goes_to_a_quality_manager(self):
        """Neither a department head nor the quality manager is set: a quality
        manager of the company is told all the same, never nobody."""
        self.team.qc_department_head_id = False
        self.company.qc_quality_manager_id = False
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        with freeze_time(self.at(0, 15, 30)):
            self.Deadline._cron_check()
        late = ticket.activity_ids.filtered(lambda a: a.summary == LATE_SUMMARY)
        self.assertEqual(len(late), 1)
        self.assertTrue(late.user_id.has_group("quality_complaint.group_complaint_manager"))
        notes = ticket.message_ids.filtered(lambda m: "nobody is told" in (m.body or ""))
        self.assertFalse(notes)

    def test_late_result_goes_to_the_quality_manager_without_department_head(self):
        self.team.qc_department_head_id = False
        self.company.qc_quality_manager_id = self.manager
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        with freeze_time(self.at(0, 15, 30)):
            self.Deadline._cron_check()
        late = ticket.activity_ids.filtered(lambda a: a.summary == LATE_SUMMARY)
        self.assertEqual(late.user_id, self.manager)

    # ------------------------------------------------------------ the result
    def test_send_result_tells_the_documents_and_asks_for_a_rating(self):
        ticket = self.complaint()
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.alice.id,
                "invoice_line_ids": [
                    Command.create({"name": "Compensation", "quantity": 1, "price_unit": 50.0})
                ],
            }
        )
        credit_note.action_post()
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        picking = self.env["stock.picking"].create(
            {"picking_type_id": warehouse.out_type_id.id, "partner_id": self.alice.id}
        )
        # The remedies carried by these documents (their executors are other concerns').
        self.execute(
            ticket,
            self.at(-3, 15),
            [
                (self.compensation, {"amount": 50.0, "invoice_id": credit_note.id}),
                (
                    self.replacement,
                    {"product_id": self.kettle.id, "quantity": 1.0, "picking_id": picking.id},
                ),
            ],
        )
        messages = self.send_result(ticket, self.at(0, 10))
        self.assertEqual(len(messages), 1)
        body = messages.body
        self.assertIn(credit_note.name, body)
        self.assertIn(picking.name, body)
        self.assertIn(self.compensation.name, body)
        self.assertIn("satisfied", body)
        rating = ticket.sudo().rating_ids
        self.assertEqual(rating.partner_id, self.alice)
        self.assertIn(f"/rate/{rating.access_token}/1", body)
        self.assertIn(self.alice, messages.partner_ids, "sent to the customer")
        self.assertEqual(ticket.qc_feedback_state, "sent")
        self.assertEqual(ticket.qc_feedback_sent_date, self.at(0, 10))
        self.assertEqual(ticket.qc_feedback_status, "met")
        self.assertFalse(self.feedback_activities(ticket), "Carla's activity is done")
        with freeze_time(self.at(0, 16)):
            self.assertEqual(self.Deadline._cron_check(), 0)
        self.assertFalse(self.head_activities(ticket, LATE_SUMMARY), "sent in time: no escalation")

    def test_result_sent_late_is_breached(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        self.send_result(ticket, self.at(0, 16))
        self.assertEqual(ticket.qc_feedback_status, "breached")
        self.assertEqual(ticket.qc_feedback_state, "sent")

    def test_result_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.alice.lang = "fr_FR"
        template = self.env.ref("quality_complaint_remedy.mail_template_complaint_result")
        template.with_context(
            lang="fr_FR"
        ).subject = "{{ object.company_id.name }}: ce que nous avons fait pour {{ object.number }}"
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        with freeze_time(self.at(0, 10)):
            ticket.with_user(self.cs_user).action_qc_send_result()
        message = ticket.message_ids.filtered(
            lambda m: "ce que nous avons fait" in (m.subject or "")
        )
        self.assertEqual(len(message), 1, "the customer's language")

    # ------------------------------------------------------------ the answer
    def test_unhappy_rating_reopens_negotiation_with_a_revised_plan(self):
        ticket = self.complaint()
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        first_plan = ticket.remedy_ids
        self.assertTrue(first_plan)
        self.assertEqual(ticket.stage_id, self.remedy_stage)
        with freeze_time(self.at(-3, 15)):
            first_plan.with_user(self.cs_user).action_approve()
            first_plan._qc_document_done()
        self.assertEqual(ticket.qc_feedback_state, "due")
        # Somebody moved it on to the follow-up: the answer brings it back.
        followup = self.env.ref("quality_complaint.stage_complaint_followup")
        ticket.sudo().stage_id = followup
        self.flush_tracking()
        self.send_result(ticket, self.at(0, 10))
        self.customer_rates(ticket, 1, "It still leaks.")
        self.assertEqual(ticket.qc_feedback_state, "dissatisfied")
        self.assertEqual(ticket.qc_feedback_note, "It still leaks.")
        self.assertEqual(ticket.stage_id, self.remedy_stage, "back to negotiation")
        self.flush_tracking()
        tracked = ticket.message_ids.sudo().tracking_value_ids.filtered(
            lambda v: (
                v.field_id.name == "stage_id"
                and v.old_value_char == followup.name
                and v.new_value_char == self.remedy_stage.name
            )
        )
        self.assertTrue(tracked, "the move back is tracked")
        self.assertEqual(len(self.head_activities(ticket, DISSATISFIED_SUMMARY)), 1)
        self.assertEqual(ticket.qc_plan_version, 2)
        self.assertEqual(ticket.qc_remedy_state, "none", "a revised plan is to be proposed")
        # Nothing more to record until the revised plan is carried out.
        with self.assertRaisesRegex(UserError, "not satisfied"):
            ticket.with_user(self.cs_user).action_qc_send_result()

        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        revised = ticket.remedy_ids - first_plan
        self.assertTrue(revised)
        self.assertEqual(set(revised.mapped("plan_version")), {2})
        self.assertEqual(set(first_plan.mapped("plan_version")), {1}, "the first plan stays")
        self.assertEqual(set(first_plan.mapped("state")), {"executed"})
        with freeze_time(self.at(2, 10)):
            revised.with_user(self.cs_user).action_approve()
            revised._qc_document_done()
        self.assertEqual(ticket.qc_feedback_state, "due", "feedback starts again")
        self.assertEqual(ticket.qc_feedback_plan_version, 2)
        self.assertEqual(ticket.qc_feedback_deadline, self.at(3, 10))
        self.assertEqual(ticket.qc_feedback_status, "on_track")
        self.assertEqual(len(self.feedback_activities(ticket)), 1)
        messages = self.send_result(ticket, self.at(2, 15))
        self.assertEqual(len(messages), 2, "one result per plan")
        self.assertIn(revised[0].name, messages[0].body)

    def test_neutral_rating_counts_as_satisfied(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        self.send_result(ticket, self.at(0, 10))
        self.customer_rates(ticket, 3)
        self.assertEqual(ticket.qc_feedback_state, "satisfied")
        self.assertEqual(ticket.qc_feedback_date, self.at(1, 10))
        self.assertEqual(ticket.rating_last_value, 3)
        self.assertFalse(self.head_activities(ticket, DISSATISFIED_SUMMARY))

    def test_satisfied_after_a_call_without_e_mail(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        self.record(ticket, "satisfied", "Happy with the new kettle.", self.at(0, 11))
        self.assertEqual(ticket.qc_feedback_state, "satisfied")
        self.assertEqual(ticket.qc_feedback_status, "met", "the customer heard the result")
        self.assertFalse(self.feedback_activities(ticket))
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "Happy with the new kettle." in (m.body or ""))
        )
        with self.assertRaisesRegex(UserError, "already recorded"):
            ticket.with_user(self.cs_user).action_qc_record_feedback()

    def test_unreachable_after_the_configured_attempts(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        self.send_result(ticket, self.at(0, 10))
        self.record(ticket, "unreachable", "Voicemail.", self.at(1, 10))
        self.record(ticket, "unreachable", moment=self.at(2, 10))
        self.assertEqual(ticket.qc_feedback_attempts, 2)
        self.assertEqual(ticket.qc_feedback_state, "sent", "still awaiting the answer")
        self.record(ticket, "unreachable", moment=self.at(3, 10))
        self.assertEqual(ticket.qc_feedback_attempts, 3)
        self.assertEqual(ticket.qc_feedback_state, "unreachable")
        self.assertEqual(ticket.qc_feedback_date, self.at(3, 10))
        attempts = ticket.message_ids.filtered(lambda m: "could not be reached" in (m.body or ""))
        self.assertEqual(len(attempts), 3)
        with self.assertRaisesRegex(UserError, "already recorded"):
            ticket.with_user(self.cs_user)._qc_record_feedback("unreachable")
        self.assertEqual(ticket.qc_feedback_attempts, 3)

    # ------------------------------------------------------------ bad input
    def test_feedback_with_nothing_executed_is_refused(self):
        ticket = self.complaint()
        ticket.with_user(self.cs_user).action_propose_remedy_plan()
        messages = ticket.message_ids
        mine = ticket.with_user(self.cs_user)
        with self.assertRaisesRegex(UserError, "no remedy plan has been executed"):
            mine.action_qc_send_result()
        with self.assertRaisesRegex(UserError, "no remedy plan has been executed"):
            mine.action_qc_record_feedback()
        with self.assertRaisesRegex(UserError, "no remedy plan has been executed"):
            mine._qc_record_feedback("satisfied", "Fine.")
        self.assertEqual(ticket.qc_feedback_state, "none")
        self.assertFalse(ticket.qc_feedback_deadline_id)
        self.assertEqual(ticket.message_ids, messages, "nothing said")

    def test_feedback_fields_only_through_the_actions(self):
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        for vals in (
            {"qc_feedback_state": "satisfied"},
            {"qc_feedback_attempts": 3},
            {"qc_feedback_deadline_id": False},
        ):
            with self.assertRaisesRegex(AccessError, "cannot be set directly"):
                ticket.with_user(self.cs_user).write(vals)
        self.assertEqual(ticket.qc_feedback_state, "due")
        self.assertEqual(ticket.qc_feedback_attempts, 0)

    def test_settings_refuse_zero_days_and_attempts(self):
        Company = self.env["res.company"]
        with self.assertRaisesRegex(ValidationError, "at least one working day"):
            Company.create({"name": "No days", "qc_feedback_days": 0})
        with self.assertRaisesRegex(ValidationError, "At least one attempt"):
            Company.create({"name": "No attempts", "qc_feedback_max_attempts": 0})
        self.assertEqual(self.company.qc_feedback_days, 1, "one working day by default")
        self.assertEqual(self.company.qc_feedback_max_attempts, 3, "three attempts by default")


@tagged("post_install", "-at_install")
class TestFeedbackRatingPage(HttpCase, FeedbackCase):
    def test_customer_answers_on_odoos_rating_page(self):
        """The customer follows the 'not satisfied' link of the result message
        and submits Odoo's rating page, without logging in."""
        ticket = self.complaint()
        self.execute(ticket, self.at(-3, 15))
        body = self.send_result(ticket, self.at(0, 10)).body
        link = re.search(r'href="[^"]*(/rate/[^"/]+/1)"', body)
        self.assertTrue(link, "the message links to the rating page")
        page = self.url_open(link.group(1))
        self.assertEqual(page.status_code, 200)
        csrf = re.search(r'name="csrf_token"\s+value="([^"]+)"', page.text)
        self.assertTrue(csrf, "the rating page's form")
        token = link.group(1).split("/")[2]
        answer = self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": 1, "feedback": "It still leaks.", "csrf_token": csrf.group(1)},
        )
        self.assertEqual(answer.status_code, 200)
        ticket.invalidate_recordset()
        self.assertEqual(ticket.qc_feedback_state, "dissatisfied")
        self.assertEqual(ticket.qc_feedback_note, "It still leaks.")
        self.assertEqual(ticket.qc_plan_version, 2)
        self.assertEqual(len(self.head_activities(ticket, DISSATISFIED_SUMMARY)), 1)

from odoo.tests import tagged

from .common_portal import ComplaintPortalCase


@tagged("post_install", "-at_install")
class TestComplaintPortal(ComplaintPortalCase):
    """Paula follows her kettle complaint on the portal."""

    # ------------------------------------------------------------ tests
    def test_customer_sees_progress_promise_and_remedies_never_internal_values(self):
        ticket = self.register()
        self.assertEqual(ticket.grade_id, self.important)
        ticket.with_user(self.officer)._qc_override_grade(
            self.urgent, "Their buyer knows our CEO, keep them happy"
        )
        ticket.with_user(self.cs_user).message_post(
            body="Supplier batch 7 used the wrong seal glue",
            subtype_xmlid="mail.mt_note",
        )
        ticket.with_user(self.cs_user).message_post(
            body="We have booked the pick-up of your kettle for Tuesday.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=self.customer.ids,
        )
        instructions = self.add_remedy(ticket, self.instructions)
        compensation = self.add_remedy(ticket, self.compensation, amount=120.0)
        replacement = self.add_remedy(ticket, self.replacement, quantity=3)
        compensation.action_approve()
        instructions.action_execute()
        self.assertEqual(instructions.state, "executed")
        self.assertEqual(replacement.with_user(self.officer).cost, 112.35)

        page = self.page(ticket).text
        self.assertEqual(ticket.qc_portal_status, "remedy")
        self.assertIn("Remedy on its way", page)
        # The promise the acknowledgement made: the new grade's is not told yet.
        self.assertIn("4 hours (working hours)", page)
        self.assertNotIn("2 hours (working hours)", page)
        self.assertIn("Cosmetic-repair instructions", page)
        self.assertIn("Compensation", page)
        self.assertIn("Free replacement", page)
        self.assertIn("120.00", page, "the customer's own compensation amount")
        for label in ("Done", "Confirmed", "Proposed"):
            self.assertIn(label, page)
        self.assertTrue(instructions.customer_info)
        self.assertIn(instructions.customer_info, page, "what was sent, in the customer's words")
        for internal in (
            "112.35",
            "Rita Remedyowner",
            "Their buyer knows our CEO",
            "wrong seal glue",
            "Important",
            "Urgent",
        ):
            self.assertNotIn(internal, page)

        messages = self.portal_messages(ticket)
        self.assertIn("booked the pick-up of your kettle", messages)
        self.assertIn("has been received", messages, "the acknowledgement")
        self.assertNotIn("wrong seal glue", messages)
        self.assertNotIn("Their buyer knows our CEO", messages)

        # Once the new response time is announced, the page promises it.
        self.env["helpdesk.ticket"]._cron_send_customer_messages()
        self.assertIn("2 hours (working hours)", self.page(ticket).text)

    def test_progress_in_plain_words_follows_the_case(self):
        ticket = self.register()
        self.assertEqual(ticket.qc_portal_status, "received")
        self.assertIn("Your complaint: <strong>Received</strong>", self.page(ticket).text)
        ticket.with_user(self.officer).action_start_investigation()
        self.assertEqual(ticket.qc_portal_status, "investigating")
        self.assertIn("Being investigated", self.page(ticket).text)
        remedy = self.add_remedy(ticket, self.instructions)
        self.assertEqual(ticket.qc_portal_status, "remedy")
        self.execute(remedy)
        self.assertEqual(ticket.qc_portal_status, "remedy", "asked once the result is sent")
        self.result_sent(ticket)
        self.assertEqual(ticket.qc_portal_status, "feedback")
        self.assertIn("Awaiting your feedback", self.page(ticket).text)
        # Cancelled while the feedback was due (it cannot close before it is given).
        ticket._qc_cancel("The customer returned the kettle to the shop.")
        self.assertEqual(ticket.qc_portal_status, "closed")
        page = self.page(ticket).text
        self.assertIn("Your complaint: <strong>Closed</strong>", page)
        self.assertNotIn("o_qc_portal_feedback", page, "no question on a closed complaint")

    def test_another_customer_cannot_see_or_answer_the_complaint(self):
        ticket = self.feedback_due_complaint()
        self.authenticate("qc_portal_pete", "qc_portal_pete")
        response = self.url_open(f"/my/ticket/{ticket.id}")
        self.assertTrue(response.url.endswith("/my"), response.url)
        self.assertNotIn("Portal kettle leaks", response.text)
        self.assertNotIn("Awaiting your feedback", response.text)

        response = self.post(ticket, "qc_feedback", {"answer": "dissatisfied"})
        self.assertEqual(response.status_code, 404)
        response = self.post(
            ticket, "qc_evidence", {}, files={"evidence": ("photo.jpg", b"not mine")}
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(ticket.qc_feedback_state, "sent", "nothing recorded")
        self.assertFalse(ticket.attachment_ids, "nothing attached")

    def test_customer_answers_the_satisfaction_question_once(self):
        ticket = self.feedback_due_complaint()
        page = self.page(ticket).text
        self.assertIn("Are you satisfied with what we did?", page)

        response = self.post(ticket, "qc_feedback", {"answer": "maybe"})
        self.assertIn("Choose &#39;Satisfied&#39; or &#39;Not satisfied&#39;.", response.text)
        self.assertEqual(ticket.qc_feedback_state, "sent", "nothing recorded")

        response = self.post(
            ticket, "qc_feedback", {"answer": "dissatisfied", "comment": "Still <b>leaks</b>."}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you for your answer.", response.text)
        self.assertEqual(ticket.qc_feedback_state, "dissatisfied")
        self.assertTrue(ticket.qc_feedback_date)
        note = ticket.message_ids.filtered(lambda m: "Still" in (m.body or ""))
        self.assertEqual(len(note), 1, "the customer's comment is kept for the staff")
        self.assertIn("&lt;b&gt;leaks&lt;/b&gt;", note.body, "kept as the customer typed it")
        self.assertTrue(note.is_internal or note.subtype_id.internal)
        self.assertNotIn("Are you satisfied with what we did?", response.text)
        self.assertEqual(ticket.qc_portal_status, "remedy", "a revised plan follows")

        response = self.post(ticket, "qc_feedback", {"answer": "satisfied"})
        self.assertIn("There is no question to answer on this complaint now.", response.text)
        self.assertEqual(ticket.qc_feedback_state, "dissatisfied", "the answer stays")

    def test_answer_refused_when_nothing_is_due(self):
        ticket = self.register()
        self.assertEqual(ticket.qc_feedback_state, "none")
        self.assertNotIn("o_qc_portal_feedback", self.page(ticket).text)
        response = self.post(ticket, "qc_feedback", {"answer": "satisfied"})
        self.assertIn("There is no question to answer on this complaint now.", response.text)
        self.assertEqual(ticket.qc_feedback_state, "none")
        self.assertFalse(ticket.qc_feedback_date)

    def test_answer_from_the_link_of_an_email_without_logging_in(self):
        ticket = self.feedback_due_complaint()
        token = ticket.sudo()._portal_ensure_token()
        self.authenticate(None, None)
        response = self.post(ticket, "qc_feedback", {"answer": "satisfied", "access_token": "x"})
        self.assertEqual(response.status_code, 404, "a wrong token opens nothing")
        self.assertEqual(ticket.qc_feedback_state, "sent")
        response = self.post(ticket, "qc_feedback", {"answer": "satisfied", "access_token": token})
        self.assertIn(f"/my/ticket/{ticket.id}/{token}", response.url)
        self.assertIn("Thank you for your answer.", response.text)
        self.assertEqual(ticket.qc_feedback_state, "satisfied")

    def test_customer_adds_evidence_while_something_is_to_confirm(self):
        ticket = self.register()
        self.assertIn("No photo or video", ticket.registration_to_confirm)
        self.assertIn("Add evidence", self.page(ticket).text)

        response = self.post(
            ticket, "qc_evidence", {}, files={"evidence": ("leak.jpg", b"\xff\xd8\xff photo")}
        )
        self.assertIn("your files were added to the complaint", response.text)
        self.assertEqual(ticket.attachment_ids.mapped("name"), ["leak.jpg"])
        self.assertEqual(ticket.evidence_count, 1)
        self.assertNotIn("No photo or video", ticket.registration_to_confirm or "")
        message = ticket.message_ids.filtered(lambda m: ticket.attachment_ids <= m.attachment_ids)
        self.assertEqual(message.author_id, self.customer, "the staff sees who sent it")
        self.assertFalse(message.is_internal)

        response = self.post(ticket, "qc_evidence", {})
        self.assertIn("Choose a file to add.", response.text)
        svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
        self.post(ticket, "qc_evidence", {}, files={"evidence": ("trap.svg", svg)})
        trap = ticket.attachment_ids.filtered(lambda a: a.name == "trap.svg")
        self.assertEqual(trap.mimetype, "text/plain", "never rendered as a page")

        # Customer service confirmed the details: nothing is to confirm any more.
        ticket.with_user(self.cs_user).details_confirmed = True
        self.assertFalse(ticket.registration_to_confirm)
        self.assertNotIn("Add evidence", self.page(ticket).text)
        response = self.post(
            ticket, "qc_evidence", {}, files={"evidence": ("late.jpg", b"\xff\xd8\xff late")}
        )
        self.assertIn("Nothing is to be confirmed on this complaint any more.", response.text)
        self.assertNotIn("late.jpg", ticket.attachment_ids.mapped("name"))

    def test_portal_tour_customer_answers_satisfied(self):
        ticket = self.feedback_due_complaint()
        self.start_tour(
            f"/my/ticket/{ticket.id}", "quality_complaint_portal_tour", login="qc_portal_paula"
        )
        self.assertEqual(ticket.qc_feedback_state, "satisfied")
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "The marks are gone" in (m.body or "")),
            "the customer's word reaches the staff",
        )

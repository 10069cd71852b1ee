from odoo.tests import tagged

from .common_portal import ComplaintPortalCase


@tagged("post_install", "-at_install")
class TestPortalFeedbackAnswer(ComplaintPortalCase):
    """Paula is asked whether she is satisfied once the result was sent to her,
    and her own answer and comment stay on her page."""

    def executed_complaint(self):
        ticket = self.register()
        self.execute(self.add_remedy(ticket, self.instructions))
        self.assertEqual(ticket.qc_feedback_state, "due")
        return ticket

    def test_no_question_before_the_result_is_sent(self):
        ticket = self.executed_complaint()
        page = self.page(ticket).text
        self.assertNotIn("Are you satisfied with what we did?", page)
        self.assertIn('data-status="remedy"', page, "the remedy, not yet her feedback")
        response = self.post(ticket, "qc_feedback", {"answer": "satisfied"})
        self.assertIn("There is no question to answer on this complaint now.", response.text)
        self.assertEqual(ticket.qc_feedback_state, "due", "nothing recorded")

        self.result_sent(ticket)
        page = self.page(ticket).text
        self.assertIn("Are you satisfied with what we did?", page)
        self.assertIn('data-status="feedback"', page)

    def test_her_answer_and_comment_stay_visible_to_her(self):
        ticket = self.executed_complaint()
        self.result_sent(ticket)
        self.page(ticket)
        self.post(
            ticket,
            "qc_feedback",
            {"answer": "satisfied", "comment": "Clean again <b>thanks</b>.\nSecond line."},
        )
        self.assertEqual(ticket.qc_feedback_state, "satisfied")
        page = self.page(ticket).text
        self.assertNotIn("Are you satisfied with what we did?", page)
        self.assertIn("o_qc_portal_feedback_answer", page)
        self.assertIn("Your answer:", page)
        self.assertIn("Satisfied", page)
        self.assertIn("Clean again &lt;b&gt;thanks&lt;/b&gt;.", page, "as she typed it")
        self.assertIn("Second line.", page)

    def test_a_note_of_customer_service_is_not_shown_as_her_comment(self):
        ticket = self.executed_complaint()
        self.result_sent(ticket)
        ticket.with_user(self.cs_user)._qc_record_feedback(
            "dissatisfied", "Internal: she sounded angry, offer more."
        )
        page = self.page(ticket).text
        self.assertIn("Your answer:", page)
        self.assertIn("Not satisfied", page)
        self.assertNotIn("she sounded angry", page)

"""Texts the module writes, read in the reader's language (issue 20, Chinese)."""

from odoo.tests import tagged

from .common_sla import ComplaintGradingCase


class ReaderLanguageCase(ComplaintGradingCase):
    """Chinese as the demo database installs it: active, with the terms of every
    installed module (nothing is loaded here: the demo data did it)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zh_user = cls.supervisor
        cls.zh_user.lang = "zh_CN"
        cls.company.qc_batch_threshold = 100000


@tagged("post_install", "-at_install")
class TestReaderLanguage(ReaderLanguageCase):
    def test_grade_reason_read_in_each_readers_language(self):
        """An English and a Chinese user read the same complaint's grade reasons,
        each in their own language, whoever graded it."""
        ticket = self.register(impact_level="safety", qc_regulator_threat=True)
        english = ticket.with_user(self.cs_user).with_context(lang="en_US")
        chinese = ticket.with_user(self.zh_user).with_context(lang="zh_CN")
        self.assertIn("Safety hazard reported by the customer.", english.grade_reasons_display)
        self.assertIn("regulators or the media", english.grade_reasons_display)
        self.assertIn("客户报告的安全隐患。", chinese.grade_reasons_display)
        self.assertNotIn("Safety hazard", chinese.grade_reasons_display)
        self.assertNotIn("regulators", chinese.grade_reasons_display)
        self.assertIn(
            self.urgent.with_context(lang="zh_CN").name,
            chinese.grade_reasons_display,
            "the grade's name, in Chinese too",
        )

    def test_batch_reason_keeps_its_values_in_chinese(self):
        self.company.qc_batch_threshold = 3
        ticket = self.register(affected_qty=3)
        chinese = ticket.with_context(lang="zh_CN").grade_reasons_display
        self.assertIn("K1-A", chinese)
        self.assertNotIn("Batch defect", chinese)
        self.assertIn("Batch defect: 3 units affected on lot K1-A", ticket.grade_reasons_display)

    def test_contact_activity_of_a_chinese_assignee_is_chinese(self):
        """An English user registers; the Chinese assignee's activity (its
        summary and the grade reasons of its note) is in Chinese."""
        ticket = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .create(self.complaint_vals(impact_level="cosmetic"))
        )
        ticket.with_user(self.cs_user).action_register_complaint()
        self.assertEqual(ticket.user_id, self.zh_user)
        activity = self.contact_activities(ticket)
        self.assertIn("联系客户", activity.summary)
        self.assertNotIn("no urgent or important fact", str(activity.note))
        self.assertIn(self.general.with_context(lang="zh_CN").name, str(activity.note))

    def test_type_summary_in_the_assignees_language(self):
        """An activity planned without its own summary takes its type's, in the
        assignee's language, not the author's."""
        ticket = self.register(impact_level="cosmetic")
        activity = ticket.with_user(self.cs_user)._qc_schedule_activities(
            "quality_complaint.mail_activity_type_contact_customer",
            [(ticket, {"user_id": self.zh_user.id, "date_deadline": ticket.create_date.date()})],
        )
        self.assertEqual(activity.summary, "与投诉客户的首次联系")

    def test_override_note_in_the_company_language(self):
        """A chatter note written for everyone is in the company's language, not
        in the one of the officer who clicked."""
        ticket = self.register(impact_level="cosmetic")
        self.officer.lang = "zh_CN"
        ticket.with_user(self.officer)._qc_override_grade(self.urgent, "Hospital visit")
        note = ticket.message_ids.filtered(lambda m: "Hospital visit" in (m.body or ""))[:1]
        self.assertIn("Grade overridden to", note.body)
        self.company.partner_id.lang = "zh_CN"
        ticket.with_user(self.officer)._qc_override_grade(self.important, "Seen again")
        note = ticket.message_ids.filtered(lambda m: "Seen again" in (m.body or ""))[:1]
        self.assertNotIn("Grade overridden to", note.body)

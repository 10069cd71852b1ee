"""The notes the system writes for everyone on an investigation, a corrective
action, a lot: in the company's language, whoever clicked or ran the cron
(issue 20, Chinese; quality_complaint/lang.py)."""

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common_action import CorrectiveActionCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestNotesInTheCompanyLanguage(CorrectiveActionCase):
    """Zhang, a Chinese-speaking quality officer, works in a company whose partner
    speaks English; then the company itself is Chinese and the English officer
    (or the cron, in English) acts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.company.partner_id.lang = "en_US"
        cls.zhang = new_test_user(
            cls.env,
            login="qc_notes_zhang",
            name="Zhang Wei",
            lang="zh_CN",
            groups="quality_complaint.group_complaint_officer",
        )
        cls.Deadline = cls.env["quality.complaint.deadline"]
        # The demo complaints' clocks are someone else's business in these tests.
        cls.Deadline.search([("next_check", "!=", False)]).next_check = False

    def as_user(self, records, user):
        """``records`` as ``user`` would act in the web client: in their language."""
        return records.with_user(user).with_context(lang=user.lang)

    def note(self, record, *texts):
        """The body of the newest message of ``record`` holding one of ``texts``."""
        record.invalidate_recordset(["message_ids"])
        found = record.message_ids.filtered(lambda m: any(t in (m.body or "") for t in texts))
        self.assertTrue(found, f"a note saying {texts} on {record.display_name}")
        return str(found[:1].body)

    def done_action(self, **vals):
        action = self.open_action(**vals)
        action.action_done()
        return action

    def joined(self, user):
        """A complaint opens an investigation, a second one joins it as ``user``;
        the investigation is then approved. Returns (investigation, second)."""
        first = self.env["helpdesk.ticket"].create(self.complaint_vals())
        investigation = first._qc_open_or_join_investigation()
        second = self.env["helpdesk.ticket"].create(self.complaint_vals())
        self.assertEqual(self.as_user(second, user)._qc_open_or_join_investigation(), investigation)
        self.assertEqual(self.approved_investigation(first), investigation)
        return investigation, second

    def verify_effective(self, action, user):
        self.as_user(self.env["quality.complaint.action.verification"], user).create(
            {
                "action_id": action.id,
                "method": "production_records",
                "measure": "Incoming pass rate",
                "result": 99.2,
                "target": 98.0,
                "unit": "%",
                "verdict": "effective",
            }
        )

    def test_investigation_joined_and_closed_notes(self):
        """A complaint joins an investigation, its action is verified effective and
        the investigation closes: the notes are in the company's language."""
        investigation, second = self.joined(self.zhang)
        self.assertIn("joined the investigation", self.note(investigation, second.number))
        action = self.done_action(investigation_id=investigation.id)
        self.verify_effective(action, self.zhang)
        self.assertEqual(investigation.state, "closed")
        self.assertIn("Verified effective: Incoming pass rate", self.note(action, "99.2"))
        self.assertIn(
            "all its corrective actions are verified effective",
            self.note(investigation, action.name),
        )

        self.company.partner_id.lang = "zh_CN"
        investigation, third = self.joined(self.officer)
        joined = self.note(investigation, third.number)
        self.assertIn("已加入调查", joined)
        self.assertNotIn("joined the investigation", joined)
        action = self.done_action(investigation_id=investigation.id)
        self.verify_effective(action, self.officer)
        self.assertIn("已验证有效", self.note(action, "99.2"))
        closed = self.note(investigation, action.name)
        self.assertIn("已关闭", closed)
        self.assertNotIn("verified effective", closed)

    def test_cron_notes_of_a_late_verification(self):
        """The deadline cron warns of a verification at risk, then escalates it to a
        quality manager the company has not set: its notes are in the company's
        language, not the cron's."""
        self.company.qc_quality_manager_id = False
        english = self.done_action()
        english.sudo().user_id = False  # nobody to verify: the notes say so
        with freeze_time("2026-03-07 09:00:00"):
            self.Deadline.with_context(lang="zh_CN")._cron_check()
        with freeze_time("2026-03-10 09:00:00"):
            self.Deadline.with_context(lang="zh_CN")._cron_check()
        at_risk = self.note(english, "验证有风险", "Verification at risk")
        self.assertIn("Verification at risk: quality must verify by 2026-03-09", at_risk)
        escalated = self.note(english, "未通知任何人", "nobody is told")
        self.assertIn("is overdue (due by 2026-03-09), but nobody is told", escalated)

        self.company.partner_id.lang = "zh_CN"
        chinese = self.done_action()
        chinese.sudo().user_id = False
        with freeze_time("2026-03-07 09:00:00"):
            self.Deadline.with_context(lang="en_US")._cron_check()
        with freeze_time("2026-03-10 09:00:00"):
            self.Deadline.with_context(lang="en_US")._cron_check()
        at_risk = self.note(chinese, "验证有风险", "Verification at risk")
        self.assertIn("验证有风险", at_risk)
        escalated = self.note(chinese, "未通知任何人", "nobody is told")
        self.assertIn("未通知任何人", escalated)
        self.assertNotIn("nobody is told", escalated)

    def test_quality_manager_digest_in_the_managers_language(self):
        """The digest of the late verifications is the manager's: in Chinese for
        Zhang, whatever the company's or the cron's language."""
        self.env["ir.module.module"]._load_module_terms(["quality_complaint_action"], ["zh_CN"])
        self.company.qc_quality_manager_id = self.zhang
        action = self.done_action()
        with freeze_time("2026-03-10 09:00:00"):
            self.Deadline.with_context(lang="en_US")._cron_check()
        digest = self.env["mail.activity"].search(
            [
                ("user_id", "=", self.zhang.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "quality_complaint_action.mail_activity_type_verification_overdue"
                    ).id,
                ),
            ]
        )
        self.assertEqual(digest.summary, "\u903e\u671f\u7684\u9a8c\u8bc1\uff1a1")
        self.assertIn(action.name, digest.note)
        self.assertIn("\u5df2\u903e\u671f 1 \u5929", digest.note)
        self.assertNotIn("days late", digest.note)

    def test_lot_hold_note(self):
        """A containment puts the lot on hold: the lot's note is in the company's
        language, whoever opened the containment."""
        lot = self.lot_a
        action = self.new_action(
            user=self.zhang, kind="containment", lot_ids=[Command.set(lot.ids)]
        )
        self.as_user(action, self.zhang).action_open()
        self.assertIn("On quality hold: containment", self.note(lot, action.name))
        self.company.partner_id.lang = "zh_CN"
        other = self.new_action(kind="containment", lot_ids=[Command.set(lot.ids)])
        self.as_user(other, self.officer).action_open()
        self.assertNotIn("On quality hold", self.note(lot, other.name))

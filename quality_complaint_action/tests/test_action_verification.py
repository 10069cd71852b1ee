from contextlib import contextmanager
from datetime import date, datetime

from freezegun import freeze_time

from odoo.addons.quality_complaint.tests.common import other_company_user
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common_action import CorrectiveActionCase

DIALOG = "quality_complaint_action.quality_complaint_action_verification_view_form_dialog"
VERIFY_TYPE = "quality_complaint_action.mail_activity_type_action_verification"
REWORK_TYPE = "quality_complaint_action.mail_activity_type_action_rework"
OVERDUE_TYPE = "quality_complaint_action.mail_activity_type_verification_overdue"
AT_RISK = "Verification at risk"


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestActionVerification(CorrectiveActionCase):
    """Done on Monday 2 March 2026 at 09:00: verification due a week later."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.verifier = new_test_user(
            cls.env,
            login="qc_verifier",
            name="Vera Verifier",
            groups="quality_complaint.group_complaint_officer",
        )
        cls.company.qc_quality_manager_id = cls.manager
        cls.Deadline = cls.env["quality.complaint.deadline"]
        # The demo complaints' clocks are someone else's business in these tests.
        cls.Deadline.search([("next_check", "!=", False)]).next_check = False

    # ------------------------------------------------------------ helpers
    def investigation(self):
        investigation = self.approved_investigation()
        investigation.user_id = self.verifier
        return investigation

    def done_action(self, **vals):
        action = self.open_action(**vals)
        action.action_done()
        return action

    def verify(self, action, user=None, **values):
        """Fill the dialog of Verify as ``user`` (default the verifier) and save it."""
        user = user or self.verifier
        dialog = action.with_user(user).action_verify()
        Verification = (
            self.env[dialog["res_model"]].with_user(user).with_context(**dialog["context"])
        )
        form = Form(Verification, view=DIALOG)
        defaults = {
            "method": "production_records",
            "measure": "Incoming pass rate",
            "result": 99.2,
            "target": 98.0,
            "unit": "%",
            "verdict": "effective",
        }
        for name, value in {**defaults, **values}.items():
            setattr(form, name, value)
        return form.save()

    @contextmanager
    def refused(self, exception, pattern):
        """The error (a savepoint undoes what was written before it) says ``pattern``."""
        with self.assertRaises(exception) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def activities(self, action, xmlid=VERIFY_TYPE):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", action._name),
                ("res_id", "=", action.id),
                ("activity_type_id", "=", self.env.ref(xmlid).id),
            ]
        )

    def notes(self, record, text):
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    def digests(self, user=None):
        """The open digests of the overdue verifications (of ``user``)."""
        domain = [("activity_type_id", "=", self.env.ref(OVERDUE_TYPE).id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].search(domain)

    # ------------------------------------------------------------ tests
    def test_done_plans_the_verification_for_quality(self):
        action = self.done_action(investigation_id=self.investigation().id)
        self.assertEqual(action.verification_due, date(2026, 3, 9), "7 days after done")
        self.assertEqual(action.verification_status, "on_track")
        todo = self.activities(action)
        self.assertEqual(todo.user_id, self.verifier, "the investigation's owner verifies")
        self.assertEqual(todo.date_deadline, date(2026, 3, 9))
        # no investigation: the action's owner; nobody: the quality manager
        alone = self.done_action()
        self.assertEqual(self.activities(alone).user_id, self.officer)
        orphan = self.done_action()
        orphan.sudo().user_id = False
        orphan._qcv_start()
        self.assertEqual(self.activities(orphan).user_id, self.officer | self.manager)

    def test_the_company_sets_the_days(self):
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.qc_verification_days = 10
        settings.save().execute()
        self.assertEqual(self.company.qc_verification_days, 10)
        action = self.done_action()
        self.assertEqual(action.verification_due, date(2026, 3, 12))
        self.assertEqual(self.activities(action).date_deadline, date(2026, 3, 12))
        settings = Form(self.env["res.config.settings"].with_user(self.manager))
        settings.qc_verification_days = 0
        with self.refused(ValidationError, "verification must be due within at least"):
            settings.save()
        self.assertEqual(self.company.qc_verification_days, 10)

    def test_cron_warns_then_escalates_to_the_quality_manager_once(self):
        action = self.done_action(investigation_id=self.investigation().id)
        Deadline = self.Deadline
        with freeze_time("2026-03-06 09:00:00"):
            Deadline._cron_check()
        self.assertEqual(action.verification_status, "on_track")
        self.assertFalse(self.notes(action, AT_RISK))
        with freeze_time("2026-03-07 09:00:00"):
            Deadline._cron_check()
        self.assertEqual(action.verification_status, "at_risk")
        self.assertEqual(len(self.notes(action, AT_RISK)), 1, "quality is warned")
        reminder = self.activities(action).filtered(lambda a: a.summary.startswith("Reminder"))
        self.assertEqual(reminder.user_id, self.verifier)
        self.assertIn("by 2026-03-09", reminder.summary)
        with freeze_time("2026-03-07 10:00:00"):
            Deadline._cron_check()
        self.assertEqual(len(self.notes(action, AT_RISK)), 1, "warned once")
        with freeze_time("2026-03-09 10:00:00"):
            Deadline._cron_check()
            self.assertTrue(action.verification_overdue)
            self.assertEqual(
                self.env["quality.complaint.action"].search(
                    [("verification_overdue", "=", True), ("id", "=", action.id)]
                ),
                action,
                "the filter Verification Overdue finds it",
            )
        self.assertEqual(action.verification_status, "breached")
        with freeze_time("2026-03-09 11:00:00"):
            Deadline._cron_check()
        with freeze_time("2026-03-10 09:00:00"):
            Deadline._cron_check()
        escalated = self.digests()
        self.assertEqual(len(escalated), 1, "the quality manager is told once")
        self.assertEqual(escalated.user_id, self.manager)
        self.assertEqual(escalated.summary, "Verifications overdue: 1")
        self.assertIn(action.name, escalated.note)
        self.assertFalse(self.activities(action).filtered(lambda a: a.user_id == self.manager))
        # verified late: every verification activity is done, the digest too
        with freeze_time("2026-03-10 10:00:00"):
            self.verify(action)
            self.env["quality.complaint.action"]._qcv_overdue_digest()  # its cron, triggered
        self.assertFalse(self.activities(action))
        self.assertFalse(self.digests())
        self.assertEqual(action.verification_status, "breached")

    def test_effective_closes_the_action_then_the_investigation(self):
        investigation = self.investigation()
        first = self.done_action(investigation_id=investigation.id)
        second = self.done_action(investigation_id=investigation.id, title="Audit the supplier")
        cancelled = self.open_action(investigation_id=investigation.id, title="Not needed")
        cancelled.action_cancel()
        with freeze_time("2026-03-05 15:00:00"):
            verification = self.verify(first)
        self.assertEqual(first.state, "effective")
        self.assertEqual(first.date_closed, datetime(2026, 3, 5, 15, 0))
        self.assertEqual(first.last_verdict, "effective")
        self.assertEqual(first.verification_status, "met")
        self.assertEqual(verification.user_id, self.verifier)
        self.assertTrue(verification.target_met)
        self.assertFalse(self.activities(first))
        self.assertTrue(self.notes(first, "Verified effective: Incoming pass rate 99.2 %"))
        self.assertEqual(investigation.state, "approved", "another action is still done")
        self.verify(
            second,
            method="audit",
            measure="Major findings",
            result=0,
            target=0,
            unit=False,
            higher_is_better=False,
        )
        self.assertEqual(second.state, "effective")
        self.assertEqual(investigation.state, "closed", "its last action is effective")
        self.assertTrue(self.notes(investigation, "all its corrective actions are verified"))

    def test_effective_needs_the_target_met(self):
        action = self.done_action()
        with self.refused(ValidationError, "does not meet the target"):
            self.verify(action, result=96.5)
        self.assertEqual(action.state, "done")
        self.assertFalse(action.verification_ids)
        self.assertEqual(len(self.activities(action)), 1, "still to verify")

    def test_not_effective_sends_the_action_back_to_its_owner(self):
        investigation = self.investigation()
        action = self.done_action(investigation_id=investigation.id)
        Verification = self.env["quality.complaint.action.verification"].with_user(self.verifier)
        with self.refused(ValidationError, "Give the reason"):
            Verification.create(
                {"action_id": action.id, "measure": "Pass rate", "verdict": "not_effective"}
            )
        self.assertEqual(action.state, "done")
        reason = "Still 91 %: the supplier did not change its sampling plan"
        with freeze_time("2026-03-05 15:00:00"):
            self.verify(action, result=91, verdict="not_effective", notes=reason)
            self.assertEqual(action.state, "reopened")
            self.assertEqual(action.last_verdict, "not_effective")
            self.assertTrue(self.notes(action, "Reopened: not effective"))
            self.assertTrue(self.notes(action, reason))
            rework = self.activities(action, REWORK_TYPE)
            self.assertEqual(rework.user_id, self.officer, "the owner acts again")
            self.assertEqual(rework.date_deadline, date(2026, 3, 19), "as long as the first time")
            self.assertIn(reason, str(rework.note))
            self.assertEqual(action.date_deadline, date(2026, 3, 19))
            self.assertFalse(self.activities(action), "quality's activity is done")
            self.assertEqual(action.verification_status, "met", "verified in time")
            self.assertEqual(investigation.state, "approved")
        with freeze_time("2026-03-16 09:00:00"):
            action.action_done()
            self.assertEqual(action.verification_due, date(2026, 3, 23), "a new week")
            self.assertFalse(self.activities(action, REWORK_TYPE), "acted again")
            self.verify(action)
        self.assertEqual(investigation.state, "closed")
        self.assertEqual(len(action.verification_ids), 2, "the history is kept")

    def test_reopened_action_reopens_its_closed_investigation(self):
        investigation = self.investigation()
        action = self.done_action(investigation_id=investigation.id)
        self.verify(action)
        self.assertEqual(investigation.state, "closed")
        # a complaint came back (recurrence): the action is reopened
        action.with_user(self.officer)._qca_reopen("The leak came back on lot K1-B")
        self.assertEqual(investigation.state, "approved")
        self.assertTrue(self.notes(investigation, "The leak came back on lot K1-B"))
        action.action_done()
        self.verify(action)
        self.assertEqual(investigation.state, "closed")
        # a new action on a closed investigation reopens it too
        self.open_action(investigation_id=investigation.id, title="Train the line")
        self.assertEqual(investigation.state, "approved")

    def test_only_a_done_action_is_verified(self):
        action = self.open_action()
        with self.refused(UserError, "is not done: only a done action"):
            action.with_user(self.verifier).action_verify()
        with self.refused(UserError, "is not done"):
            self.env["quality.complaint.action.verification"].with_user(self.verifier).create(
                {"action_id": action.id, "measure": "Pass rate", "verdict": "effective"}
            )
        self.assertEqual(action.state, "open")
        self.assertFalse(action.verification_ids)
        self.assertFalse(action.verification_due)

    def test_customer_service_reads_but_does_not_verify(self):
        action = self.done_action(partner_id=self.vendor.id)
        internal = self.done_action(title="Train the line")
        with self.refused(UserError, "Only quality officers verify"):
            action.with_user(self.cs_user).action_verify()
        with self.refused(UserError, "Only quality officers verify"):
            self.env["quality.complaint.action.verification"].with_user(self.cs_user).create(
                {"action_id": action.id, "measure": "Pass rate", "verdict": "effective"}
            )
        self.assertEqual(action.state, "done")
        verifications = self.verify(action) | self.verify(internal)
        Verification = self.env["quality.complaint.action.verification"]
        domain = [("id", "in", verifications.ids)]
        self.assertEqual(Verification.with_user(self.cs_user).search(domain), verifications)
        self.assertEqual(
            Verification.with_user(self.buyer).search(domain),
            action.verification_ids,
            "purchasing reads those of the supplier actions",
        )
        stranger, _company = other_company_user(
            self.env, "qc_verifier_other", "quality_complaint.group_complaint_officer"
        )
        self.assertFalse(Verification.with_user(stranger).search(domain))

    def test_verifications_are_history(self):
        action = self.done_action()
        verification = self.verify(action, notes="Checked 3 weeks of incoming lots")
        with self.refused(UserError, "not edited"):
            verification.with_user(self.verifier).write({"result": 100})
        with self.refused(UserError, "only a quality manager deletes"):
            verification.with_user(self.verifier).unlink()
        verification.with_user(self.manager).write({"notes": "Checked 4 weeks of incoming lots"})
        self.assertEqual(verification.notes, "Checked 4 weeks of incoming lots")
        with self.refused(UserError, "verdict of a verification"):
            verification.with_user(self.manager).write({"verdict": "not_effective"})
        self.assertEqual((verification.verdict, action.state), ("effective", "effective"))

    def test_cancelled_action_is_no_longer_verified(self):
        action = self.done_action()
        action.action_cancel()
        self.assertFalse(self.activities(action), "quality's activity is removed")
        self.assertFalse(action.verification_due)
        with freeze_time("2026-03-10 09:00:00"):
            self.Deadline._cron_check()
        self.assertFalse(self.activities(action), "nobody is told")
        self.assertFalse(self.digests(), "nobody is told")

    def test_quality_manager_digest_lists_every_late_verification(self):
        """One activity for the quality manager lists the late verifications,
        updated in place by the next run, cleared once none is late."""
        first = self.done_action(title="Sample gaskets")
        second = self.done_action(title="Gauge calibration", user_id=self.verifier.id)
        with freeze_time("2026-03-04 09:00:00"):
            third = self.done_action(title="Press interlock")
        with freeze_time("2026-03-10 09:00:00"):
            self.Deadline._cron_check()
        digest = self.digests()
        self.assertEqual(digest.user_id, self.manager, "one activity, the manager's")
        self.assertEqual(digest.summary, "Verifications overdue: 2")
        self.assertIn(digest.res_id, (first | second).ids, "on one of the late actions")
        for action in first | second:
            self.assertIn(f'href="/odoo/quality.complaint.action/{action.id}"', digest.note)
        self.assertIn("Vera Verifier, due by 2026-03-09, 1 days late", digest.note)
        self.assertNotIn(third.name, digest.note, "not late yet")
        self.assertFalse(self.activities(first).filtered(lambda a: a.user_id == self.manager))

        with freeze_time("2026-03-12 09:00:00"):
            self.Deadline._cron_check()
        self.assertEqual(self.digests(), digest, "updated in place, no second activity")
        self.assertEqual(digest.summary, "Verifications overdue: 3")
        self.assertIn(third.name, digest.note)
        self.assertIn("due by 2026-03-09, 3 days late", digest.note)

        cron = self.env.ref("quality_complaint_action.ir_cron_verification_digest")
        with freeze_time("2026-03-12 10:00:00"):
            self.verify(first)
            self.assertIn(first.name, digest.note, "the verification does not write it")
            self.assertTrue(
                self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)]),
                "its cron is triggered",
            )
            self.env["quality.complaint.action"]._qcv_overdue_digest()  # what it runs
            self.assertNotIn(first.name, digest.note)
            self.assertEqual(digest.summary, "Verifications overdue: 2")
            second.action_cancel()
            self.verify(third)
            self.env["quality.complaint.action"]._qcv_overdue_digest()
        self.assertFalse(self.digests(), "nothing late: the digest is done")
        cleared = self.env["mail.message"].search(
            [
                ("model", "=", third._name),
                ("res_id", "in", (first | second | third).ids),
                ("body", "ilike", "No verification is overdue any more."),
            ]
        )
        self.assertEqual(len(cleared), 1)

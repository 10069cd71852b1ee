"""Overdue supplier answers: the purchasing managers' digest, one activity per
manager kept up to date, whatever the backlog (issue 22)."""

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .common_supplier import SupplierActionCase

CLEARED = "No supplier answer is overdue any more."


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestOverdueDigest(SupplierActionCase):
    """Sam (Kettle Parts Ltd) lets two requests go overdue on 9 March, Sue (Seal
    Works) one on 12 March; purchasing has no purchasing manager set: every
    purchase manager of the company gets the digest."""

    def setUp(self):
        super().setUp()
        self.Deadline = self.env["quality.complaint.deadline"]
        self.company.qc_purchase_manager_id = False
        self.managers = self.Action._qca_purchase_managers_of(self.company)
        self.first = self.requested_action(title="Gasket thickness")
        self.second = self.requested_action(title="Gasket hardness")
        with freeze_time("2026-03-05 09:00:00"):
            self.sues = self.requested_action(partner_id=self.vendor_two.id, title="Seal hardness")

    def run_cron(self, moment):
        with freeze_time(moment):
            return self.Deadline._cron_check()

    def test_one_digest_per_manager_kept_up_to_date(self):
        self.assertIn(self.purchase_manager, self.managers)
        self.run_cron("2026-03-11 10:00:00")
        digests = self.overdue_digests()
        self.assertEqual(digests.user_id, self.managers, "one digest per purchase manager")
        self.assertEqual(len(digests), len(self.managers))
        digest = self.overdue_digests(self.purchase_manager)
        self.assertEqual(digest.res_id, self.first.id, "on the oldest overdue request")
        self.assertEqual(digest.summary, "Supplier answers overdue: 2")
        for action in self.first | self.second:
            self.assertIn(f'href="/odoo/quality.complaint.action/{action.id}"', digest.note)
            self.assertIn(action.name, digest.note)
        self.assertIn("Kettle Parts Ltd, due on 2026-03-09, 2 days late", digest.note)
        self.assertNotIn(self.sues.name, digest.note, "not overdue yet")
        self.assertEqual(digest.date_deadline, fields.Date.to_date("2026-03-11"))

        # The next run lists Sue's request in the same activity: no second one.
        self.run_cron("2026-03-13 10:00:00")
        self.assertEqual(self.overdue_digests(), digests, "updated in place")
        self.assertEqual(digest.summary, "Supplier answers overdue: 3")
        self.assertIn(self.sues.name, digest.note)
        self.assertIn("Seal Works, due on 2026-03-12, 1 days late", digest.note)
        self.assertIn("Kettle Parts Ltd, due on 2026-03-09, 4 days late", digest.note)
        self.assertLess(digest.note.index(self.first.name), digest.note.index(self.sues.name))
        self.assertEqual(digest.date_deadline, fields.Date.to_date("2026-03-11"), "kept")

        # An answer comes in: its cron takes it out of the digest (not the
        # supplier's transaction), which moves to the oldest request still awaited.
        with freeze_time("2026-03-13 11:00:00"):
            self.answer(self.first)
            self.assertIn(self.first.name, digest.note, "not written by the answer")
            self.refresh_digests()
        self.assertEqual(self.overdue_digests(), digests)
        self.assertNotIn(self.first.name, digest.note)
        self.assertEqual(digest.summary, "Supplier answers overdue: 2")
        self.assertEqual(digest.res_id, self.second.id)

        # Sue's request is cancelled, Sam answers the last one: nothing is
        # overdue, the digests are done, their carrier's chatter says so.
        with freeze_time("2026-03-13 12:00:00"):
            self.sues.with_user(self.officer).action_cancel()
            self.refresh_digests()
            self.assertEqual(self.overdue_digests(), digests)
            self.answer(self.second)
            self.refresh_digests()
        self.assertFalse(self.overdue_digests())
        done = self.second.message_ids.filtered(lambda m: CLEARED in (m.body or ""))
        self.assertEqual(len(done), len(self.managers))

    def test_digest_in_the_managers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["quality_complaint_purchase"], ["zh_CN"])
        self.purchase_manager.lang = "zh_CN"
        others = self.managers - self.purchase_manager
        others.lang = "en_US"
        self.run_cron("2026-03-13 10:00:00")
        digest = self.overdue_digests(self.purchase_manager)
        self.assertEqual(digest.summary, "逾期的供应商答复\uff1a3")
        self.assertIn("截至 2026-03-13", digest.note)
        self.assertIn("Kettle Parts Ltd\uff0c应于 2026-03-09 答复\uff0c已逾期 4 天", digest.note)
        for other in self.overdue_digests() - digest:
            self.assertEqual(
                other.summary, "Supplier answers overdue: 3", "the others read English"
            )

    def late_requests(self, count):
        """``count`` requests to Sam sent now, in one batch."""
        actions = self.Action.create(
            [
                {
                    "title": f"Backlog {index}",
                    "kind": "corrective",
                    "user_id": self.officer.id,
                    "partner_id": self.vendor.id,
                    "date_deadline": fields.Date.add(fields.Date.today(), days=30),
                }
                for index in range(count)
            ]
        )
        actions.action_open()
        actions.with_user(self.buyer).action_send_supplier_request()
        return actions

    def queries_of_run(self, moment):
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.run_cron(moment)
        self.env.flush_all()
        return self.env.cr.sql_log_count - before

    def test_cost_of_a_run_does_not_grow_with_the_backlog(self):
        """A run with 50 newly overdue answers costs the queries of a run with 10:
        one digest updated, one batch of notes, one reminder."""
        with freeze_time("2026-03-06 09:00:00"):
            fifty = self.late_requests(50)
        with freeze_time("2026-03-07 09:00:00"):
            ten = self.late_requests(10)
        self.run_cron("2026-03-12 10:00:00")  # the setUp's requests: the digest exists
        with_fifty = self.queries_of_run("2026-03-13 10:00:00")
        with_ten = self.queries_of_run("2026-03-14 10:00:00")
        digest = self.overdue_digests(self.purchase_manager)
        self.assertEqual(len(digest), 1)
        self.assertEqual(digest.summary, "Supplier answers overdue: 63")
        for action in fifty | ten:
            self.assertIn(action.name, digest.note)
        self.assertLessEqual(abs(with_fifty - with_ten), 5, (with_fifty, with_ten))

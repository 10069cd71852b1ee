"""The supplier's answer and purchasing's review at the same moment: one consistent
outcome, no answer written over, and the other one told so at once."""

from odoo import fields
from odoo.addons.quality_complaint.tests.common_concurrency import ConcurrencyCase
from odoo.addons.quality_complaint_purchase.models.quality_complaint_action import (
    REVIEW_ACTIVITY,
)
from odoo.exceptions import UserError
from odoo.tests import tagged

SUPPLIER_BUSY = "An answer to"
BUYER_BUSY = "the supplier is answering, or someone else is sending or reviewing"


@tagged("post_install", "-at_install")
class TestSupplierConcurrency(ConcurrencyCase):
    """Requests to Shenzhen Precision (Li Wei answers on the portal, perhaps from
    two tabs) reviewed by Noah Patel (purchasing) and Oliver Wright (quality)."""

    @classmethod
    def prepare(cls, env):
        cls.li_wei = env.ref("quality_complaint_purchase.demo_user_portal_supplier").id
        cls.noah = env.ref("quality_complaint.demo_user_purchaser").id
        cls.oliver = env.ref("quality_complaint.demo_user_officer").id
        cls.supplier = env.ref("quality_complaint.demo_partner_supplier").id
        cls.action_ids = []

    @classmethod
    def cleanup(cls, env):
        actions = env["quality.complaint.action"].browse(getattr(cls, "action_ids", [])).exists()
        actions.write({"state": "draft"})
        actions.unlink()

    def requested_action(self, answered=None):
        """A request sent to the supplier by Noah, committed; ``answered``: the
        supplier's first answer, given."""

        def make(env):
            action = env["quality.complaint.action"].create(
                {
                    "title": "Race: gasket thickness",
                    "kind": "corrective",
                    "user_id": self.noah,
                    "partner_id": self.supplier,
                    "date_deadline": fields.Date.add(fields.Date.today(), days=14),
                }
            )
            self.action_ids.append(action.id)
            action.action_open()
            action.with_user(self.noah).action_send_supplier_request()
            if answered:
                action.with_user(self.li_wei).sudo()._qca_supplier_answer(answered)
            return action.id

        return self.committed(make)

    def answer(self, root_cause):
        return {
            "root_cause": root_cause,
            "corrective_action": f"Fixed: {root_cause}",
            "containment_done": True,
            "containment_note": "Stock sorted.",
        }

    def supplier_side(self, action_id, values):
        """Li Wei's portal page of the request, then Submit (the portal calls the
        answer as superuser once it checked the access)."""

        def read(env):
            action = env["quality.complaint.action"].browse(action_id)
            action.sudo().read(["supplier_state", "state", "supplier_contact_id"])
            return action.sudo()

        return (self.li_wei, read, lambda action: action._qca_supplier_answer(values))

    def buyer_side(self, uid, action_id, act):
        def read(env):
            action = env["quality.complaint.action"].browse(action_id)
            action.read(["supplier_state", "supplier_root_cause"])
            return action

        return (uid, read, act)

    def facts(self, action_id):
        def read(env):
            action = env["quality.complaint.action"].browse(action_id)
            answers = action.message_ids.filtered(
                lambda m: "The supplier answered" in (m.body or "")
            )
            reviews = env["mail.activity"].search_count(
                [
                    ("res_model", "=", action._name),
                    ("res_id", "=", action_id),
                    ("activity_type_id", "=", env.ref(REVIEW_ACTIVITY).id),
                ]
            )
            rejections = action.message_ids.filtered(
                lambda m: m.message_type == "comment" and "is not accepted" in (m.subject or "")
            )
            return {
                "state": action.supplier_state,
                "root_cause": action.supplier_root_cause,
                "corrective": action.supplier_corrective_action,
                "reviewer": action.supplier_reviewed_by_id.id,
                "answers": len(answers),
                "open_reviews": reviews,
                "rejection_mails": len(rejections),
                "clock_done": bool(action.supplier_deadline_id.done_date),
            }

        return self.committed(read)

    def assert_told(self, outcome, text):
        self.assertIsInstance(outcome.error, UserError, f"a clear message, not {outcome!r}")
        self.assertIn(text, str(outcome.error))

    def test_two_answers_at_once_keep_one_whole(self):
        action_id = self.requested_action()
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.supplier_side(action_id, self.answer("night shift skipped the test")),
                self.supplier_side(action_id, self.answer("gauge out of calibration")),
            )
        self.assertIsNone(first.error)
        self.assert_told(second, SUPPLIER_BUSY)
        facts = self.facts(action_id)
        self.assertEqual(facts["state"], "answered")
        self.assertEqual(
            (facts["root_cause"], facts["corrective"]),
            ("night shift skipped the test", "Fixed: night shift skipped the test"),
            "the first answer, whole",
        )
        self.assertEqual((facts["answers"], facts["open_reviews"]), (1, 1))
        self.assertTrue(facts["clock_done"])

    def test_an_answer_on_a_page_read_before_the_other_answer_is_refused(self):
        """The other tab's answer is in; this one was read before: refused, not
        written over it."""
        action_id = self.requested_action()
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.supplier_side(action_id, self.answer("night shift skipped the test")),
                self.supplier_side(action_id, self.answer("gauge out of calibration")),
                hold=False,
            )
        self.assertIsNone(first.error)
        self.assert_told(second, SUPPLIER_BUSY)
        facts = self.facts(action_id)
        self.assertEqual(facts["root_cause"], "night shift skipped the test")
        self.assertEqual(facts["answers"], 1)

    def test_rejection_racing_an_acceptance(self):
        action_id = self.requested_action(answered=self.answer("night shift skipped the test"))
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.buyer_side(
                    self.noah,
                    action_id,
                    lambda action: action._qca_supplier_reject("Give the test records."),
                ),
                self.buyer_side(
                    self.oliver, action_id, lambda action: action.action_accept_supplier_answer()
                ),
            )
        self.assertIsNone(first.error)
        self.assert_told(second, BUYER_BUSY)
        facts = self.facts(action_id)
        self.assertEqual((facts["state"], facts["reviewer"]), ("rejected", self.noah))
        self.assertEqual(facts["rejection_mails"], 1, "the supplier is told once")
        self.assertEqual(facts["open_reviews"], 0)
        self.assertFalse(facts["clock_done"], "a new answer is awaited")
        self.assertEqual(facts["root_cause"], "night shift skipped the test", "kept")

    def test_answer_racing_the_rejection_of_a_previous_one(self):
        """After a rejection the supplier answers anew while a second buyer, on a page
        read before, rejects the first answer again: the new answer stands."""
        action_id = self.requested_action(answered=self.answer("night shift skipped the test"))
        with self.assertNoLogs(level="ERROR"):
            first, second = self.race(
                self.buyer_side(
                    self.noah,
                    action_id,
                    lambda action: action._qca_supplier_reject("Give the test records."),
                ),
                self.buyer_side(
                    self.oliver,
                    action_id,
                    lambda action: action._qca_supplier_reject("Not convincing."),
                ),
                hold=False,
            )
        self.assertIsNone(first.error)
        self.assert_told(second, BUYER_BUSY)
        self.committed(
            lambda env: (
                env["quality.complaint.action"]
                .browse(action_id)
                .sudo()
                ._qca_supplier_answer(self.answer("test records attached"))
            ),
            uid=self.li_wei,
        )
        facts = self.facts(action_id)
        self.assertEqual(
            (facts["state"], facts["root_cause"]), ("answered", "test records attached")
        )
        self.assertEqual(facts["rejection_mails"], 1, "rejected once")
        self.assertEqual(facts["answers"], 2)

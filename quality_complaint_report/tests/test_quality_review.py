import io
from datetime import date, timedelta

import openpyxl
from freezegun import freeze_time

from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common import other_company_user
from odoo.addons.quality_complaint_action.tests.common_action import CorrectiveActionCase
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import SQL

from ..models.quality_review import PREPARE_ACTIVITY


@tagged("post_install", "-at_install")
class TestQualityReview(CorrectiveActionCase):
    """The monthly quality review of the kettle company, on a desk open Monday to
    Friday (UTC); Mia Manager chairs it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Review = cls.env["quality.complaint.review"]
        # The demo's review of last month is another story (a closed review cannot
        # be deleted through the ORM): these tests hold their own reviews.
        cls.env.cr.execute(
            SQL("DELETE FROM quality_complaint_review WHERE company_id = %s", cls.company.id)
        )
        cls.env.invalidate_all()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Review desk",
                "tz": "UTC",
                "company_id": cls.company.id,
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 18,
                            "day_period": "full_day",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        cls.company.qc_calendar_id = cls.calendar
        cls.company.qc_quality_manager_id = cls.manager
        cls.head = new_test_user(
            cls.env,
            login="qc_review_head",
            name="Hugo Head",
            groups="quality_complaint.group_complaint_officer",
        )
        cls.team.qc_department_head_id = cls.head
        # An urgent complaint (safety hazard), still open.
        cls.urgent_ticket = cls.env["helpdesk.ticket"].create(
            cls.complaint_vals(cls, impact_level="safety", user_id=False)
        )
        cls.urgent_ticket.action_register_complaint()
        # An action due on 20 November, still open on the review day.
        with freeze_time("2026-11-10 10:00:00"):
            cls.late_action = cls.Action.with_user(cls.officer).create(
                {
                    "title": "Re-train the assembly line on gasket fitting",
                    "kind": "corrective",
                    "user_id": cls.officer.id,
                    "date_deadline": date(2026, 11, 20),
                }
            )
            cls.late_action.action_open()

    def reviews(self, date_from):
        return self.Review.search(
            [("company_id", "=", self.company.id), ("date_from", "=", date_from)]
        )

    def chair_activities(self, review):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", review._name),
                ("res_id", "in", review.ids),
                ("activity_type_id", "=", self.env.ref(PREPARE_ACTIVITY).id),
            ]
        )

    def run_cron(self, moment):
        with freeze_time(moment):
            self.Review._cron_prepare_monthly_review()

    def test_cron_prepares_last_month_once_on_the_first_working_day(self):
        # Tuesday 1 December 2026 is the first working day of the month.
        self.run_cron("2026-12-01 07:00:00")
        review = self.reviews(date(2026, 11, 1))
        self.assertEqual(len(review), 1)
        self.assertEqual(review.name, "Quality review - November 2026")
        self.assertEqual(review.date_to, date(2026, 11, 30))
        self.assertEqual(review.date_meeting, date(2026, 12, 1))
        self.assertEqual(review.state, "prepared")
        self.assertEqual(review.chair_id, self.manager)
        self.assertLessEqual(
            self.manager | self.purchase_manager | self.head,
            review.attendee_ids,
            "the quality manager, the purchasing manager and the team's head attend",
        )
        urgent = review.item_ids.filtered(lambda i: i.ticket_id == self.urgent_ticket)
        self.assertEqual(urgent.kind, "urgent_open")
        late = review.item_ids.filtered(lambda i: i.action_id == self.late_action)
        self.assertEqual(late.kind, "action_overdue")
        self.assertIn("2026-11-20", late.description)
        activity = self.chair_activities(review)
        self.assertEqual(activity.user_id, self.manager)
        self.assertEqual(activity.date_deadline, date(2026, 12, 1))
        self.assertTrue(
            review.message_ids.filtered(lambda m: "agenda items" in str(m.body)),
            "the preparation is told in the chatter",
        )
        pack = review.pack_attachment_id
        self.assertTrue(pack.name.endswith(".xlsx"))
        self.assertEqual((pack.res_model, pack.res_id), (review._name, review.id))
        self.assertTrue(openpyxl.load_workbook(io.BytesIO(pack.raw)).sheetnames)

        # The cron runs again the same day (a retry, a second worker): nothing new.
        self.run_cron("2026-12-01 15:00:00")
        self.assertEqual(self.reviews(date(2026, 11, 1)), review)
        self.assertEqual(len(self.chair_activities(review)), 1)
        self.assertEqual(
            self.env["ir.attachment"].search_count(
                [("res_model", "=", review._name), ("res_id", "=", review.id)]
            ),
            1,
            "one pack",
        )

    def test_refresh_pack_replaces_the_attachment(self):
        review = self.new_review().with_user(self.manager)
        old_pack = review.pack_attachment_id
        review.action_refresh_pack()
        self.assertTrue(review.pack_attachment_id)
        self.assertNotEqual(review.pack_attachment_id, old_pack)
        self.assertFalse(old_pack.exists(), "the old pack is replaced, not kept")
        self.assertIn(
            f"/web/content/{review.pack_attachment_id.id}", review.action_view_pack()["url"]
        )
        with self.assertRaises(UserError):
            review.with_user(self.officer).action_refresh_pack()

    def test_no_review_on_other_days(self):
        self.run_cron("2026-11-30 07:00:00")
        self.assertFalse(
            self.reviews(date(2026, 11, 1)), "30 November: November's review is not due yet"
        )
        self.assertFalse(
            self.reviews(date(2026, 10, 1)),
            "October's was due on 2 November: too late for the cron, a manager prepares it",
        )

    def test_a_missed_review_day_is_caught_up(self):
        # The server was down on Tuesday 1 December: the cron prepares November's
        # review when it next runs, that week.
        self.run_cron("2026-12-03 07:00:00")
        review = self.reviews(date(2026, 11, 1))
        self.assertEqual(len(review), 1)
        self.assertEqual(review.date_meeting, date(2026, 12, 3))
        self.run_cron("2026-12-04 07:00:00")
        self.assertEqual(self.reviews(date(2026, 11, 1)), review, "still one review")
        self.assertEqual(len(self.chair_activities(review)), 1)

    def test_second_working_day_setting(self):
        with self.assertRaisesRegex(ValidationError, "between 1 and 20"):
            self.company.qc_review_working_day = 0
        settings = self.env["res.config.settings"].with_user(self.manager).create({})
        settings.qc_review_working_day = 2
        settings.execute()
        self.assertEqual(self.company.qc_review_working_day, 2)
        self.run_cron("2026-12-01 07:00:00")
        self.assertFalse(self.reviews(date(2026, 11, 1)))
        self.run_cron("2026-12-02 07:00:00")
        self.assertEqual(len(self.reviews(date(2026, 11, 1))), 1)

    def test_weekend_and_public_holiday_are_skipped(self):
        # 1 May 2027 is a Saturday; Monday 3 May a public holiday: Tuesday 4 May.
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Labour Day (observed)",
                "calendar_id": self.calendar.id,
                "date_from": "2027-05-03 00:00:00",
                "date_to": "2027-05-03 23:59:59",
            }
        )
        self.assertEqual(self.company._qc_review_day(date(2027, 5, 1)), date(2027, 5, 4))
        self.run_cron("2027-05-01 07:00:00")
        self.run_cron("2027-05-03 07:00:00")
        self.assertFalse(self.reviews(date(2027, 4, 1)))
        self.run_cron("2027-05-04 07:00:00")
        review = self.reviews(date(2027, 4, 1))
        self.assertEqual(len(review), 1)
        self.assertEqual(review.date_to, date(2027, 4, 30))
        self.assertIn(self.late_action, review.item_ids.action_id, "still overdue in May")

    def test_manager_prepares_last_month_by_hand_once(self):
        Review = self.Review.with_user(self.manager)
        with freeze_time("2026-12-09 10:00:00"):
            first = Review.action_prepare_last_month()
            second = Review.action_prepare_last_month()
        self.assertEqual(first["res_id"], second["res_id"])
        review = self.Review.browse(first["res_id"])
        self.assertEqual(review.date_from, date(2026, 11, 1))
        self.assertEqual(len(self.chair_activities(review)), 1)
        with self.assertRaises(UserError):
            self.Review.with_user(self.officer).action_prepare_last_month()

    def new_review(self):
        with freeze_time("2026-12-01 07:00:00"):
            return self.Review._qc_prepare(self.company, date(2026, 11, 1))

    def test_decisions_become_corrective_actions_once(self):
        review = self.new_review().with_user(self.manager)
        investigation = self.approved_investigation()
        deadline = fields.Date.today() + timedelta(days=30)
        review.write(
            {
                "decision_ids": [
                    Command.create(
                        {
                            "description": "Audit the gasket supplier on site",
                            "kind": "corrective",
                            "user_id": self.officer.id,
                            "date_deadline": deadline,
                            "investigation_id": investigation.id,
                            "partner_id": self.vendor.id,
                        }
                    ),
                    Command.create(
                        {
                            "description": "Add a leak test to the final inspection",
                            "kind": "preventive",
                            "user_id": self.head.id,
                            "date_deadline": deadline,
                            "product_id": self.kettle.id,
                        }
                    ),
                ]
            }
        )
        review.action_create_actions()
        audit, leak_test = review.decision_ids
        self.assertEqual(review.action_count, 2)
        self.assertEqual(audit.action_id.title, "Audit the gasket supplier on site")
        self.assertEqual(audit.action_id.investigation_id, investigation)
        self.assertEqual(audit.action_id.partner_id, self.vendor)
        self.assertEqual(audit.action_id.user_id, self.officer)
        self.assertEqual(leak_test.action_id.kind, "preventive")
        self.assertEqual(leak_test.action_id.product_ids, self.kettle)
        self.assertEqual(leak_test.action_id.date_deadline, deadline)
        self.assertTrue(
            review.message_ids.filtered(lambda m: audit.action_id.name in str(m.body)),
            "the review's chatter lists the actions created",
        )
        self.assertEqual(
            review.action_view_actions()["domain"], [("id", "in", review.action_ids.ids)]
        )
        actions_before = self.Action.search_count([])
        review.action_create_actions()
        self.assertEqual(self.Action.search_count([]), actions_before, "no action twice")

    def test_decision_without_owner_is_refused(self):
        review = self.new_review().with_user(self.manager)
        review.write({"decision_ids": [Command.create({"description": "Talk to sales"})]})
        with self.assertRaisesRegex(UserError, "owner and a deadline"):
            review.action_create_actions()
        self.assertFalse(review.decision_ids.action_id)

    def test_customer_service_cannot_read_reviews(self):
        review = self.new_review()
        with self.assertRaises(AccessError):
            review.with_user(self.cs_user).read(["name"])
        with self.assertRaises(AccessError):
            self.Review.with_user(self.cs_user).search([])
        # A quality officer reads it but does not change it.
        self.assertEqual(review.with_user(self.officer).name, review.name)
        with self.assertRaises(AccessError):
            review.with_user(self.officer).write({"minutes": "<p>Changed</p>"})

    def test_other_company_does_not_see_the_review(self):
        review = self.new_review()
        stranger, _other = other_company_user(
            self.env, "qc_review_stranger", "quality_complaint.group_complaint_manager"
        )
        self.assertFalse(self.Review.with_user(stranger).search([("id", "=", review.id)]))

    def test_manager_records_the_meeting_in_the_form(self):
        review = self.new_review()
        with Form(review.with_user(self.manager)) as form:
            form.minutes = "<p>Gasket supplier to be audited.</p>"
            with form.decision_ids.new() as decision:
                decision.description = "Audit the gasket supplier on site"
                decision.user_id = self.officer
                decision.date_deadline = fields.Date.today() + timedelta(days=30)
            with form.item_ids.edit(0) as item:
                item.discussed = True
        self.assertIn("audited", review.minutes)
        self.assertEqual(review.decision_ids.user_id, self.officer)
        self.assertTrue(review.item_ids[0].discussed)

    def test_state_is_set_by_the_buttons_only(self):
        review = self.new_review().with_user(self.manager)
        with self.assertRaises(AccessError):
            review.write({"state": "closed"})
        self.assertEqual(review.state, "prepared")

    def test_closed_review_is_read_only(self):
        review = self.new_review().with_user(self.manager)
        review.action_held()
        self.assertFalse(self.chair_activities(review), "holding the meeting ends the activity")
        review.action_close()
        self.assertEqual(review.state, "closed")
        with self.assertRaisesRegex(UserError, "is closed"):
            review.write({"minutes": "<p>Rewritten</p>"})
        with self.assertRaisesRegex(UserError, "is closed"):
            review.item_ids[:1].write({"discussed": True})
        with self.assertRaisesRegex(UserError, "is closed"):
            review.write({"decision_ids": [Command.create({"description": "Late idea"})]})
        with self.assertRaisesRegex(UserError, "is closed"):
            review.action_refresh_pack()
        self.assertFalse(review.minutes)
        self.assertFalse(review.decision_ids)

    def test_close_needs_the_decisions_turned_into_actions(self):
        review = self.new_review().with_user(self.manager)
        review.action_held()
        review.write({"decision_ids": [Command.create({"description": "Audit the supplier"})]})
        with self.assertRaisesRegex(UserError, "Create Actions"):
            review.action_close()
        self.assertEqual(review.state, "held")

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import sell_and_deliver
from .common_sla import ComplaintGradingCase


@tagged("post_install", "-at_install")
class TestGrading(ComplaintGradingCase):
    def test_shipped_grades(self):
        self.assertEqual(
            [(g.name, g.response_hours) for g in (self.urgent, self.important, self.general)],
            [("Urgent", 2), ("Important", 4), ("General", 8)],
        )
        self.assertEqual(set(self.urgent.rule_ids.mapped("code")), {"safety", "threat", "batch"})
        self.assertEqual(
            set(self.important.rule_ids.mapped("code")), {"main_function", "high_value"}
        )

    def test_no_rule_gives_general(self):
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(ticket.grade_id, self.general)
        self.assertIn("General: no urgent or important fact", ticket.grade_reasons)

    def test_draft_complaint_is_not_graded(self):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals(impact_level="safety"))
        self.assertFalse(ticket.grade_id)
        self.assertFalse(ticket.response_deadline)

    def test_safety_hazard_is_urgent(self):
        ticket = self.register(impact_level="safety")
        self.assertEqual(ticket.grade_id, self.urgent)
        self.assertIn("Safety hazard", ticket.grade_reasons)

    def test_regulator_threat_is_urgent(self):
        ticket = self.register(impact_level="cosmetic", qc_regulator_threat=True)
        self.assertEqual(ticket.grade_id, self.urgent)
        self.assertIn("regulators or the media", ticket.grade_reasons)

    def test_main_function_lost_is_important(self):
        ticket = self.register(impact_level="main_function")
        self.assertEqual(ticket.grade_id, self.important)
        self.assertIn("main function is lost", ticket.grade_reasons)

    def test_highest_grade_wins_and_every_reason_is_listed(self):
        ticket = self.register(impact_level="main_function", qc_regulator_threat=True)
        self.assertEqual(ticket.grade_id, self.urgent)
        lines = ticket.grade_reasons.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[0].startswith("Urgent:"), "the winning grade comes first")
        self.assertTrue(lines[1].startswith("Important:"))

    def test_facts_changed_after_registration_regrade(self):
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(ticket.grade_id, self.general)
        ticket.impact_level = "safety"
        self.assertEqual(ticket.grade_id, self.urgent)
        ticket.impact_level = "minor_function"
        self.assertEqual(ticket.grade_id, self.general, "downgrades follow the facts too")

    def test_high_value_threshold_is_a_company_setting(self):
        # Alice paid 40 a kettle.
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(ticket.grade_id, self.general)
        self.company.qc_high_value_threshold = 40
        other = self.register(impact_level="cosmetic")
        self.assertEqual(other.grade_id, self.important)
        self.assertIn("High-value product: unit value 40.00", other.grade_reasons)

    def test_high_value_converted_to_company_currency_at_order_date(self):
        currency = self.env["res.currency"].create({"name": "QCX", "symbol": "Q", "rounding": 0.01})
        today = fields.Date.today()
        # 1 company currency = 0.5 QCX in the past, 2 QCX today.
        self.env["res.currency.rate"].create(
            [
                {
                    "currency_id": currency.id,
                    "name": today - timedelta(days=40),
                    "rate": 0.5,
                    "company_id": self.company.id,
                },
                {
                    "currency_id": currency.id,
                    "name": today,
                    "rate": 2.0,
                    "company_id": self.company.id,
                },
            ]
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "QCX prices", "currency_id": currency.id}
        )
        self.alice.property_product_pricelist = pricelist
        order = sell_and_deliver(self.env, self.alice, [(self.kettle, 1, self.lot_b, 6000.0)])
        self.assertEqual(order.currency_id, currency)
        order.date_order = fields.Datetime.now() - timedelta(days=30)
        # 6000 QCX at 0.5 = 12,000 in company currency: important.
        ticket = self.register(
            impact_level="cosmetic",
            sale_order_id=order.id,
            lot_ids=[Command.set(self.lot_b.ids)],
            affected_qty=1,
        )
        self.assertAlmostEqual(ticket._qc_unit_value(), 12000.0)
        self.assertEqual(ticket.grade_id, self.important)
        # At today's rate it would be 3,000 only: the order date counts.
        order.date_order = fields.Datetime.now()
        self.assertAlmostEqual(ticket._qc_unit_value(), 3000.0)

    def test_batch_defect_upgrades_every_open_complaint_on_the_lot(self):
        self.company.qc_quality_manager_id = self.manager
        first = self.register(impact_level="main_function", affected_qty=6)
        self.assertEqual(first.grade_id, self.important)
        important_deadline = first.response_deadline
        messages_before = len(self.lot_a.message_ids)
        second = self.register(
            impact_level="cosmetic",
            partner_id=self.bob.id,
            sale_order_id=self.order_bob.id,
            affected_qty=4,
        )
        # 6 + 4 = 10 units of lot A: a batch defect.
        self.assertEqual(second.grade_id, self.urgent)
        self.assertEqual(first.grade_id, self.urgent, "the earlier complaint is upgraded")
        self.assertIn("Batch defect: 10 units affected on lot K1-A", first.grade_reasons)
        self.assertLess(first.response_deadline, important_deadline, "deadline recomputed")
        alerts = self.lot_a.message_ids[: len(self.lot_a.message_ids) - messages_before]
        self.assertEqual(len(alerts), 1, "the quality manager is alerted once")
        self.assertIn(self.manager.partner_id, alerts.partner_ids)
        self.assertIn(first.number, alerts.body)
        self.assertIn(second.number, alerts.body)
        # A third complaint on the same lot: urgent too, no second alert, and the
        # complaints already upgraded are left as they are (not written again).
        reasons = first.grade_reasons
        self.env.flush_all()
        self.env.cr.execute("SELECT ctid::text FROM helpdesk_ticket WHERE id = %s", [first.id])
        version = self.env.cr.fetchone()
        third = self.register(impact_level="cosmetic", affected_qty=1)
        self.assertEqual(third.grade_id, self.urgent)
        self.assertIn("Batch defect: 11 units", third.grade_reasons)
        self.assertEqual(len(self.lot_a.message_ids), messages_before + 1)
        self.env.flush_all()
        self.env.cr.execute("SELECT ctid::text FROM helpdesk_ticket WHERE id = %s", [first.id])
        self.assertEqual(self.env.cr.fetchone(), version, "the first complaint is not written")
        self.assertEqual(first.grade_reasons, reasons)

    def test_batch_threshold_and_window_are_company_settings(self):
        self.company.qc_batch_threshold = 3
        old = self.register(impact_level="cosmetic", affected_qty=2)
        self.assertEqual(old.grade_id, self.general)
        old.registered_date = fields.Datetime.now() - timedelta(days=120)
        recent = self.register(impact_level="cosmetic", affected_qty=2)
        self.assertEqual(recent.grade_id, self.general, "the old complaint is out of the window")
        self.company.qc_batch_window_days = 365
        third = self.register(impact_level="cosmetic", affected_qty=1)
        self.assertEqual(third.grade_id, self.urgent, "2 + 2 + 1 within a year reaches 3")
        self.assertEqual(recent.grade_id, self.urgent)

    def test_batch_upgrade_leaves_closed_complaints_alone(self):
        first = self.register(impact_level="cosmetic", affected_qty=6)
        first._qc_cancel("Duplicate of another complaint.")
        second = self.register(
            impact_level="cosmetic",
            partner_id=self.bob.id,
            sale_order_id=self.order_bob.id,
            affected_qty=4,
        )
        self.assertEqual(second.grade_id, self.urgent)
        self.assertEqual(first.grade_id, self.general, "closed complaints keep their grade")

    def test_company_rule_mapping_is_data(self):
        # The company decides that a lost main function is urgent.
        self.important.rule_ids -= self.env.ref("quality_complaint.grade_rule_main_function")
        self.urgent.rule_ids |= self.env.ref("quality_complaint.grade_rule_main_function")
        ticket = self.register(impact_level="main_function")
        self.assertEqual(ticket.grade_id, self.urgent)

    def test_renamed_and_retimed_grade(self):
        self.general.write({"name": "Routine", "response_hours": 16})
        ticket = self.register(impact_level="cosmetic")
        self.assertEqual(ticket.grade_id.name, "Routine")
        self.assertIn("16 hours", self.ack_messages(ticket).body)

    def test_override_needs_officer_and_reason_and_survives_regrading(self):
        ticket = self.register(impact_level="cosmetic")
        wizard_model = self.env["quality.complaint.grade.override"]
        # Customer service: not through the business method, not by a direct write,
        # not through the dialog.
        with self.assertRaisesRegex(UserError, "Only a quality officer"):
            ticket.with_user(self.cs_user)._qc_override_grade(self.urgent, "VIP")
        with self.assertRaisesRegex(AccessError, "cannot be set directly"):
            ticket.with_user(self.cs_user).write(
                {"grade_override_id": self.urgent.id, "grade_override_reason": "VIP"}
            )
        with self.assertRaises(AccessError):
            wizard_model.with_user(self.cs_user).create(
                {"ticket_id": ticket.id, "grade_id": self.urgent.id, "reason": "VIP"}
            )
        self.assertEqual(ticket.grade_id, self.general, "nothing changed")
        self.assertFalse(ticket.grade_override_id)
        with self.assertRaisesRegex(UserError, "reason"):
            wizard_model.with_user(self.officer).create(
                {"ticket_id": ticket.id, "grade_id": self.urgent.id, "reason": "   "}
            ).action_apply()
        action = ticket.with_user(self.officer).action_open_grade_override()
        form = Form(
            self.env[action["res_model"]].with_user(self.officer).with_context(**action["context"])
        )
        form.grade_id = self.urgent
        form.reason = "Customer is a hospital; a failure endangers patients."
        form.save().action_apply()
        self.assertEqual(ticket.grade_id, self.urgent)
        self.assertEqual(ticket.grade_auto_id, self.general)
        self.assertEqual(ticket.grade_override_user_id, self.officer)
        self.assertIn("hospital", ticket.grade_reasons)
        self.assertTrue(
            ticket.message_ids.filtered(lambda m: "Grade overridden to Urgent" in (m.body or ""))
        )
        ticket.impact_level = "main_function"
        self.assertEqual(ticket.grade_auto_id, self.important)
        self.assertEqual(ticket.grade_id, self.urgent, "the override survives re-grading")
        ticket.with_user(self.officer).action_clear_grade_override()
        self.assertEqual(ticket.grade_id, self.important)
        self.assertFalse(ticket.grade_override_id)
        with self.assertRaisesRegex(UserError, "Only a quality officer"):
            ticket.with_user(self.cs_user).action_clear_grade_override()

    def test_override_of_unregistered_complaint_is_refused(self):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        wizard = (
            self.env["quality.complaint.grade.override"]
            .with_user(self.officer)
            .create({"ticket_id": ticket.id, "grade_id": self.urgent.id, "reason": "VIP"})
        )
        with self.assertRaises(UserError):
            wizard.action_apply()
        self.assertFalse(ticket.grade_override_id)

    def test_dispatch_activities_customer_message_once(self):
        ticket = self.register(impact_level="cosmetic")
        activities = self.contact_activities(ticket)
        self.assertEqual(ticket.user_id, self.supervisor, "assigned to the grade's user")
        self.assertEqual(activities.user_id, self.supervisor)
        self.assertEqual(activities.date_deadline, fields.Date.to_date(ticket.response_deadline))
        # One voice: the acknowledgement carries the grade's promise, nothing else.
        ack = self.ack_messages(ticket)
        self.assertEqual(len(ack), 1)
        self.assertIn(self.alice, ack.partner_ids)
        self.assertIn("8 hours (working hours)", ack.body)
        self.assertFalse(self.accepted_messages(ticket))
        self.assertFalse(ticket.first_response_date, "automatic messages are not a response")
        # Same grade again: nothing new.
        ticket._qc_dispatch()
        self.assertFalse(self.accepted_messages(ticket))
        self.assertEqual(len(self.contact_activities(ticket)), 1)
        # Upgrade: the manager follows, the supervisor (assigned, and responsible
        # for the new grade too) keeps the one activity with the new deadline.
        ticket.impact_level = "safety"
        activities = self.contact_activities(ticket)
        self.assertEqual(activities.user_id, self.supervisor)
        self.assertEqual(activities.date_deadline, fields.Date.to_date(ticket.response_deadline))
        self.assertIn(self.manager.partner_id, ticket.message_partner_ids)
        accepted = self.accepted_messages(ticket)
        self.assertEqual(len(accepted), 1, "one short update for the new promise")
        self.assertIn("2 hours", accepted.body)
        # Downgrade: still the supervisor's.
        ticket.impact_level = "cosmetic"
        self.assertEqual(self.contact_activities(ticket).user_id, self.supervisor)

    def test_grade_configuration_access(self):
        Grade = self.env["quality.complaint.grade"]
        self.assertTrue(Grade.with_user(self.cs_user).search([]))
        with self.assertRaises(AccessError):
            self.general.with_user(self.officer).write({"response_hours": 1})
        grade = Grade.with_user(self.manager).create(
            {"name": "Critical", "level": 40, "response_hours": 1}
        )
        self.assertTrue(grade.exists())


@tagged("post_install", "-at_install")
class TestGradingRegisteredTogether(ComplaintGradingCase):
    def test_complaints_registered_together_are_graded_each(self):
        safety, leak = self.env["helpdesk.ticket"].create(
            [
                self.complaint_vals(
                    name="Kettle trips the breaker", impact_level="safety", affected_qty=1
                ),
                self.complaint_vals(
                    name="Kettles leak at the base",
                    partner_id=self.bob.id,
                    sale_order_id=self.order_bob.id,
                    affected_qty=5,
                ),
            ]
        )
        with freeze_time(self.at(0, 10)):
            (safety | leak).action_register_complaint()
        self.assertEqual(safety.grade_id, self.urgent)
        self.assertEqual(leak.grade_id, self.important)
        self.assertEqual(safety.response_deadline, self.at(0, 12), "2 working hours")
        self.assertEqual(leak.response_deadline, self.at(0, 14), "4 working hours")
        self.assertEqual((safety | leak).mapped("sla_status"), ["on_track", "on_track"])


@tagged("post_install", "-at_install")
class TestGradingSettings(ComplaintGradingCase):
    def test_settings_page_edits_grading_thresholds(self):
        settings = Form(self.env["res.config.settings"])
        settings.qc_batch_threshold = 5
        settings.qc_batch_window_days = 30
        settings.qc_high_value_threshold = 2500
        settings.qc_sla_at_risk_percent = 40
        settings.qc_quality_manager_id = self.manager
        settings.save().execute()
        self.assertEqual(self.company.qc_batch_threshold, 5)
        self.assertEqual(self.company.qc_batch_window_days, 30)
        self.assertEqual(self.company.qc_high_value_threshold, 2500)
        self.assertEqual(self.company.qc_sla_at_risk_percent, 40)
        self.assertEqual(self.company.qc_quality_manager_id, self.manager)

    def test_senseless_thresholds_are_refused(self):
        for field, value in (
            ("qc_batch_threshold", 0),
            ("qc_batch_window_days", 0),
            ("qc_high_value_threshold", -1),
            ("qc_sla_at_risk_percent", 100),
        ):
            with self.subTest(field=field), self.assertRaises(ValidationError):
                self.company.write({field: value})
        self.assertEqual(self.company.qc_batch_threshold, 10, "nothing changed")

    def test_quality_manager_setting_receives_the_batch_alert(self):
        self.company.qc_quality_manager_id = self.officer
        self.company.qc_batch_threshold = 2
        self.register(impact_level="cosmetic", affected_qty=2)
        alert = self.lot_a.message_ids[:1]
        self.assertIn("Batch defect", alert.subject)
        self.assertEqual(alert.partner_ids, self.officer.partner_id)

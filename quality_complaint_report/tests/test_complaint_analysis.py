from collections import Counter

from freezegun import freeze_time

from odoo import Command
from odoo.addons.quality_complaint.tests.common import receive_lots, sell_and_deliver
from odoo.addons.quality_complaint.tests.common_sla import ComplaintGradingCase
from odoo.addons.quality_complaint_action.tests.common_action import CorrectiveActionCase
from odoo.addons.quality_complaint_remedy.tests.common_followup import give_what_closing_needs
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from ..hooks import uninstall_hook
from ..report.complaint_daily import figures_source


@tagged("post_install", "-at_install")
class TestComplaintAnalysis(ComplaintGradingCase, CorrectiveActionCase):
    """The analysis gives the figures a quality manager would count by hand.

    Five complaints about a widget of our own (so demo data stays out), received
    in lot W-A from Widget Parts A and in lot W-B from Widget Parts B, registered on
    a Monday at 09:00 on the 09:00-18:00 desk:

    ===  =======  ===  ========  ============================================
    U1   Urgent   W-A  3 units   answered 10:30 (1.5 h, met); 80 compensation
    U2   Urgent   W-A  2 units   answered 11:30 (2.5 h, breached at 11:00)
    U3   Urgent   W-B  6 units   a week later, after a corrective action on the
                                 widget was verified effective: a recurrence;
                                 not answered yet
    G1   General  W-B  4 units   not answered yet
    G2   General  W-A  5 units   answered 10:00 (1 h, met); investigated (the
                                 root cause is material, Kettle Parts is at
                                 fault); closed on Wednesday 09:00 (2 days)
    ===  =======  ===  ========  ============================================
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Several complaints on one lot: keep the batch-defect rule out of the way.
        cls.company.qc_batch_threshold = 100000
        Partner = cls.env["res.partner"]
        cls.supplier_a = Partner.create({"name": "Widget Parts A", "is_company": True})
        cls.supplier_b = Partner.create({"name": "Widget Parts B", "is_company": True})
        cls.customer = Partner.create({"name": "Wanda Widget", "email": "wanda@example.com"})
        cls.widget = cls.env["product.product"].create(
            {"name": "Analysis Widget", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        receive_lots(cls.env, cls.supplier_a, cls.widget, {"W-A": 50})
        receive_lots(cls.env, cls.supplier_b, cls.widget, {"W-B": 50})
        Lot = cls.env["stock.lot"]
        cls.lot_wa = Lot.search([("name", "=", "W-A")])
        cls.lot_wb = Lot.search([("name", "=", "W-B")])
        cls.order_wa = sell_and_deliver(cls.env, cls.customer, [(cls.widget, 20, cls.lot_wa, None)])
        cls.order_wb = sell_and_deliver(cls.env, cls.customer, [(cls.widget, 20, cls.lot_wb, None)])
        cls.portal_user = new_test_user(
            cls.env, login="qc_analysis_portal", groups="base.group_portal"
        )

    def widget_complaint(self, lot, qty, impact):
        order = self.order_wa if lot == self.lot_wa else self.order_wb
        return self.register(
            partner_id=self.customer.id,
            sale_order_id=order.id,
            product_id=self.widget.id,
            lot_ids=[Command.set(lot.ids)],
            affected_qty=qty,
            impact_level=impact,
        )

    def contact(self, ticket, moment):
        with freeze_time(moment):
            ticket.with_user(self.cs_user).action_contacted_customer()

    def setUp(self):
        super().setUp()
        monday = self.at(0, 9)
        with freeze_time(monday):
            self.u1 = self.widget_complaint(self.lot_wa, 3, "safety")
            self.u2 = self.widget_complaint(self.lot_wa, 2, "safety")
            self.g1 = self.widget_complaint(self.lot_wb, 4, "cosmetic")
            self.g2 = self.widget_complaint(self.lot_wa, 5, "cosmetic")
        self.contact(self.u1, self.at(0, 10, 30))
        self.contact(self.u2, self.at(0, 11, 30))
        self.contact(self.g2, self.at(0, 10))
        # 80 of compensation under way for U1, approved by the quality manager.
        compensation = (
            self.env["quality.complaint.remedy"]
            .with_user(self.manager)
            .create(
                {
                    "ticket_id": self.u1.id,
                    "type_id": self.env.ref("quality_complaint_remedy.remedy_type_compensation").id,
                    "name": "Compensation",
                    "amount": 80.0,
                }
            )
        )
        compensation.action_approve()
        compensation.sudo().write({"state": "in_progress"})
        # G2: investigated, the supplier's material at fault, closed two days later.
        with freeze_time(self.at(0, 14)):
            self.investigation = self.approved_investigation(self.g2)
        with freeze_time(self.at(2, 9)):
            give_what_closing_needs(self.g2, self.cs_user)
            self.g2.with_user(self.cs_user).stage_id = self.env.ref(
                "quality_complaint.stage_complaint_closed"
            )
        # A corrective action on the widget, verified effective on Thursday; the
        # complaint registered the Monday after repeats its problem.
        with freeze_time(self.at(1, 9)):
            action = self.open_action(
                investigation_id=self.investigation.id,
                product_ids=[Command.set(self.widget.ids)],
                partner_id=self.vendor.id,
            )
            action.action_done()
        action.sudo().write({"state": "effective", "date_closed": self.at(3, 10)})
        with freeze_time(self.at(7, 9)):
            self.u3 = self.widget_complaint(self.lot_wb, 6, "safety")
        self.env.flush_all()
        self.domain = [("product_id", "=", self.widget.id)]

    def group(self, user, groupby, aggregates):
        Analysis = self.env["quality.complaint.analysis"].with_user(user)
        return Analysis.formatted_read_group(self.domain, groupby, aggregates)

    # ------------------------------------------------------------ tests
    def test_the_data_set_is_what_the_figures_are_computed_from(self):
        self.assertEqual((self.u1 | self.u2 | self.u3).grade_id, self.urgent)
        self.assertEqual((self.g1 | self.g2).grade_id, self.general)
        self.assertEqual(
            [t.sla_status for t in (self.u1, self.u2, self.g2)], ["met", "breached", "met"]
        )
        self.assertTrue(self.g2.closed)
        self.assertEqual(self.u3.qc_is_recurrence, True)
        self.assertEqual(self.u1.qc_supplier_id, self.supplier_a)
        self.assertEqual(self.g1.qc_supplier_id, self.supplier_b)
        self.assertEqual(self.g2.qc_supplier_id, self.vendor, "the investigation names it")

    def test_totals_of_the_complaints(self):
        [total] = self.group(
            self.officer,
            [],
            [
                "__count",
                "affected_qty:sum",
                "response_hours:avg",
                "sla_met_percent:avg",
                "sla_breached_count:sum",
                "days_to_close:avg",
                "remedy_cost:sum",
                "recurrence_count:sum",
            ],
        )
        self.assertEqual(total["__count"], 5)
        self.assertEqual(total["affected_qty:sum"], 20)
        # Answered: 1.5 h, 2.5 h and 1 h; the two unanswered ones do not count.
        self.assertAlmostEqual(total["response_hours:avg"], 5.0 / 3, places=4)
        # Met, breached, met; the two running clocks do not count.
        self.assertAlmostEqual(total["sla_met_percent:avg"], 66.67, places=2)
        self.assertEqual(total["sla_breached_count:sum"], 1)
        self.assertAlmostEqual(total["days_to_close:avg"], 2.0, places=4)
        self.assertEqual(total["remedy_cost:sum"], 80.0)
        self.assertEqual(total["recurrence_count:sum"], 1)

    def test_by_grade(self):
        groups = {
            g["grade_id"][0]: g
            for g in self.group(
                self.cs_user,
                ["grade_id"],
                ["__count", "affected_qty:sum", "response_hours:avg", "sla_met_percent:avg"],
            )
        }
        urgent, general = groups[self.urgent.id], groups[self.general.id]
        self.assertEqual((urgent["__count"], urgent["affected_qty:sum"]), (3, 11))
        self.assertAlmostEqual(urgent["response_hours:avg"], 2.0, places=4, msg="1.5 h, 2.5 h")
        self.assertAlmostEqual(urgent["sla_met_percent:avg"], 50.0, places=4)
        self.assertEqual((general["__count"], general["affected_qty:sum"]), (2, 9))
        self.assertAlmostEqual(general["response_hours:avg"], 1.0, places=4)
        self.assertAlmostEqual(general["sla_met_percent:avg"], 100.0, places=4)

    def test_by_month_and_grade(self):
        expected = Counter()
        for ticket in self.u1 | self.u2 | self.u3 | self.g1 | self.g2:
            expected[ticket.registered_date.strftime("%B %Y"), ticket.grade_id.id] += 1
        groups = self.group(self.cs_user, ["date:month", "grade_id"], ["__count"])
        found = Counter({(g["date:month"][1], g["grade_id"][0]): g["__count"] for g in groups})
        self.assertEqual(found, expected)

    def test_by_supplier(self):
        groups = self.group(self.cs_user, ["supplier_id"], ["__count", "affected_qty:sum"])
        found = {g["supplier_id"][0]: (g["__count"], g["affected_qty:sum"]) for g in groups}
        self.assertEqual(
            found,
            {
                self.supplier_a.id: (2, 5),  # U1, U2
                self.supplier_b.id: (2, 10),  # G1, U3
                self.vendor.id: (1, 5),  # G2, named by its investigation
            },
        )

    def test_by_root_cause_category(self):
        groups = self.group(self.cs_user, ["root_cause_category"], ["__count", "days_to_close:avg"])
        found = {g["root_cause_category"]: g["__count"] for g in groups}
        self.assertEqual(found, {"material": 1, False: 4})

    def test_customer_service_counts_but_does_not_see_the_cost(self):
        Analysis = self.env["quality.complaint.analysis"].with_user(self.cs_user)
        self.assertNotIn("remedy_cost", Analysis.fields_get())
        self.assertIn("affected_qty", Analysis.fields_get())
        [total] = Analysis.formatted_read_group(self.domain, [], ["__count"])
        self.assertEqual(total["__count"], 5)
        with self.assertRaises(AccessError):
            Analysis.formatted_read_group(self.domain, ["grade_id"], ["remedy_cost:sum"])
        with self.assertRaises(AccessError):
            Analysis.search(self.domain).read(["remedy_cost"])

    def test_quality_officer_sums_the_remedy_cost(self):
        groups = self.group(self.officer, ["grade_id"], ["remedy_cost:sum"])
        found = {g["grade_id"][0]: g["remedy_cost:sum"] for g in groups}
        self.assertEqual(found, {self.urgent.id: 80.0, self.general.id: 0.0})

    def test_portal_user_has_no_access(self):
        Analysis = self.env["quality.complaint.analysis"].with_user(self.portal_user)
        with self.assertRaises(AccessError):
            Analysis.formatted_read_group([], ["grade_id"], ["__count"])
        with self.assertRaises(AccessError):
            Analysis.search([])

    def test_the_pivot_view_loads_as_the_web_client_asks(self):
        Analysis = self.env["quality.complaint.analysis"].with_user(self.cs_user)
        views = Analysis.get_views([(False, "pivot"), (False, "graph"), (False, "list")])
        arch = views["views"]["pivot"]["arch"]
        self.assertIn('name="affected_qty"', arch)
        measures = ["__count", "affected_qty:sum"]
        # The pivot's one call: the totals, the rows, the columns and the cells.
        sets = Analysis.formatted_read_grouping_sets(
            self.domain, [[], ["date:month"], ["grade_id"], ["date:month", "grade_id"]], measures
        )
        self.assertEqual(sets[0][0]["__count"], 5)
        self.assertEqual(sum(g["__count"] for g in sets[3]), 5)
        self.assertEqual(
            {g["grade_id"][0]: g["affected_qty:sum"] for g in sets[2]},
            {self.urgent.id: 11, self.general.id: 9},
        )
        result = Analysis.web_read_group(self.domain, ["grade_id"], measures)
        self.assertEqual(result["length"], 2)
        self.assertEqual(sum(g["affected_qty:sum"] for g in result["groups"]), 20)
        # The list view's totals row for the officer, who sees the cost column.
        officer_list = (
            self.env["quality.complaint.analysis"]
            .with_user(self.officer)
            .get_views([(False, "list")])["views"]["list"]["arch"]
        )
        self.assertIn('name="remedy_cost"', officer_list)
        self.assertNotIn('name="remedy_cost"', views["views"]["list"]["arch"])

    # ------------------------------------------------------------ daily figures
    def per_complaint(self, Analysis, groupby, aggregates):
        """The same question read off the complaints (a condition on the complaint
        number keeps the daily figures out)."""
        domain = [*self.domain, ("ticket_id", "!=", False)]
        self.assertIs(Analysis._qc_daily_domain(domain, groupby, aggregates, None), False)
        return Analysis._read_group(domain, groupby, aggregates)

    def assertSameFigures(self, user, groupby, aggregates):
        Analysis = self.env["quality.complaint.analysis"].with_user(user)
        self.assertIsNot(
            Analysis._qc_daily_domain(self.domain, groupby, aggregates, None),
            False,
            f"the daily figures answer {groupby} x {aggregates}",
        )
        daily = Analysis._read_group(self.domain, groupby, aggregates)
        complaints = self.per_complaint(Analysis, groupby, aggregates)
        self.assertEqual(len(daily), len(complaints), f"{groupby}: the same groups")
        for row_daily, row_complaints in zip(daily, complaints, strict=True):
            keys = len(groupby)
            self.assertEqual(row_daily[:keys], row_complaints[:keys])
            for value_daily, value_complaints in zip(
                row_daily[keys:], row_complaints[keys:], strict=True
            ):
                self.assertAlmostEqual(
                    value_daily or 0, value_complaints or 0, places=6, msg=f"{groupby}"
                )

    MEASURES = [
        "__count",
        "complaint_count:sum",
        "affected_qty:sum",
        "response_hours:avg",
        "sla_met_percent:avg",
        "sla_breached_count:sum",
        "days_to_close:avg",
        "recurrence_count:sum",
    ]

    def test_a_merged_duplicate_does_not_count_twice(self):
        # U2 repeats U1 (Wanda, the same order line): flagged, then merged into U1.
        self.assertEqual(self.u2.qc_duplicate_suspect_id, self.u1)
        self.u2.with_user(self.cs_user).action_qc_merge_duplicate()
        self.env.flush_all()
        self.assertEqual(self.u2.duplicate_id, self.u1)
        [total] = self.group(self.officer, [], ["__count", "affected_qty:sum"])
        self.assertEqual(total["__count"], 4, "U2 counts once, as U1")
        self.assertEqual(total["affected_qty:sum"], 18)
        rows = self.env["quality.complaint.analysis"].search(self.domain)
        self.assertEqual(
            rows.ticket_id, self.u1 | self.u3 | self.g1 | self.g2, "the complaints read"
        )
        for groupby in ([], ["grade_id"], ["lot_id", "stage_id"]):
            self.assertSameFigures(self.cs_user, groupby, self.MEASURES)
        cases = self.env["quality.complaint.case"].search([("product_id", "=", self.widget.id)])
        self.assertNotIn(self.u2, cases.ticket_id, "no case of its own in the library")

    def test_daily_figures_give_the_complaints_answers(self):
        for groupby in (
            [],
            ["registered_on:month", "grade_id"],
            ["registered_on:week"],
            ["registered_on:day", "supplier_id"],
            ["lot_id", "grade_id"],
            ["categ_id"],
            ["root_cause_category"],
            ["is_closed", "stage_id"],
            ["partner_id", "channel_id", "team_id", "company_id"],
        ):
            self.assertSameFigures(self.cs_user, groupby, self.MEASURES)
        self.assertSameFigures(self.officer, ["grade_id"], ["remedy_cost:sum", "__count"])

    def test_questions_about_single_complaints_read_the_complaints(self):
        Analysis = self.env["quality.complaint.analysis"].with_user(self.cs_user)
        for groupby, aggregates, domain in (
            (["ticket_id"], ["__count"], self.domain),
            (["date:month"], ["__count"], self.domain),
            (["grade_id"], ["affected_qty:max"], self.domain),
            (["grade_id"], ["partner_id:count_distinct"], self.domain),
            (["grade_id"], ["__count"], [*self.domain, ("recurrence_count", "=", 1)]),
        ):
            self.assertIs(Analysis._qc_daily_domain(domain, groupby, aggregates, None), False)
        # ... and still answer right: the largest complaint of each grade.
        found = dict(Analysis._read_group(self.domain, ["grade_id"], ["affected_qty:max"]))
        self.assertEqual(found, {self.urgent: 6, self.general: 5})
        [(recurrences,)] = Analysis._read_group(
            [*self.domain, ("recurrence_count", "=", 1)], [], ["__count"]
        )
        self.assertEqual(recurrences, 1)

    def figures(self):
        """The widget's figures per day and dimensions, folded or not yet."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT registered_on, grade_id, lot_id, stage_id, investigation_id,
                       SUM(complaint_count), SUM(affected_qty), SUM(sla_met_count),
                       SUM(sla_breached_count), SUM(closed_count), SUM(recurrence_count)
                  FROM %s f
                 WHERE product_id = %s
              GROUP BY 1, 2, 3, 4, 5
                HAVING SUM(complaint_count) <> 0
              ORDER BY 1, 2, 3, 4, 5, 6, 7
                """,
                figures_source(),
                self.widget.id,
            )
        )
        return self.env.cr.fetchall()

    def pending_deltas(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT count(*) FROM quality_complaint_daily_delta")
        return self.env.cr.fetchone()[0]

    def test_writers_only_add_deltas_and_the_fold_keeps_the_answers(self):
        """A registration adds rows of its own and updates none of the figures; the
        fold moves them into the figures without changing one answer, and a second
        fold finds nothing to do."""
        self.env["quality.complaint.daily"]._qc_fold()
        self.env.cr.execute("SELECT id, ctid::text FROM quality_complaint_daily_figures")
        before = dict(self.env.cr.fetchall())
        with freeze_time(self.at(7, 10)):
            self.widget_complaint(self.lot_wb, 2, "cosmetic")
        self.assertGreater(self.pending_deltas(), 0)
        self.env.cr.execute("SELECT id, ctid::text FROM quality_complaint_daily_figures")
        self.assertEqual(dict(self.env.cr.fetchall()), before, "no row of figures was written")
        kept = self.figures()
        answers = self.group(self.officer, ["registered_on:day", "grade_id"], ["__count"])
        self.assertGreater(self.env["quality.complaint.daily"]._qc_fold(), 0)
        self.assertEqual(self.pending_deltas(), 0)
        self.assertEqual(self.figures(), kept)
        self.assertEqual(
            self.group(self.officer, ["registered_on:day", "grade_id"], ["__count"]), answers
        )
        self.assertEqual(self.env["quality.complaint.daily"]._qc_fold(), 0, "nothing twice")
        # A fold in small batches ends where one big fold does.
        self.u1.sudo().affected_qty = 9
        self.g1.sudo().active = False
        kept = self.figures()
        Daily = self.env["quality.complaint.daily"]
        while Daily._qc_fold(limit=1):
            pass
        self.assertEqual(self.figures(), kept)
        self.env["quality.complaint.daily"]._qc_rebuild()
        self.assertEqual(self.figures(), kept, "a recount agrees")

    def test_figures_follow_every_change_and_match_a_recount(self):
        rows = self.figures()
        self.assertEqual(sum(row[5] for row in rows), 5)
        self.assertLessEqual(len(rows), 5, "at most a row per complaint")
        # Regraded by the quality manager, closed, archived, changed by plain SQL,
        # a new complaint: every change shows at once.
        self.u1.with_user(self.manager)._qc_override_grade(
            self.general, "Not a safety risk after all"
        )
        with freeze_time(self.at(8, 9)):
            give_what_closing_needs(self.u2, self.cs_user)
            self.u2.with_user(self.cs_user).stage_id = self.env.ref(
                "quality_complaint.stage_complaint_closed"
            )
        self.g1.sudo().active = False
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET affected_qty = 40 WHERE id = %s", (self.u3.id,)
        )
        with freeze_time(self.at(9, 9)):
            self.widget_complaint(self.lot_wa, 1, "cosmetic")
        self.env.invalidate_all()
        groups = {
            grade: (count, qty, closed)
            for grade, count, qty, closed in self.env["quality.complaint.analysis"]
            .with_user(self.officer)
            ._read_group(
                self.domain, ["grade_id"], ["__count", "affected_qty:sum", "days_to_close:avg"]
            )
        }
        self.assertEqual(groups[self.urgent][:2], (2, 42), "U2 and U3 (now 40 units)")
        self.assertEqual(groups[self.general][:2], (3, 9), "U1, G2 and the new one; G1 archived")
        self.assertTrue(groups[self.urgent][2], "U2 is closed")
        # A recount from the tickets finds what the triggers kept.
        kept = self.figures()
        self.env["quality.complaint.daily"]._qc_rebuild()
        self.assertEqual(self.figures(), kept)

    def test_figures_see_what_is_not_written_yet(self):
        """A change still in the ORM's memory is written before the figures are read."""
        self.u1.with_user(self.manager)._qc_override_grade(self.general, "Minor after all")
        Analysis = self.env["quality.complaint.analysis"].with_user(self.cs_user)
        self.assertIsNot(
            Analysis._qc_daily_domain(self.domain, ["grade_id"], ["__count"], None), False
        )
        found = dict(Analysis._read_group(self.domain, ["grade_id"], ["__count"]))
        self.assertEqual(found, {self.urgent: 2, self.general: 3})

    def test_uninstalling_drops_the_triggers(self):
        uninstall_hook(self.env)
        self.env.cr.execute(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'quality_complaint_daily%%'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # Tickets still change without the module's table.
        self.u1.sudo().name = "Renamed after the module left"
        self.env.flush_all()

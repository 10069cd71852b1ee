from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.addons.quality_complaint.tests.common import receive_lots, sell_and_deliver
from odoo.addons.quality_complaint_purchase.tests.common_supplier import SupplierActionCase
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

DIALOG = "quality_complaint_action.quality_complaint_action_verification_view_form_dialog"
MEASURES = [
    "complaint_count:sum",
    "complaint_units:sum",
    "delivered_qty:sum",
    "ppm:sum",
    "action_count:sum",
    "action_open:sum",
    "action_overdue:sum",
    "avg_answer_days:sum",
    "effective_percent:sum",
    "recurrence_count:sum",
]


@tagged("post_install", "-at_install")
class TestSupplierScorecard(SupplierActionCase):
    """Gasket Co delivers 12,000 gaskets of lot G-1 on 15 January 2026 and 8,000 of
    lot G-2 on 10 February: 20,000 in all.

    - January: one complaint on G-1, 6 units (500 ppm of 12,000). Its investigation
      blames Gasket Co, which is sent three corrective actions on 20 January at 09:00:
      A1 is answered 3 days later, accepted, done and verified effective; A2 answered
      5 days later, accepted, done and verified not effective (reworked by 27
      February); A3 is never answered.
    - February: two complaints on G-2, 10 and 14 units (3,000 ppm of 8,000), both
      recurrences of A1 (same product, after it was verified effective).

    In total: 3 complaints, 30 units, 20,000 delivered, 1,500 ppm; 3 actions, answered
    in 4 days on average, 50 % of the verified ones effective; 2 recurrences.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scorecard = cls.env["quality.supplier.scorecard"]
        # Three complaints on one product: keep the batch-defect rule out of the way.
        cls.company.qc_batch_threshold = 100000
        Partner = cls.env["res.partner"]
        cls.gasket_co = Partner.create(
            {"name": "Gasket Co", "is_company": True, "email": "gaskets@example.com"}
        )
        Partner.create(
            {
                "name": "Gil Gasket",
                "email": "gil@gaskets.example.com",
                "parent_id": cls.gasket_co.id,
            }
        )
        cls.gasket = cls.env["product.product"].create(
            {"name": "Gasket G", "type": "consu", "is_storable": True, "tracking": "lot"}
        )
        Lot = cls.env["stock.lot"]
        with freeze_time("2026-01-15 10:00:00"):
            receive_lots(cls.env, cls.gasket_co, cls.gasket, {"G-1": 12000}, price=0.5)
            cls.lot_1 = Lot.search([("name", "=", "G-1"), ("product_id", "=", cls.gasket.id)])
            cls.order_1 = sell_and_deliver(cls.env, cls.alice, [(cls.gasket, 100, cls.lot_1, None)])
        with freeze_time("2026-02-10 10:00:00"):
            receive_lots(cls.env, cls.gasket_co, cls.gasket, {"G-2": 8000}, price=0.5)
            cls.lot_2 = Lot.search([("name", "=", "G-2"), ("product_id", "=", cls.gasket.id)])
            cls.order_2 = sell_and_deliver(cls.env, cls.alice, [(cls.gasket, 100, cls.lot_2, None)])

        with freeze_time("2026-01-20 08:00:00"):
            cls.c1 = cls.register(cls.order_1, cls.lot_1, 6)
        with freeze_time("2026-01-20 09:00:00"):
            cls.investigation = cls.blame_gasket_co(cls.c1)
            cls.a1, cls.a2, cls.a3 = (
                cls.gasket_action(f"Gasket action {index}") for index in (1, 2, 3)
            )
            (cls.a1 | cls.a2 | cls.a3).with_user(cls.buyer).action_send_supplier_request()
        with freeze_time("2026-01-23 09:00:00"):
            cls.answer_as_supplier(cls.a1)
        with freeze_time("2026-01-25 09:00:00"):
            cls.answer_as_supplier(cls.a2)
        with freeze_time("2026-01-26 09:00:00"):
            (cls.a1 | cls.a2).with_user(cls.buyer).action_accept_supplier_answer()
            (cls.a1 | cls.a2).action_done()
        with freeze_time("2026-01-27 09:00:00"):
            cls.verify(cls.a1, verdict="effective")
            cls.verify(
                cls.a2,
                verdict="not_effective",
                result=90.0,
                notes="The gaskets still tear at the seam.",
                rework_deadline=date(2026, 2, 27),
            )
        with freeze_time("2026-02-12 08:00:00"):
            cls.c2 = cls.register(cls.order_2, cls.lot_2, 10)
            cls.c3 = cls.register(cls.order_2, cls.lot_2, 14)

    # ------------------------------------------------------------ helpers
    @classmethod
    def register(cls, order, lot, units):
        ticket = (
            cls.env["helpdesk.ticket"]
            .with_user(cls.cs_user)
            .create(
                cls.complaint_vals(
                    cls,
                    name="Gasket tears",
                    sale_order_id=order.id,
                    product_id=cls.gasket.id,
                    lot_ids=[Command.set(lot.ids)],
                    affected_qty=units,
                )
            )
        )
        ticket.action_register_complaint()
        return ticket.with_env(cls.env)

    @classmethod
    def blame_gasket_co(cls, ticket):
        investigation = ticket._qc_open_or_join_investigation()
        investigation.write(
            {
                "fishbone_cause_ids": [
                    Command.create(
                        {
                            "category": "material",
                            "description": "Gasket rubber out of spec",
                            "is_root_cause": True,
                        }
                    )
                ],
                "why_ids": [
                    Command.create({"why": "Why does it tear?", "because": "Thin rubber"}),
                ],
                "root_cause_summary": "Gasket Co's rubber was out of spec.",
                "root_cause_category": "material",
                "supplier_id": cls.gasket_co.id,
            }
        )
        investigation.action_mark_analysed()
        investigation.action_approve()
        investigation.user_id = cls.officer
        return investigation

    @classmethod
    def gasket_action(cls, title):
        action = (
            cls.env["quality.complaint.action"]
            .with_user(cls.officer)
            .create(
                {
                    "title": title,
                    "kind": "corrective",
                    "user_id": cls.officer.id,
                    "date_deadline": date(2026, 2, 3),
                    "investigation_id": cls.investigation.id,
                    "partner_id": cls.gasket_co.id,
                    "root_cause_source": "fishbone",
                    "fishbone_cause_id": cls.investigation.fishbone_cause_ids.id,
                    "product_ids": [Command.set(cls.gasket.ids)],
                    "lot_ids": [Command.set((cls.lot_1 | cls.lot_2).ids)],
                }
            )
        )
        action.action_open()
        return action

    @classmethod
    def answer_as_supplier(cls, action):
        """The contact answers through the signed link of the request (public session)."""
        public = cls.env.ref("base.public_user")
        action.with_user(public).sudo()._qca_supplier_answer(
            {
                "containment_done": True,
                "containment_note": "Lots sorted.",
                "root_cause": "The rubber test was skipped.",
                "corrective_action": "The test is recorded before shipping.",
                "planned_date": "2026-03-01",
                "evidence": [],
            },
        )

    @classmethod
    def verify(cls, action, **values):
        dialog = action.with_user(cls.officer).action_verify()
        Verification = (
            cls.env[dialog["res_model"]].with_user(cls.officer).with_context(**dialog["context"])
        )
        form = Form(Verification, view=DIALOG)
        defaults = {
            "method": "production_records",
            "measure": "Seam tear rate",
            "result": 99.0,
            "target": 98.0,
            "unit": "%",
        }
        for name, value in {**defaults, **values}.items():
            setattr(form, name, value)
        return form.save()

    def scorecard(self, groupby, user=None, domain=None):
        Scorecard = self.Scorecard.with_user(user) if user else self.Scorecard
        return Scorecard.formatted_read_group(
            domain or [("supplier_id", "=", self.gasket_co.id)], groupby, MEASURES
        )

    # ------------------------------------------------------------ tests
    def test_the_data_set_is_what_the_story_says(self):
        self.assertEqual(self.c1.qc_supplier_id, self.gasket_co)
        self.assertEqual((self.c2 | self.c3).qc_supplier_id, self.gasket_co)
        self.assertEqual((self.c2 | self.c3).mapped("qc_is_recurrence"), [True, True])
        self.assertFalse(self.c1.qc_is_recurrence)
        self.assertEqual(
            (self.a1 | self.a2 | self.a3).mapped("state"), ["effective", "reopened", "open"]
        )

    @freeze_time("2026-02-20 12:00:00")
    def test_totals_of_the_supplier(self):
        [total] = self.scorecard([])
        self.assertEqual(total["complaint_count:sum"], 3)
        self.assertAlmostEqual(total["complaint_units:sum"], 30.0)
        self.assertAlmostEqual(total["delivered_qty:sum"], 20000.0)
        self.assertAlmostEqual(total["ppm:sum"], 1500.0, msg="30 units / 20,000 delivered")
        self.assertEqual(total["action_count:sum"], 3)
        self.assertEqual(total["action_open:sum"], 2, "A2 reopened, A3 open")
        self.assertEqual(
            total["action_overdue:sum"], 1, "A3: answer and deadline late; A2 reworked by 27/2"
        )
        self.assertAlmostEqual(total["avg_answer_days:sum"], 4.0, msg="(3 + 5) / 2 days")
        self.assertAlmostEqual(total["effective_percent:sum"], 50.0, msg="1 of 2 verified")
        self.assertEqual(total["recurrence_count:sum"], 2)

    @freeze_time("2026-03-02 12:00:00")
    def test_overdue_follows_today(self):
        [total] = self.scorecard([])
        self.assertEqual(total["action_overdue:sum"], 2, "A2's rework deadline passed too")
        late = (self.a1 | self.a2 | self.a3).filtered(lambda a: a.is_late or a.supplier_answer_late)
        self.assertEqual(late, self.a2 | self.a3, "as the action list shows them")

    @freeze_time("2026-02-20 12:00:00")
    def test_ratios_per_month_are_not_averages_of_rows(self):
        months = {group["date:month"][1]: group for group in self.scorecard(["date:month"])}
        self.assertEqual(set(months), {"January 2026", "February 2026"})
        january, february = months["January 2026"], months["February 2026"]
        self.assertAlmostEqual(january["ppm:sum"], 500.0, msg="6 / 12,000")
        self.assertAlmostEqual(february["ppm:sum"], 3000.0, msg="24 / 8,000")
        self.assertAlmostEqual(january["delivered_qty:sum"], 12000.0)
        self.assertEqual(january["complaint_count:sum"], 1)
        self.assertEqual(february["complaint_count:sum"], 2)
        self.assertEqual(february["recurrence_count:sum"], 2)
        self.assertAlmostEqual(january["avg_answer_days:sum"], 4.0)
        self.assertAlmostEqual(january["effective_percent:sum"], 50.0)
        self.assertFalse(february["avg_answer_days:sum"], "no answer in February")
        # Per lot: each lot's complaints over its own deliveries.
        lots = {
            group["lot_id"][0]: group for group in self.scorecard(["lot_id"]) if group["lot_id"]
        }
        self.assertAlmostEqual(lots[self.lot_1.id]["ppm:sum"], 500.0)
        self.assertAlmostEqual(lots[self.lot_2.id]["ppm:sum"], 3000.0)

    @freeze_time("2026-02-20 12:00:00")
    def test_purchasing_opens_it_from_the_vendor(self):
        window = self.gasket_co.with_user(self.buyer).action_view_qc_supplier_scorecard()
        self.assertEqual(window["res_model"], "quality.supplier.scorecard")
        self.assertEqual(window["context"]["group_by"], ["date:month"])
        Scorecard = self.Scorecard.with_user(self.buyer)
        groups = Scorecard.formatted_read_group(window["domain"], ["date:month"], MEASURES)
        self.assertEqual(
            [round(group["ppm:sum"]) for group in groups], [500, 3000], "January, February"
        )
        # The pivot's totals and the grouped list, as the web client asks them.
        sets = Scorecard.formatted_read_grouping_sets(
            window["domain"], [["supplier_id"], []], MEASURES
        )
        self.assertAlmostEqual(sets[0][0]["ppm:sum"], 1500.0)
        self.assertAlmostEqual(sets[1][0]["ppm:sum"], 1500.0)
        listed = Scorecard.web_read_group(
            window["domain"],
            ["supplier_id"],
            ["ppm:sum", "complaint_count:sum"],
            auto_unfold=True,
            unfold_read_specification={
                "date": {},
                "kind": {},
                "lot_id": {"fields": {"display_name": {}}},
                "ppm": {},
            },
        )
        [group] = listed["groups"]
        self.assertAlmostEqual(group["ppm:sum"], 1500.0)
        self.assertEqual(group["complaint_count:sum"], 3)
        # The complaints come as days of figures: two complaints of the same day,
        # product and lot share a row.
        kinds = [record["kind"] for record in group["__records"]]
        self.assertEqual(kinds.count("complaint"), 2)
        self.assertEqual(kinds.count("receipt"), 2)
        self.assertEqual(kinds.count("action"), 3)
        # The same from a contact of the vendor: its company's scorecard.
        contact = self.gasket_co.child_ids[:1]
        window = contact.with_user(self.buyer).action_view_qc_supplier_scorecard()
        self.assertEqual(window["domain"], [("supplier_id", "=", self.gasket_co.id)])
        menus = self.env["ir.ui.menu"].with_user(self.buyer)._visible_menu_ids()
        self.assertIn(
            self.env.ref("quality_complaint_report.menu_purchase_supplier_scorecard").id, menus
        )

    def test_quality_officer_reads_it(self):
        [total] = self.scorecard([], user=self.officer)
        self.assertEqual(total["complaint_count:sum"], 3)

    def test_customer_service_and_portal_do_not(self):
        for user in (self.cs_user, self.supplier_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.scorecard([], user=user)
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Scorecard.with_user(user).search([])

    def test_other_company_does_not_see_it(self):
        other = self.env["res.company"].create({"name": "Scorecard Other Co"})
        self.buyer.write({"company_ids": [Command.link(other.id)], "company_id": other.id})
        Scorecard = self.Scorecard.with_user(self.buyer).with_context(allowed_company_ids=other.ids)
        self.assertFalse(Scorecard.search([("supplier_id", "=", self.gasket_co.id)]))

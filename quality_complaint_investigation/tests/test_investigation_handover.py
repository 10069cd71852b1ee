"""The investigation's hand-overs: one click from the complaint, the supplier from
the lots' traceability, the quality manager's approval activity."""

from datetime import timedelta

from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common import receive_lots
from odoo.tests import Form, new_test_user, tagged

from .test_investigation import InvestigationCase

APPROVAL = "quality_complaint_investigation.mail_activity_type_investigation_approval"


@tagged("post_install", "-at_install")
class TestStartInOneClick(InvestigationCase):
    def test_one_click_opens_the_investigation_in_progress(self):
        ticket = self.Ticket.create(self.complaint_vals())
        action = ticket.with_user(self.officer).action_start_investigation()
        investigation = ticket.investigation_id
        self.assertEqual(action["res_model"], "quality.complaint.investigation")
        self.assertEqual(action["res_id"], investigation.id, "it opens")
        self.assertEqual(investigation.state, "in_progress", "no second click on Start")
        self.assertEqual(investigation.product_id, self.kettle)
        self.assertEqual(investigation.lot_ids, self.lot_a)
        self.assertEqual(investigation.company_id, ticket.company_id)
        self.assertEqual(investigation.ticket_ids, ticket)
        self.assertEqual(investigation.user_id, self.officer)

    def test_a_second_click_on_the_lot_joins_and_says_so(self):
        first = self.Ticket.create(self.complaint_vals())
        first.with_user(self.officer).action_start_investigation()
        investigation = first.investigation_id
        second = self.Ticket.create(self.bob_complaint())
        action = second.with_user(self.officer).action_start_investigation()
        self.assertEqual(second.investigation_id, investigation, "no duplicate")
        self.assertEqual(self.Investigation.search_count([("lot_ids", "in", self.lot_a.ids)]), 1)
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn(investigation.name, action["params"]["message"])
        self.assertIn("K1-A", action["params"]["message"])
        self.assertEqual(action["params"]["next"]["res_id"], investigation.id, "and opens it")
        self.assertEqual(investigation.state, "in_progress")

    def test_a_hand_made_investigation_on_the_lot_names_the_open_one(self):
        ticket = self.Ticket.create(self.complaint_vals())
        ticket.with_user(self.officer).action_start_investigation()
        investigation = ticket.investigation_id
        form = Form(self.Investigation.with_user(self.officer))
        form.title = "Leaking kettles again"
        self.assertFalse(form.qc_open_investigation_id)
        form.lot_ids.add(self.lot_a)
        self.assertEqual(form.qc_open_investigation_id, investigation, "the banner names it")
        form.lot_ids.remove(self.lot_a.id)
        form.lot_ids.add(self.lot_b)
        self.assertFalse(form.qc_open_investigation_id, "another lot: nothing to say")

    def test_an_approved_investigation_is_not_offered(self):
        investigation = self.analysed_investigation()
        investigation.with_user(self.manager).action_approve()
        form = Form(self.Investigation.with_user(self.officer))
        form.title = "New finding"
        form.lot_ids.add(self.lot_a)
        self.assertFalse(form.qc_open_investigation_id)
        self.assertFalse(investigation.qc_open_investigation_id)


@tagged("post_install", "-at_install")
class TestSupplierFromTraceability(InvestigationCase):
    def investigation(self, lots):
        return self.Investigation.create(
            {"title": "Leaks", "product_id": self.kettle.id, "lot_ids": [Command.set(lots.ids)]}
        )

    def test_the_only_vendor_of_the_lot_is_proposed(self):
        investigation = self.investigation(self.lot_a)
        self.assertEqual(investigation.qc_lot_vendor_ids, self.vendor)
        self.assertNotIn(self.alice, investigation.qc_lot_vendor_ids, "customers are no vendors")
        self.assertFalse(investigation.supplier_id, "no material cause yet: nobody blamed")
        with Form(investigation.with_user(self.officer)) as form:
            form.root_cause_category = "material"
            self.assertEqual(form.supplier_id, self.vendor, "proposed")
        self.assertEqual(investigation.supplier_id, self.vendor)

    def test_a_chosen_supplier_is_kept(self):
        other = self.env["res.partner"].create({"name": "Other Parts"})
        investigation = self.investigation(self.lot_a)
        investigation.supplier_id = other
        investigation.root_cause_category = "material"
        self.assertEqual(investigation.supplier_id, other)

    def test_two_vendors_are_offered_none_imposed(self):
        second = self.env["res.partner"].create({"name": "Second Kettle Source"})
        receive_lots(self.env, second, self.kettle, {"K1-C": 5})
        lot_c = self.env["stock.lot"].search([("name", "=", "K1-C")])
        investigation = self.investigation(self.lot_a | lot_c)
        self.assertEqual(investigation.qc_lot_vendor_ids, self.vendor | second)
        investigation.root_cause_category = "material"
        self.assertFalse(investigation.supplier_id, "two vendors: the officer chooses")
        lot_c_only = self.investigation(lot_c)
        self.assertEqual(lot_c_only.qc_lot_vendor_ids, second, "the vendors of its own lots")

    def test_the_form_limits_the_supplier_to_the_vendors(self):
        investigation = self.investigation(self.lot_a)
        arch = investigation.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("[('id', 'in', qc_lot_vendor_ids)]", arch)
        no_lot = self.Investigation.create({"title": "No lot"})
        self.assertFalse(no_lot.qc_lot_vendor_ids, "no lots: any supplier may be chosen")


@tagged("post_install", "-at_install")
class TestApprovalActivity(InvestigationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.boss = new_test_user(
            cls.env,
            login="qc_boss",
            name="Bao Boss",
            groups="quality_complaint.group_complaint_manager",
            lang="zh_CN",
            tz="Asia/Shanghai",
        )

    def approvals(self, investigation, done=False):
        Activity = self.env["mail.activity"].with_context(active_test=False)
        return Activity.search(
            [
                ("res_model", "=", investigation._name),
                ("res_id", "=", investigation.id),
                ("activity_type_id", "=", self.env.ref(APPROVAL).id),
                ("active", "=", not done),
            ]
        )

    def test_the_quality_manager_is_asked_in_his_language(self):
        self.company.qc_quality_manager_id = self.boss
        investigation = self.analysed_investigation()
        shanghai_today = fields.Date.context_today(self.boss.with_context(tz="Asia/Shanghai"))
        activity = self.approvals(investigation)
        self.assertEqual(activity.user_id, self.boss, "only the company's quality manager")
        self.assertEqual(activity.summary, f"批准 {investigation.name} 的分析")
        self.assertIn("提交", str(activity.note))
        self.assertEqual(
            activity.date_deadline, shanghai_today + timedelta(days=2), "two days, his days"
        )

        investigation.with_user(self.boss).action_reopen()
        self.assertFalse(self.approvals(investigation), "refused: marked done")
        refused = self.approvals(investigation, done=True)
        self.assertIn("sent back in progress", refused.feedback)
        investigation.with_user(self.officer).action_mark_analysed()
        investigation.with_user(self.officer).action_reopen()
        investigation.with_user(self.officer).action_mark_analysed()
        self.assertEqual(len(self.approvals(investigation)), 1, "resubmitted: one activity")
        investigation._qc_ask_approval()
        self.assertEqual(len(self.approvals(investigation)), 1, "never two")

        investigation.with_user(self.boss).action_approve()
        self.assertFalse(self.approvals(investigation))
        approved = self.approvals(investigation, done=True).filtered(
            lambda a: "Approved by" in (a.feedback or "")
        )
        self.assertEqual(len(approved), 1)
        self.assertIn("Bao Boss", approved.feedback)

    def test_without_a_quality_manager_the_managers_are_asked(self):
        self.company.qc_quality_manager_id = False
        investigation = self.analysed_investigation()
        asked = self.approvals(investigation).user_id
        self.assertIn(self.manager, asked)
        self.assertIn(self.boss, asked)
        self.assertNotIn(self.officer, asked)
        self.assertFalse(asked.filtered("share"))
        investigation.with_user(self.manager).action_approve()
        self.assertFalse(self.approvals(investigation), "one approval closes them all")

    def test_nobody_to_ask_is_said_in_the_chatter(self):
        elsewhere = self.env["res.company"].create({"name": "Nobody Approves Ltd"})
        investigation = self.Investigation.create(
            {
                "title": "Far away",
                "company_id": elsewhere.id,
                "why_ids": [Command.create({"why": "Why?", "because": "Because."})],
                "root_cause_summary": "Wrong method.",
                "root_cause_category": "method",
            }
        )
        investigation.action_mark_analysed()
        self.assertFalse(self.approvals(investigation))
        self.assertTrue(
            investigation.message_ids.filtered(lambda m: "nobody is told" in m.body),
            "the chatter says nobody was asked",
        )

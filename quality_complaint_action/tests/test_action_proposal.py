from freezegun import freeze_time
from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common_action import CorrectiveActionCase


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestActionProposal(CorrectiveActionCase):
    """An approved root cause proposes its actions; the 8D report assembles them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.production_head = new_test_user(
            cls.env, login="qc_production_head", name="Pete Production", groups="base.group_user"
        )
        cls.env.ref("quality_complaint_action.department_production").user_id = cls.production_head
        cls.env.ref("quality_complaint_action.department_purchasing").user_id = cls.purchase_manager
        # quality has no head here (the demo data may give it one)
        cls.env.ref("quality_complaint_action.department_quality").user_id = False
        # the kettle lots came in on one purchase order from Kettle Parts Ltd
        cls.kettle_order = (
            cls.env["quality.complaint.lot.move"]
            .search([("lot_id", "=", cls.lot_a.id), ("kind", "=", "receipt")])
            .purchase_id
        )

    def approved(self, category, **vals):
        """Alice's complaint, investigated by the officer, approved with a ``category`` cause."""
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.write(
            {
                "user_id": self.officer.id,
                "why_ids": [
                    Command.create({"why": "Why does it leak?", "because": "The seam is open"}),
                    Command.create(
                        {"why": "Why is it open?", "because": "The operator skipped the step"}
                    ),
                ],
                "root_cause_summary": "The seaming step was skipped.",
                "root_cause_category": category,
                **vals,
            }
        )
        investigation.action_mark_analysed()
        investigation.action_approve()
        return investigation

    def propose(self, investigation, user=None):
        return investigation.with_user(user or self.officer).action_propose_actions()

    def test_material_cause_addresses_the_supplier(self):
        investigation = self.approved_investigation()
        investigation.user_id = self.officer
        result = self.propose(investigation)

        actions = investigation.action_ids
        self.assertEqual(self.Action.search(result["domain"]), actions)
        by_kind = {action.kind: action for action in actions}
        self.assertEqual(len(actions), 3)
        self.assertEqual(set(by_kind), {"containment", "corrective", "preventive"})
        self.assertEqual(set(actions.mapped("state")), {"draft"})
        scar = by_kind["corrective"]
        self.assertEqual(scar.title, "Supplier corrective action request (8D from the supplier)")
        for action in (by_kind["containment"], scar):
            self.assertEqual(action.partner_id, self.vendor)
            self.assertEqual(action.purchase_order_ids, self.kettle_order)
            self.assertEqual(action.lot_ids, self.lot_a)
            self.assertEqual(action.product_ids, self.kettle)
        self.assertIn(self.lot_a, self.kettle_order.picking_ids.move_line_ids.lot_id)
        # owners: the purchasing head; quality has no head, so the investigation owner
        self.assertEqual(scar.user_id, self.purchase_manager)
        self.assertEqual(by_kind["containment"].user_id, self.officer)
        self.assertEqual(
            [(kind, str(by_kind[kind].date_deadline)) for kind in sorted(by_kind)],
            [
                ("containment", "2026-03-04"),
                ("corrective", "2026-03-16"),
                ("preventive", "2026-04-01"),
            ],
        )
        # they answer the fishbone root cause
        self.assertEqual(scar.root_cause_source, "fishbone")
        self.assertEqual(scar.fishbone_cause_id, investigation.fishbone_cause_ids)
        self.assertEqual(scar.root_cause, "Gasket lot out of spec")
        # the incoming inspection is ours, not the supplier's
        sampling = by_kind["preventive"]
        self.assertEqual(sampling.title, "Raise incoming inspection sampling for this material")
        self.assertFalse(sampling.partner_id)
        self.assertFalse(sampling.purchase_order_ids)
        self.assertEqual(sampling.department_id.name, "Quality")

    def test_proposing_twice_adds_nothing(self):
        investigation = self.approved_investigation()
        self.propose(investigation)
        first = investigation.action_ids
        first.filtered(lambda a: a.kind == "preventive").with_user(self.officer).action_cancel()
        by_hand = self.new_action(investigation_id=investigation.id, title="Audit the supplier")
        self.propose(investigation)
        self.assertEqual(investigation.action_ids, first | by_hand)
        self.assertEqual(len(first), 3, "a cancelled proposal is not proposed again")

    def test_man_cause_proposes_a_training(self):
        investigation = self.approved("man")
        self.propose(investigation)
        action = investigation.action_ids
        self.assertEqual(action.title, "Train the line operators on the work instruction")
        self.assertEqual(action.department_id.name, "Production")
        self.assertEqual(action.user_id, self.production_head)
        self.assertEqual(action.root_cause_source, "five_whys")
        self.assertEqual(action.root_cause, "The operator skipped the step")
        self.assertEqual(action.root_cause_category, "man")
        self.assertFalse(action.partner_id, "a training is not addressed to the supplier")
        self.assertEqual(action.date_deadline, fields.Date.to_date("2026-03-16"))

    def test_fishbone_root_causes_add_their_proposals(self):
        investigation = self.approved(
            "method",
            fishbone_cause_ids=[
                Command.create(
                    {"category": "environment", "description": "Wet storage", "is_root_cause": True}
                ),
                Command.create({"category": "machine", "description": "Old press"}),
            ],
        )
        self.propose(investigation)
        actions = investigation.action_ids
        self.assertEqual(
            set(actions.mapped("title")),
            {
                "Revise the process document / work instruction",
                "Improve storage, transport and packaging protection",
            },
            "a cause not marked as root cause proposes nothing",
        )
        storage = actions.filtered(lambda a: a.root_cause_category == "environment")
        self.assertEqual(storage.department_id.name, "Warehouse and packaging")
        self.assertEqual(storage.root_cause, "Wet storage")

    def test_refused_before_approval(self):
        ticket = self.env["helpdesk.ticket"].create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.action_start()
        with self.assertRaisesRegex(UserError, "is not approved: actions are proposed from"):
            self.propose(investigation)
        self.assertFalse(investigation.action_ids)

    def test_customer_service_cannot_propose(self):
        investigation = self.approved_investigation()
        with self.assertRaisesRegex(UserError, "Only a quality officer"):
            self.propose(investigation, user=self.cs_user)
        self.assertFalse(investigation.action_ids)

    def test_no_proposal_for_the_cause(self):
        Template = self.env["quality.complaint.action.template"]
        Template.search([("root_cause_category", "=", "measurement")]).active = False
        investigation = self.approved("measurement")
        with self.assertRaisesRegex(UserError, r"Measurement.*Configuration > Action Proposals"):
            self.propose(investigation)

    def test_company_edits_its_proposals(self):
        Template = self.env["quality.complaint.action.template"].with_user(self.manager)
        training = self.env.ref("quality_complaint_action.action_template_man_training")
        training.with_user(self.manager).write({"title": "Retrain on the seaming step"})
        own = Template.create(
            {
                "root_cause_category": "man",
                "kind": "preventive",
                "title": "Add a poka-yoke on the seaming station",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(own.deadline_days, 30, "a preventive action gets a month by default")
        other = self.env["res.company"].create({"name": "Other Kettles"})
        self.env["quality.complaint.action.template"].create(
            {
                "root_cause_category": "man",
                "title": "Other company's training",
                "company_id": other.id,
            }
        )
        with self.assertRaises(AccessError):
            Template.with_user(self.officer).create({"root_cause_category": "man", "title": "X"})

        investigation = self.approved("man")
        self.propose(investigation)
        self.assertEqual(
            set(investigation.action_ids.mapped("title")),
            {"Retrain on the seaming step", "Add a poka-yoke on the seaming station"},
        )
        self.assertEqual(
            investigation.action_ids.filtered(lambda a: a.kind == "preventive").date_deadline,
            fields.Date.to_date("2026-04-01"),
        )

    def test_hint_and_buttons_on_the_investigation(self):
        views = (
            self.env["quality.complaint.investigation"]
            .with_user(self.officer)
            .get_views([(False, "form")])
        )
        doc = etree.fromstring(views["views"]["form"]["arch"])
        [hint] = doc.xpath("//div[@name='propose_hint']")
        self.assertEqual(hint.get("invisible"), "state != 'approved' or action_count")
        self.assertTrue(doc.xpath("//header/button[@name='action_propose_actions']"))
        self.assertTrue(doc.xpath("//button[@name='action_open_8d']"))
        views = (
            self.env["quality.complaint.investigation"]
            .with_user(self.cs_user)
            .get_views([(False, "form")])
        )
        doc = etree.fromstring(views["views"]["form"]["arch"])
        self.assertFalse(doc.xpath("//button[@name='action_propose_actions']"))

    def test_8d_report_assembles_the_record(self):
        investigation = self.approved_investigation()
        investigation.user_id = self.officer
        self.propose(investigation)
        scar = investigation.action_ids.filtered(lambda a: a.kind == "corrective")
        containment = investigation.action_ids.filtered(lambda a: a.kind == "containment")
        containment.with_user(self.officer).action_open()
        containment.with_user(self.officer).action_done()

        report = investigation.with_user(self.cs_user).action_open_8d()
        [(view_id, _mode)] = report["views"]
        arch = (
            self.env["quality.complaint.investigation"]
            .with_user(self.cs_user)
            .get_views([(view_id, "form")])["views"]["form"]["arch"]
        )
        doc = etree.fromstring(arch)
        self.assertEqual(
            [group.get("string") for group in doc.xpath("//sheet/group")],
            [
                "D1 Team",
                "D2 Problem",
                "D3 Containment",
                "D4 Root cause",
                "D5 Chosen corrective actions",
                "D6 Implemented",
                "D7 Prevent recurrence",
                "D8 Closure",
            ],
        )
        self.assertEqual(doc.get("edit"), "0")

        form = Form(investigation.with_user(self.cs_user), view=view_id)
        # D1: the investigation owner, the action owners, the approver
        self.assertIn(self.officer, form.qc8d_team_ids)
        self.assertIn(self.purchase_manager, form.qc8d_team_ids)
        # D2: the complaint and its customer
        self.assertEqual(form.qc8d_affected_qty, 2)
        self.assertIn(self.alice, form.qc8d_customer_ids)
        # D3 and D4
        self.assertIn(containment, form.qc8d_containment_action_ids)
        self.assertEqual(form.qc8d_why_conclusion, "The supplier skipped its test")
        self.assertEqual(
            [cause.description for cause in form.qc8d_root_cause_ids], ["Gasket lot out of spec"]
        )
        self.assertEqual(form.supplier_id, self.vendor)
        # D5, D6, D7
        self.assertEqual(list(form.qc8d_corrective_action_ids), [scar])
        self.assertEqual(list(form.qc8d_implemented_action_ids), [containment])
        self.assertEqual(
            [a.title for a in form.qc8d_preventive_action_ids],
            ["Raise incoming inspection sampling for this material"],
        )
        # D8
        self.assertEqual(form.approved_by_id, investigation.approved_by_id)
        self.assertEqual(
            form.qc8d_closure,
            "Approved; 0 of 1 complaints closed; 0 of 3 actions verified effective",
        )

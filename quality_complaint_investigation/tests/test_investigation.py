from lxml import etree

from odoo import Command
from odoo.addons.quality_complaint.tests.common import (
    QualityComplaintCase,
    other_company_user,
    sell_and_deliver,
)
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged


class InvestigationCase(QualityComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carol = cls.env["res.partner"].create(
            {"name": "Carol Store", "is_company": True, "email": "carol@example.com"}
        )
        cls.order_carol = sell_and_deliver(cls.env, cls.carol, [(cls.kettle, 7, cls.lot_a, None)])
        cls.Ticket = cls.env["helpdesk.ticket"]
        cls.Investigation = cls.env["quality.complaint.investigation"]

    def preview(self, action, user=None):
        """The message preview ``action`` opened."""
        self.assertEqual(action["res_model"], "quality.complaint.message.preview")
        self.assertEqual(action["target"], "new")
        Preview = self.env["quality.complaint.message.preview"].with_user(user or self.env.user)
        return Preview.browse(action["res_id"])

    def send(self, action, user=None):
        """Send from the preview ``action`` opened, as the user would."""
        return self.preview(action, user).action_send()

    def bob_complaint(self, **overrides):
        return self.complaint_vals(
            partner_id=self.bob.id, sale_order_id=self.order_bob.id, affected_qty=1, **overrides
        )

    def analysed_investigation(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.write(
            {
                "state": "in_progress",
                "why_ids": [Command.create({"why": "Why does it leak?", "because": "Thin gasket"})],
                "fishbone_cause_ids": [
                    Command.create(
                        {
                            "category": "material",
                            "description": "Thin gasket",
                            "is_root_cause": True,
                        }
                    )
                ],
                "root_cause_summary": "The supplier's gasket lot was out of spec.",
                "root_cause_category": "material",
                "supplier_id": self.vendor.id,
            }
        )
        investigation.action_mark_analysed()
        return investigation


@tagged("post_install", "-at_install")
class TestBatchDefectPath(InvestigationCase):
    def test_complaints_on_one_lot_share_one_investigation(self):
        alice_ticket = self.Ticket.create(self.complaint_vals())
        investigation = alice_ticket._qc_open_or_join_investigation()
        self.assertEqual(len(investigation), 1)
        self.assertEqual(alice_ticket.investigation_id, investigation)
        self.assertEqual(investigation.lot_ids, self.lot_a)
        self.assertEqual(investigation.product_id, self.kettle)
        self.assertTrue(investigation.name.startswith("INV/"))
        self.assertEqual(investigation.state, "draft")

        bob_ticket = self.Ticket.create(self.bob_complaint())
        joined = bob_ticket._qc_open_or_join_investigation()
        self.assertEqual(joined, investigation, "the second complaint on the lot joins")
        self.assertEqual(investigation.ticket_ids, alice_ticket | bob_ticket)
        self.assertEqual(investigation.ticket_count, 2)
        self.assertEqual(investigation.customer_count, 2)
        self.assertIn("joined the investigation", investigation.message_ids[0].body)

        again = (alice_ticket | bob_ticket)._qc_open_or_join_investigation()
        self.assertEqual(again, investigation, "running twice changes nothing")
        self.assertEqual(self.Investigation.search_count([("lot_ids", "in", self.lot_a.ids)]), 1)

    def test_a_recordset_on_a_new_lot_opens_one_investigation(self):
        tickets = self.Ticket.create(
            [self.complaint_vals(), self.complaint_vals(affected_qty=1), self.bob_complaint()]
        )
        toaster = self.Ticket.create(
            self.bob_complaint(
                product_id=self.toaster.id, lot_ids=[Command.set(self.lot_toaster.ids)]
            )
        )
        investigations = (tickets | toaster)._qc_open_or_join_investigation()
        self.assertEqual(len(investigations), 2)
        self.assertEqual(len(tickets.investigation_id), 1)
        self.assertNotEqual(toaster.investigation_id, tickets.investigation_id)
        self.assertEqual(toaster.investigation_id.lot_ids, self.lot_toaster)

    def test_an_approved_investigation_is_not_joined(self):
        investigation = self.analysed_investigation()
        investigation.with_user(self.manager).action_approve()
        late = self.Ticket.create(self.bob_complaint())
        new = late._qc_open_or_join_investigation()
        self.assertNotEqual(new, investigation)
        self.assertEqual(new.state, "draft")

    def test_start_investigation_button(self):
        ticket = self.Ticket.create(self.complaint_vals())
        with self.assertRaises(UserError):
            ticket.with_user(self.cs_user).action_start_investigation()
        self.assertFalse(ticket.investigation_id, "nothing changed")
        action = ticket.with_user(self.officer).action_start_investigation()
        self.assertEqual(action["res_model"], "quality.complaint.investigation")
        self.assertEqual(action["res_id"], ticket.investigation_id.id)
        self.assertEqual(ticket.investigation_id.user_id, self.officer)
        plain = self.Ticket.create({"name": "Question", "description": "<p>?</p>"})
        with self.assertRaises(UserError):
            plain.with_user(self.officer).action_start_investigation()
        self.assertEqual(ticket.action_view_investigation()["res_id"], ticket.investigation_id.id)
        lot_action = self.lot_a.action_view_qc_investigations()
        self.assertEqual(self.Investigation.search(lot_action["domain"]), ticket.investigation_id)
        self.assertEqual(self.lot_a.qc_investigation_count, 1)


@tagged("post_install", "-at_install")
class TestRootCauseAnalysis(InvestigationCase):
    def test_five_whys_are_ordered_and_edited_inline(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        form = Form(investigation.with_user(self.officer))
        for why, because in [
            ("Why does the kettle leak?", "The gasket is too thin."),
            ("Why is the gasket too thin?", "The supplier lot was out of spec."),
            ("Why was it out of spec?", "The supplier skipped its test."),
        ]:
            with form.why_ids.new() as line:
                line.why = why
                line.because = because
        form.save()
        whys = investigation.why_ids
        self.assertEqual(
            whys.mapped("why"),
            ["Why does the kettle leak?", "Why is the gasket too thin?", "Why was it out of spec?"],
        )
        self.assertEqual(whys.mapped("step"), [1, 2, 3])

        # drag the last step to the top (the list's handle rewrites the sequences)
        whys[2].sequence = 1
        whys[0].sequence = 2
        whys[1].sequence = 3
        investigation.invalidate_recordset(["why_ids"])
        self.assertEqual(investigation.why_ids[0].why, "Why was it out of spec?")
        self.assertEqual(investigation.why_ids.mapped("step"), [1, 2, 3])

        form = Form(investigation.with_user(self.officer))
        with form.why_ids.edit(1) as line:
            line.because = "The gasket is 1.2 mm instead of 1.8 mm."
        form.why_ids.remove(2)
        form.save()
        self.assertEqual(len(investigation.why_ids), 2)
        self.assertEqual(
            investigation.why_ids[1].because, "The gasket is 1.2 mm instead of 1.8 mm."
        )

    def test_fishbone_data_for_the_diagram(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.fishbone_cause_ids = [
            Command.create(
                {"category": "material", "description": "密封圈厚度不足", "is_root_cause": True}
            ),
            Command.create({"category": "material", "description": "Wrong resin grade"}),
            Command.create({"category": "man", "description": "New night-shift operator"}),
        ]
        data = investigation.fishbone_data
        self.assertEqual(
            [bone["category"] for bone in data["bones"]],
            ["man", "machine", "material", "method", "environment", "measurement"],
        )
        material = data["bones"][2]
        self.assertEqual(material["label"], "Material")
        self.assertEqual(
            material["causes"],
            [
                {"text": "密封圈厚度不足", "root": True},
                {"text": "Wrong resin grade", "root": False},
            ],
        )
        self.assertEqual(data["bones"][1]["causes"], [])

    def test_analysis_needs_a_conclusion(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.action_start()
        with self.assertRaisesRegex(UserError, "5-Why chain or fishbone"):
            investigation.action_mark_analysed()
        investigation.write(
            {
                "fishbone_cause_ids": [
                    Command.create({"category": "material", "description": "Thin gasket"})
                ],
                "root_cause_summary": "Gasket lot out of spec",
                "root_cause_category": "material",
            }
        )
        with self.assertRaisesRegex(UserError, "marked as root cause"):
            investigation.action_mark_analysed()
        investigation.fishbone_cause_ids.is_root_cause = True
        investigation.supplier_id = False  # the lot's vendor was proposed: cleared
        with self.assertRaisesRegex(UserError, "supplier at fault"):
            investigation.action_mark_analysed()
        self.assertEqual(investigation.state, "in_progress", "nothing changed")
        investigation.supplier_id = self.vendor
        investigation.action_mark_analysed()
        self.assertEqual(investigation.state, "analysed")

    def test_approval_locks_except_for_managers(self):
        investigation = self.analysed_investigation()
        as_officer = investigation.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "Only a quality manager"):
            as_officer.action_approve()
        self.assertEqual(investigation.state, "analysed")

        investigation.with_user(self.manager).action_approve()
        self.assertEqual(investigation.state, "approved")
        self.assertEqual(investigation.approved_by_id, self.manager)
        self.assertTrue(investigation.approved_date)
        self.assertTrue(investigation.is_locked)

        with self.assertRaisesRegex(UserError, "approved and locked"):
            as_officer.title = "Changed"
        with self.assertRaisesRegex(UserError, "approved and locked"):
            as_officer.why_ids[0].because = "Changed"
        with self.assertRaisesRegex(UserError, "approved and locked"):
            self.env["quality.complaint.why"].with_user(self.officer).create(
                {"investigation_id": investigation.id, "why": "Another why?"}
            )
        with self.assertRaisesRegex(UserError, "approved and locked"):
            as_officer.fishbone_cause_ids.unlink()
        with self.assertRaisesRegex(UserError, "approved and locked"):
            self.env["quality.complaint.test"].with_user(self.officer).create(
                {"investigation_id": investigation.id, "name": "Re-test"}
            )
        with self.assertRaisesRegex(UserError, "Only a quality manager"):
            as_officer.action_unlock()
        self.assertEqual(investigation.state, "approved")
        self.assertEqual(investigation.why_ids[0].because, "Thin gasket")

        # the manager may still correct it, and unlock it
        investigation.with_user(self.manager).why_ids[0].because = "Gasket 1.2 mm thin"
        investigation.with_user(self.manager).action_unlock()
        self.assertEqual(investigation.state, "analysed")
        self.assertFalse(investigation.approved_by_id)
        as_officer.title = "Editable again"
        self.assertEqual(investigation.title, "Editable again")

    def test_inspection_and_test_records(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation().with_user(self.officer)
        photo = (
            self.env["ir.attachment"]
            .with_user(self.officer)
            .create({"name": "unit.jpg", "raw": b"jpg"})
        )
        investigation.inspection_ids = [
            Command.create(
                {
                    "ticket_id": ticket.id,
                    "engineer_id": self.manager.id,
                    "defect_features": "Scratch on the lid, gasket deformed",
                    "fault_code": "E-TH02",
                    "matches_description": "yes",
                    "attachment_ids": [Command.set(photo.ids)],
                    "measurement_ids": [
                        Command.create({"name": "Scratch length", "value": 12.5, "unit": "mm"})
                    ],
                }
            )
        ]
        investigation.test_ids = [
            Command.create(
                {
                    "name": "48 h at 45 °C",
                    "test_type": "reproduction",
                    "lot_id": self.lot_a.id,
                    "sample_qty": 5,
                    "result": "reproduced",
                }
            )
        ]
        inspection = investigation.inspection_ids
        self.assertEqual(inspection.inspector_id, self.officer)
        self.assertEqual(inspection.measurement_ids.value, 12.5)
        self.assertEqual(inspection.attachment_ids, photo)
        self.assertEqual(investigation.test_ids.result, "reproduced")


@tagged("post_install", "-at_install")
class TestProgressUpdate(InvestigationCase):
    def notifications(self, partner):
        return self.env["mail.notification"].search(
            [
                ("res_partner_id", "=", partner.id),
                ("mail_message_id.model", "=", "helpdesk.ticket"),
                ("mail_message_id.subject", "ilike", "progress on your complaint"),
            ]
        )

    def test_each_linked_customer_is_informed_once_per_click(self):
        alice_1 = self.Ticket.create(self.complaint_vals())
        alice_2 = self.Ticket.create(self.complaint_vals(affected_qty=1, name="Second kettle"))
        bob = self.Ticket.create(self.bob_complaint())
        investigation = (alice_1 | alice_2 | bob)._qc_open_or_join_investigation()
        action = investigation.with_user(self.officer).action_send_progress_update()
        preview = self.preview(action, self.officer)
        self.assertEqual(preview.line_ids.mapped("res_id"), (alice_1 | bob).ids)
        for line, customer in zip(preview.line_ids, (self.alice, self.bob), strict=True):
            self.assertEqual(line.partner_ids, customer, "To is filled in")
            self.assertIn(customer.name, line.body, "rendered for the customer")
            self.assertNotIn("{{", line.subject + line.body)
            self.assertIn("progress on your complaint", line.subject)
        self.assertFalse(self.notifications(self.alice), "nothing is sent before the user sends")
        self.assertEqual(investigation.progress_update_count, 0)
        preview.action_send()

        self.assertEqual(len(self.notifications(self.alice)), 1)
        self.assertEqual(len(self.notifications(self.bob)), 1)
        self.assertEqual(len(self.notifications(self.carol)), 0)
        for ticket in (alice_1, bob):
            posted = ticket.message_ids.filtered(
                lambda m: "progress on your complaint" in (m.subject or "")
            )
            self.assertEqual(len(posted), 1)
            self.assertIn("a part is abnormal", posted.body)
        note = alice_2.message_ids[0]
        self.assertIn(alice_1.display_name, note.body)
        self.assertTrue(note.subtype_id.internal)
        self.assertEqual(investigation.progress_update_count, 1)
        self.assertTrue(investigation.progress_update_date)
        self.assertIn("Progress update sent to 2 customer(s)", investigation.message_ids[0].body)

        # the same preview sent twice (double click) counts once
        with self.assertRaises(UserError):
            preview.action_send()
        self.assertEqual(investigation.progress_update_count, 1)

        action = investigation.with_user(self.officer).action_send_progress_update()
        self.send(action, self.officer)
        self.assertEqual(len(self.notifications(self.alice)), 2)
        self.assertEqual(investigation.progress_update_count, 2)

    def test_cancelled_preview_changes_nothing(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        messages = self.env["mail.message"].search_count([])
        investigation.with_user(self.officer).action_send_progress_update()
        self.assertEqual(self.env["mail.message"].search_count([]), messages)
        self.assertEqual(investigation.progress_update_count, 0)
        self.assertFalse(investigation.progress_update_date)

    def test_a_preview_on_other_complaints_is_refused(self):
        """The preview can be written over RPC: a line on a complaint outside the
        investigation is refused, nothing is sent nor counted."""
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        outsider = self.Ticket.create(self.bob_complaint())
        action = investigation.with_user(self.officer).action_send_progress_update()
        preview = self.preview(action, self.officer)
        preview.line_ids.res_id = outsider.id
        messages = len(outsider.message_ids)
        with self.assertRaises(UserError):
            preview.action_send()
        self.assertEqual(len(outsider.message_ids), messages)
        self.assertEqual(investigation.progress_update_count, 0)
        self.assertFalse(investigation.progress_update_date)

    def test_customer_service_may_not_send(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        with self.assertRaises(AccessError):
            investigation.with_user(self.cs_user).action_send_progress_update()

    def test_no_customer_to_inform(self):
        investigation = self.Investigation.create({"title": "Internal finding"})
        with self.assertRaises(UserError):
            investigation.action_send_progress_update()
        self.assertEqual(investigation.progress_update_count, 0)


@tagged("post_install", "-at_install")
class TestInvestigationAccess(InvestigationCase):
    def test_customer_service_reads_quality_writes_manager_approves(self):
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        as_cs = investigation.with_user(self.cs_user)
        self.assertEqual(as_cs.read(["name"])[0]["name"], investigation.name)
        self.assertTrue(as_cs.trace_move_ids, "customer service reads the traceability")
        # the forms, with their traceability lists, open for customer service
        form = Form(as_cs)
        self.assertEqual(len(form.receipt_move_ids), 1)
        self.assertEqual(len(form.containment_ids), 2)
        self.assertEqual(as_cs.receipt_move_ids.purchase_ref[:1], "P")
        lot_form = Form(self.lot_a.with_user(self.cs_user))
        self.assertEqual(len(lot_form.qc_customer_ids), 3)
        with self.assertRaises(AccessError):
            as_cs.title = "Mine"
        with self.assertRaises(AccessError):
            self.Investigation.with_user(self.cs_user).create({"title": "Mine"})
        with self.assertRaises(AccessError):
            self.env["quality.complaint.why"].with_user(self.cs_user).create(
                {"investigation_id": investigation.id, "why": "Why?"}
            )
        other = self.Ticket.create(self.bob_complaint())
        with self.assertRaisesRegex(UserError, "Only quality officers"):
            other.with_user(self.cs_user).investigation_id = investigation
        self.assertFalse(other.investigation_id)
        other.with_user(self.officer).investigation_id = investigation
        self.assertEqual(investigation.ticket_count, 2)

        mine = self.Investigation.with_user(self.officer).create({"title": "Officer's"})
        mine.why_ids = [Command.create({"why": "Why?", "because": "Because."})]
        mine.action_start()
        with self.assertRaises(AccessError):
            mine.unlink()
        self.Investigation.with_user(self.manager).browse(mine.id).unlink()
        self.assertFalse(mine.exists())

    def test_multi_company(self):
        other_officer, other = other_company_user(
            self.env, "qc_other_officer", "quality_complaint.group_complaint_officer"
        )
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        theirs = self.Investigation.with_user(other_officer).create({"title": "Theirs"})
        self.assertEqual(theirs.company_id, other)
        visible = self.Investigation.with_user(other_officer).search([])
        self.assertIn(theirs, visible)
        self.assertNotIn(investigation, visible)
        with self.assertRaises(AccessError):
            investigation.with_user(other_officer).read(["title"])
        self.assertFalse(
            self.env["quality.complaint.lot.move"]
            .with_user(other_officer)
            .search([("lot_id", "=", self.lot_a.id)])
        )


@tagged("post_install", "-at_install")
class TestInvestigationViews(InvestigationCase):
    def test_views_load_for_each_group(self):
        for user in (self.cs_user, self.officer, self.manager):
            Investigation = self.Investigation.with_user(user)
            views = Investigation.get_views(
                [(False, "kanban"), (False, "list"), (False, "form"), (False, "search")]
            )["views"]
            self.assertIn("qc_fishbone", views["form"]["arch"])
            approve_shown = 'name="action_approve"' in views["form"]["arch"]
            self.assertEqual(approve_shown, user == self.manager)
            # the parts' own views are embedded: whys and causes are edited inline
            form = etree.fromstring(views["form"]["arch"])
            for field in ("why_ids", "fishbone_cause_ids"):
                self.assertEqual(form.xpath(f"//field[@name='{field}']/list/@editable"), ["bottom"])
            self.assertTrue(form.xpath("//field[@name='inspection_ids']/list/field[@name='date']"))
            inspection = self.env["quality.complaint.inspection"].with_user(user)
            inspection_form = etree.fromstring(
                inspection.get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertEqual(
                inspection_form.xpath("//field[@name='measurement_ids']/list/@editable"), ["bottom"]
            )
        ticket = self.Ticket.create(self.complaint_vals())
        action = self.env.ref(
            "quality_complaint_investigation.action_quality_complaint_investigation"
        )
        self.assertIn("kanban", action.view_mode)
        form = Form(ticket.with_user(self.officer))
        self.assertFalse(form.investigation_id)


@tagged("post_install", "-at_install")
class TestInvestigationChinese(InvestigationCase):
    def test_progress_update_and_fishbone_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["quality_complaint", "quality_complaint_investigation"], ["zh_CN"]
        )
        self.alice.lang = "zh_CN"
        ticket = self.Ticket.create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.fishbone_cause_ids = [
            Command.create({"category": "man", "description": "夜班新操作员"})
        ]
        bones = investigation.with_context(lang="zh_CN").fishbone_data["bones"]
        labels = [b["label"] for b in bones]
        self.assertEqual(labels, ["人员", "机器", "物料", "方法", "环境", "测量"])
        self.assertEqual(bones[0]["causes"], [{"text": "夜班新操作员", "root": False}])
        self.send(investigation.action_send_progress_update())
        update = ticket.message_ids.filtered(lambda m: "处理进展" in (m.subject or ""))
        self.assertEqual(len(update), 1)
        self.assertIn("发现一个部件异常", update.body)

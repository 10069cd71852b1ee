from contextlib import contextmanager

from odoo import Command
from odoo.addons.quality_complaint_action.tests.common_action import CorrectiveActionCase
from odoo.addons.quality_complaint_remedy.tests.common_followup import give_what_closing_needs
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

DIALOG = "quality_complaint_action.quality_complaint_action_verification_view_form_dialog"


@tagged("post_install", "-at_install")
class TestCaseLibrary(CorrectiveActionCase):
    """Two closed cases, a leaking kettle (gasket from Kettle Parts) and a toaster
    whose paint peels (oven curing at Paint Works), and Bob's open complaint on the
    same kettle lot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.painter = cls.env["res.partner"].create({"name": "Paint Works", "is_company": True})
        cls.Case = cls.env["quality.complaint.case"]
        cls.cat_finish = cls.env["quality.complaint.defect.category"].create(
            {"name": "Surface finish", "code": "FIN", "evidence_required": False}
        )

    def setUp(self):
        super().setUp()
        self.kettle_case = self.closed_case(
            self.complaint_vals(),
            whys=[("Why does it leak?", "The gasket is thin")],
            cause=("material", "Gasket lot out of spec"),
            summary="The supplier's gasket lot was out of spec.",
            supplier=self.vendor,
            action={
                "title": "Raise incoming sampling for gaskets",
                "description": "<p>Sample twenty gaskets per delivery and gauge them.</p>",
            },
        )
        self.toaster_case = self.closed_case(
            self.complaint_vals(
                name="Toaster paint peels",
                description="<p>Flakes of paint come off the side panel.</p>",
                occurrence="After a week of daily use.",
                partner_id=self.bob.id,
                sale_order_id=self.order_bob.id,
                product_id=self.toaster.id,
                lot_ids=[Command.set(self.lot_toaster.ids)],
                defect_category_id=self.cat_finish.id,
                impact_level="cosmetic",
                customer_request="return",
            ),
            whys=[("Why does the paint peel?", "It was not cured long enough")],
            cause=("method", "Oven cycle shortened"),
            summary="The oven curing cycle had been cut to eight minutes.",
            supplier=self.painter,
            action={
                "title": "Restore the curing cycle",
                "description": "<p>Lock the oven program at twenty minutes of curing.</p>",
            },
        )
        Ticket = self.env["helpdesk.ticket"].with_user(self.cs_user)
        self.open_ticket = Ticket.create(
            self.complaint_vals(
                name="Kettle lid rattles",
                partner_id=self.bob.id,
                sale_order_id=self.order_bob.id,
            )
        )
        self.open_ticket.action_register_complaint()
        self.mine = (self.kettle_case | self.toaster_case | self.open_ticket).ids

    # ------------------------------------------------------------ helpers
    def closed_case(self, vals, *, whys, cause, summary, supplier, action):
        """A complaint registered by customer service, investigated and approved,
        its corrective action done and verified effective (the investigation
        closes), its remedy executed, the customer satisfied, the call-back done,
        then closed by customer service."""
        ticket = self.env["helpdesk.ticket"].with_user(self.cs_user).create(vals)
        ticket.action_register_complaint()
        ticket.action_contacted_customer()
        investigation = ticket.with_user(self.officer)._qc_open_or_join_investigation()
        investigation = investigation.with_user(self.officer)
        investigation.write(
            {
                "why_ids": [Command.create({"why": w, "because": b}) for w, b in whys],
                "fishbone_cause_ids": [
                    Command.create(
                        {"category": cause[0], "description": cause[1], "is_root_cause": True}
                    )
                ],
                "root_cause_summary": summary,
                "root_cause_category": cause[0],
                "supplier_id": supplier.id,
                "user_id": self.officer.id,
            }
        )
        investigation.action_mark_analysed()
        investigation.with_user(self.manager).action_approve()
        corrective = self.open_action(investigation_id=investigation.id, **action)
        corrective.action_done()
        self.verify(corrective)
        self.assertEqual(investigation.state, "closed", "its only action is effective")
        give_what_closing_needs(ticket, self.cs_user)
        ticket.with_user(self.cs_user).action_close_complaint()
        self.assertTrue(ticket.stage_id.closed)
        return ticket

    def verify(self, action):
        dialog = action.with_user(self.officer).action_verify()
        Verification = (
            self.env[dialog["res_model"]].with_user(self.officer).with_context(**dialog["context"])
        )
        form = Form(Verification, view=DIALOG)
        form.method = "production_records"
        form.measure = "Incoming pass rate"
        form.result = 99.5
        form.target = 98.0
        form.unit = "%"
        form.verdict = "effective"
        form.notes = f"No defect since: {action.title}."
        return form.save()

    @contextmanager
    def refused(self, pattern):
        """A UserError saying ``pattern``; a savepoint undoes what was written."""
        with self.assertRaises(UserError) as caught:
            yield
        self.assertRegex(str(caught.exception), pattern)

    def found(self, domain, user=None):
        """The complaints of this test whose case ``domain`` finds, as ``user``."""
        Case = self.Case.with_user(user or self.cs_user)
        return Case.search([("ticket_id", "in", self.mine), *domain]).ticket_id

    # ------------------------------------------------------------ tests
    def test_only_closed_cases_are_in_the_library(self):
        # A ticket registered by mistake and cancelled is no case to learn from.
        mistake = self.env["helpdesk.ticket"].create(self.complaint_vals(name="Wrong product"))
        mistake.action_register_complaint()
        mistake.with_user(self.cs_user)._qc_cancel("Registered for the wrong product.")
        self.assertTrue(mistake.closed)
        self.assertFalse(self.Case.search([("ticket_id", "=", mistake.id)]))
        self.assertEqual(self.found([]), self.kettle_case | self.toaster_case)
        case = self.Case.with_user(self.cs_user).browse(self.kettle_case.id)
        self.assertEqual(case.number, self.kettle_case.number)
        self.assertEqual(case.partner_id, self.alice)
        self.assertEqual(case.closed_date, self.kettle_case.closed_date)
        self.assertEqual(case.investigation_id, self.kettle_case.investigation_id)
        self.assertEqual(case.root_cause_summary, "The supplier's gasket lot was out of spec.")

    def test_search_by_what_the_case_is_about(self):
        kettle, toaster = self.kettle_case, self.toaster_case
        checks = [
            ([("product_id", "=", self.kettle.id)], kettle),
            ([("lot_id", "=", self.lot_toaster.id)], toaster),
            ([("lot_id", "=", self.lot_a.id)], kettle),
            ([("supplier_id", "=", self.painter.id)], toaster),
            ([("supplier_id", "=", self.vendor.id)], kettle),
            ([("defect_category_id", "=", self.cat_finish.id)], toaster),
            ([("root_cause_category", "=", "material")], kettle),
            ([("root_cause_category", "=", "method")], toaster),
            ([("partner_id", "=", self.bob.id)], toaster),
        ]
        # the product's "Case library" button opens the library on its cases
        action = self.env.ref("quality_complaint_report.action_quality_complaint_case")
        Template = self.env["product.template"].with_user(self.cs_user)
        arch = Template.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn(f'name="{action.id}"', arch)
        self.assertIn("search_default_product_tmpl_id", arch)
        checks.append(([("product_tmpl_id", "=", self.toaster.product_tmpl_id.id)], toaster))
        for domain, expected in checks:
            self.assertEqual(self.found(domain), expected, domain)

    def test_free_text_search_reads_the_whole_story(self):
        checks = {
            # the investigation's root cause summary
            "eight minutes": self.toaster_case,
            # a corrective action's description
            "twenty gaskets": self.kettle_case,
            # a why answer, a fishbone cause, the complaint's occurrence
            "not cured long": self.toaster_case,
            "GASKET LOT OUT": self.kettle_case,
            "above one litre": self.kettle_case,
            # the verification's notes
            "No defect since: Restore": self.toaster_case,
        }
        for text, expected in checks.items():
            self.assertEqual(self.found([("search_text", "ilike", text)]), expected, text)
        self.assertFalse(self.found([("search_text", "ilike", "rattles")]), "open complaint")
        self.assertEqual(self.found([("search_text", "not ilike", "gasket")]), self.toaster_case)

    def test_case_card_tells_the_story_to_customer_service(self):
        case = self.Case.with_user(self.cs_user).browse(self.toaster_case.id)
        self.assertIn("Flakes of paint", case.description)
        self.assertEqual(case.occurrence, "After a week of daily use.")
        self.assertEqual(case.why_ids.mapped("because"), ["It was not cured long enough"])
        self.assertEqual(case.fishbone_cause_ids.description, "Oven cycle shortened")
        self.assertEqual(case.action_ids.title, "Restore the curing cycle")
        self.assertEqual(case.action_ids.state, "effective")
        self.assertEqual(case.verification_ids.verdict, "effective")
        self.assertEqual(case.remedy_ids.state, "executed")
        self.assertEqual(case.feedback_state, "satisfied")
        self.assertEqual(case.followup_outcome, "solved")
        # the card's form and its sub-lists load for customer service
        form = case.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("why_ids", form)
        self.assertNotIn('name="remedy_cost"', form, "internal cost hidden")
        self.assertNotIn('name="cost"', form, "remedy cost column hidden")
        views = case.get_views([(False, "kanban"), (False, "list"), (False, "search")])["views"]
        self.assertIn('string="Text"', views["search"]["arch"])
        self.assertIn("root_cause_category", views["kanban"]["arch"])
        case.action_ids.read(["title", "state"])
        case.verification_ids.read(["measure", "notes"])
        opened = case.action_open_complaint()
        self.assertEqual((opened["res_model"], opened["res_id"]), ("helpdesk.ticket", case.id))

    def test_internal_cost_is_for_quality_officers(self):
        with self.assertRaises(AccessError):
            self.Case.with_user(self.cs_user).browse(self.kettle_case.id).remedy_cost  # noqa: B018
        case = self.Case.with_user(self.officer).browse(self.kettle_case.id)
        self.assertEqual(case.remedy_cost, self.kettle_case.sudo().qc_remedy_cost)

    def test_portal_user_has_no_access(self):
        with self.assertRaises(AccessError):
            self.Case.with_user(self.supplier_user).search([])

    def test_closed_case_stays_read_only(self):
        ticket = self.kettle_case
        investigation = ticket.investigation_id
        for user in (self.cs_user, self.officer):
            with self.refused("is closed"):
                ticket.with_user(user).write({"description": "<p>Rewritten.</p>"})
            with self.refused("complaint is closed"):
                self.env["quality.complaint.remedy"].with_user(user).create(
                    {
                        "ticket_id": ticket.id,
                        "type_id": self.env.ref(
                            "quality_complaint_remedy.remedy_type_instructions"
                        ).id,
                        "name": "Another remedy",
                    }
                )
            with self.refused("approved and locked"):
                investigation.with_user(user).root_cause_summary = "Something else."
            with self.refused("approved and locked"):
                investigation.why_ids.with_user(user).because = "Nobody knows."
        action = investigation.action_ids[:1]
        with self.refused("only a quality manager"):
            action.with_user(self.officer).title = "Rewritten after closing"
        self.env.invalidate_all()
        self.assertNotEqual(action.title, "Rewritten after closing")
        self.assertEqual(
            self.env["quality.complaint.remedy"].search_count([("ticket_id", "=", ticket.id)]), 1
        )
        self.assertIn("Water drips", ticket.description)
        self.assertEqual(
            investigation.root_cause_summary, "The supplier's gasket lot was out of spec."
        )
        with self.assertRaises(AccessError):
            self.Case.with_user(self.officer).browse(ticket.id).write({"name": "x"})

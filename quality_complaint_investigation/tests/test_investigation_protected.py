from odoo.addons.quality_complaint.tests.test_protected_fields import ProtectedFieldsCase
from odoo.exceptions import AccessError


class TestInvestigationLink(ProtectedFieldsCase):
    def test_investigation_link_only_for_quality_officers(self):
        ticket = self.registered()
        investigation = self.env["quality.complaint.investigation"].create(
            {"title": "Leaking kettles", "lot_ids": [(6, 0, self.lot_a.ids)]}
        )
        with self.assertRaisesRegex(AccessError, "quality officers"):
            ticket.with_user(self.cs_user).write({"investigation_id": investigation.id})
        self.assertFalse(ticket.investigation_id)
        ticket.with_user(self.officer).action_start_investigation()
        self.assertEqual(ticket.investigation_id, investigation, "joins the lot's investigation")
        with self.assertRaisesRegex(AccessError, "quality officers"):
            ticket.with_user(self.cs_user).write({"investigation_id": False})
        self.assertEqual(ticket.investigation_id, investigation)

    def test_a_default_investigation_attaches_only_for_officers(self):
        investigation = self.env["quality.complaint.investigation"].create(
            {"title": "Leaking kettles", "lot_ids": [(6, 0, self.lot_a.ids)]}
        )
        self.env["ir.default"].set(
            "helpdesk.ticket", "investigation_id", investigation.id, company_id=self.company.id
        )
        by_context = (
            self.env["helpdesk.ticket"]
            .with_user(self.cs_user)
            .with_context(default_investigation_id=investigation.id)
            .create(self.complaint_vals())
        )
        self.assertFalse(by_context.investigation_id, "the context's default is dropped")
        by_ir_default = (
            self.env["helpdesk.ticket"].with_user(self.cs_user).create(self.complaint_vals())
        )
        self.assertFalse(by_ir_default.investigation_id, "ir.default's too")
        by_officer = (
            self.env["helpdesk.ticket"]
            .with_user(self.officer)
            .with_context(default_investigation_id=investigation.id)
            .create(self.complaint_vals())
        )
        self.assertEqual(by_officer.investigation_id, investigation)

    def test_portal_customer_never_reads_the_investigation(self):
        ticket = self.registered(impact_level="safety")
        ticket.with_user(self.officer).action_start_investigation()
        self.assertTrue(ticket.investigation_id)
        mine = ticket.with_user(self.portal)
        for name in ("investigation_id", "investigation_state"):
            with self.assertRaises(AccessError, msg=name):
                mine.read([name])
        self.assertFalse(
            {"investigation_id", "investigation_state"} & set(mine.fields_get()),
            "internal fields are not listed",
        )

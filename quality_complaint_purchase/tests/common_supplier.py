"""Corrective actions addressed to a supplier (SCAR), on top of ``common_action.py``."""

from odoo import fields
from odoo.addons.quality_complaint_action.tests.common_action import CorrectiveActionCase
from odoo.addons.quality_complaint_purchase.models.quality_complaint_action import (
    OVERDUE_DIGEST_ACTIVITY,
)
from odoo.tests import new_test_user


class SupplierActionCase(CorrectiveActionCase):
    """Kettle Parts Ltd (Sam Supplier, portal user qc_supplier) must answer for its
    gaskets; Seal Works (Sue, portal user qc_supplier_two) is another vendor."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.vendor_two = Partner.create(
            {"name": "Seal Works", "is_company": True, "email": "seals@example.com"}
        )
        cls.vendor_two_contact = Partner.create(
            {"name": "Sue Seals", "email": "sue@seals.example.com", "parent_id": cls.vendor_two.id}
        )
        cls.supplier_two_user = new_test_user(
            cls.env,
            login="qc_supplier_two",
            name="Sue Seals",
            groups="base.group_portal",
            partner_id=cls.vendor_two_contact.id,
        )

    def supplier_action(self, **vals):
        """An open action for Kettle Parts Ltd, answering the gasket root cause."""
        investigation = self.approved_investigation()
        values = {
            "investigation_id": investigation.id,
            "partner_id": self.vendor.id,
            "root_cause_source": "fishbone",
            "fishbone_cause_id": investigation.fishbone_cause_ids.id,
            "product_ids": [(6, 0, self.kettle.ids)],
            "lot_ids": [(6, 0, self.lot_a.ids)],
            **vals,
        }
        return self.open_action(**values)

    def requested_action(self, **vals):
        action = self.supplier_action(**vals)
        action.with_user(self.buyer).action_send_supplier_request()
        return action

    def answer_values(self, **overrides):
        return {
            "containment_done": True,
            "containment_note": "300 gaskets of lot G-17 sorted, 12 blocked.",
            "root_cause": "The thickness test was skipped on the night shift.",
            "corrective_action": "The press blocks the lot until the test is recorded.",
            "planned_date": fields.Date.to_string(fields.Date.add(fields.Date.today(), days=30)),
            "evidence": [("test-report.pdf", b"%PDF-1.4 thickness report")],
            **overrides,
        }

    def answer(self, action, user=None, **overrides):
        """``user`` (default the supplier's portal user) answers, as the portal does:
        superuser, once access is checked."""
        user = user or self.supplier_user
        return action.with_user(user).sudo()._qca_supplier_answer(self.answer_values(**overrides))

    def mails_to(self, action, partner, subject):
        """The messages of ``action`` sent to ``partner`` whose subject has ``subject``."""
        return action.message_ids.filtered(
            lambda m: partner in m.partner_ids and subject in (m.subject or "")
        )

    def activities(self, action, summary):
        return action.activity_ids.filtered(lambda a: a.summary == summary)

    def refresh_digests(self):
        """Run the digest's cron, as the answer triggered it: the answer itself
        does not write the managers' digest."""
        cron = self.env.ref("quality_complaint_purchase.ir_cron_supplier_digest")
        self.assertTrue(
            self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)]),
            "the digest's cron is triggered",
        )
        self.env["quality.complaint.action"]._qca_supplier_overdue_digest()  # what it runs

    def overdue_digests(self, user=None):
        """The open digests of the overdue supplier answers (of ``user``)."""
        domain = [("activity_type_id", "=", self.env.ref(OVERDUE_DIGEST_ACTIVITY).id)]
        if user:
            domain.append(("user_id", "=", user.id))
        return self.env["mail.activity"].sudo().search(domain)

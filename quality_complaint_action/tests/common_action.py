"""Corrective actions on top of the kettle company of ``common.py``."""

from odoo import Command, fields
from odoo.addons.quality_complaint.tests.common import QualityComplaintCase
from odoo.tests import new_test_user


class CorrectiveActionCase(QualityComplaintCase):
    """An approved investigation of Alice's leaking kettles (lot K1-A, bought from
    Kettle Parts Ltd); a buyer, a purchasing manager and the supplier's portal user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Action = cls.env["quality.complaint.action"]
        cls.buyer = new_test_user(
            cls.env,
            login="qc_buyer",
            name="Bea Buyer",
            email="bea@example.com",
            groups="purchase.group_purchase_user",
        )
        cls.purchase_manager = new_test_user(
            cls.env,
            login="qc_purchase_manager",
            name="Pia Purchase",
            email="pia@example.com",
            groups="purchase.group_purchase_manager",
        )
        cls.company.qc_purchase_manager_id = cls.purchase_manager
        cls.vendor.is_company = True
        cls.vendor_contact = cls.env["res.partner"].create(
            {
                "name": "Sam Supplier",
                "email": "sam@parts.example.com",
                "parent_id": cls.vendor.id,
            }
        )
        cls.supplier_user = new_test_user(
            cls.env,
            login="qc_supplier",
            name="Sam Supplier",
            groups="base.group_portal",
            partner_id=cls.vendor_contact.id,
        )

    def approved_investigation(self, ticket=None):
        """The investigation of ``ticket`` (default: Alice's complaint), analysed and
        approved: the supplier's gasket (material) is the root cause."""
        ticket = ticket or self.env["helpdesk.ticket"].create(self.complaint_vals())
        investigation = ticket._qc_open_or_join_investigation()
        investigation.write(
            {
                "why_ids": [
                    Command.create({"why": "Why does it leak?", "because": "The gasket is thin"}),
                    Command.create(
                        {"why": "Why is it thin?", "because": "The supplier skipped its test"}
                    ),
                ],
                "fishbone_cause_ids": [
                    Command.create(
                        {
                            "category": "material",
                            "description": "Gasket lot out of spec",
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
        investigation.action_approve()
        return investigation

    def new_action(self, user=None, **vals):
        """An action (as ``user``, default the quality officer), not yet opened."""
        values = {
            "title": "Raise incoming sampling for gaskets",
            "kind": "corrective",
            "user_id": self.officer.id,
            "date_deadline": fields.Date.add(fields.Date.today(), days=14),
            **vals,
        }
        return self.Action.with_user(user or self.officer).create(values)

    def open_action(self, **vals):
        action = self.new_action(**vals)
        action.action_open()
        return action

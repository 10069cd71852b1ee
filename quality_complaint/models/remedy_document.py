"""The document side of a remedy: what every kind of document answers. Each
concern (remedy_delivery.py, remedy_credit_note.py, remedy_customer.py, the
bridges) inherits this mixin and extends the hooks for its actions, calling
``super()`` for the others."""

from odoo import models


class QualityComplaintRemedyDocument(models.AbstractModel):
    _name = "quality.complaint.remedy.document"
    _description = "Document of a customer remedy"

    def _qc_cost(self):
        """What the remedy costs the company: the amount credited, the goods shipped."""
        self.ensure_one()
        if self.action == "credit_note":
            return self.amount
        if self.action in ("replacement", "gift"):
            return self.product_id.standard_price * self.quantity
        return 0.0

    def _qc_value_company_currency(self, untaxed=False):
        """What the remedy gives the customer, in the company's currency (the
        approval limit): a credit note's amount (remedy_credit_note.py), the cost of
        what is shipped or repaired."""
        self.ensure_one()
        return self._qc_cost()

    def _qc_pickings_done(self):
        """Transfers of the remedies were validated (stock_picking.py): each
        concern executes the remedies its transfers carry out."""
        return None

    def _qc_document_facts(self):
        """(document reference, what the customer is told of it) of one remedy."""
        self.ensure_one()
        return False, False

    def _qc_document_link(self):
        """(field linking one remedy to its document, the document's reference), or
        (False, False)."""
        self.ensure_one()
        return False, False

    def _qc_pickings_action(self, pickings):
        """The window action opening ``pickings`` (a form for one)."""
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("Transfers"),
            "res_model": "stock.picking",
            "domain": [("id", "in", pickings.ids)],
            "views": [(False, "list"), (False, "form")],
            "context": {"create": False},
        }
        if len(pickings) == 1:
            action.update(res_id=pickings.id, views=[(False, "form")])
        return action

    def _qc_documents_action(self):
        """The window action opening the remedies' documents, or False."""
        return False

    def _qc_cancel_documents(self):
        """Cancel the remedies' documents that are not done yet."""
        return None

"""The complaint report for the customer: printed in the partner's language.

What the customer may read, nothing else: the complaint as registered, what the
investigation found in plain words, the remedies given to them, the actions taken
described generically, and the next steps. No costs, no internal notes, no names
of employees or suppliers: the texts typed by quality (root-cause summary, action
titles) are printed with those names replaced by "our team" / "our supplier".
The finding is printed only once the investigation is approved.
"""

import re

from odoo import api, models
from odoo.addons.quality_complaint.report.report_access import check_report_reader
from odoo.addons.quality_complaint_action.models.quality_complaint_investigation import LIVE_STATES
from odoo.exceptions import UserError

# Investigation states in which its finding is told to the customer.
FINDING_STATES = ("approved", "closed")


class ReportComplaintCustomer(models.AbstractModel):
    _name = "report.quality_complaint_report.report_complaint_customer"
    _description = "Quality complaint: report for the customer"

    @api.model
    def _get_report_values(self, docids, data=None):
        check_report_reader(self.env, self.env._("The complaint report"))
        docs = self.env["helpdesk.ticket"].browse(docids)
        docs.check_access("read")
        plain = docs.filtered(lambda t: not t.is_quality_complaint)
        if plain:
            raise UserError(
                self.env._(
                    "The complaint report is printed for quality complaints only; %(tickets)s "
                    "is not one.",
                    tickets=", ".join(plain.mapped(lambda t: t.number or t.name)),
                )
            )
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "finding": self._qc_finding,
            "remedies": self._qc_remedies,
            "actions": self._qc_actions,
        }

    # ------------------------------------------------------------ helpers
    @api.model
    def _qc_redact(self, text, investigation):
        """``text`` with the names of the people and suppliers of ``investigation``
        replaced by "our team" / "our supplier"."""
        if not text:
            return ""
        investigation = investigation.sudo()
        actions = investigation.action_ids
        suppliers = investigation.supplier_id | actions.partner_id
        suppliers |= suppliers.commercial_partner_id | suppliers.child_ids
        people = (
            investigation.user_id
            | investigation.approved_by_id
            | investigation.ticket_ids.user_id
            | actions.user_id
            | actions.done_by_id
            | investigation.inspection_ids.inspector_id
            | investigation.inspection_ids.engineer_id
            | investigation.test_ids.tester_id
        )
        env = investigation.env
        replacements = [(name, env._("our supplier")) for name in suppliers.mapped("name")]
        replacements += [(name, env._("our team")) for name in people.mapped("name")]
        # longest names first: "Kettle Parts Ltd, Sam" before "Kettle Parts Ltd"
        for name, word in sorted(replacements, key=lambda r: -len(r[0] or "")):
            if name:
                text = re.sub(re.escape(name), word, text, flags=re.IGNORECASE)
        return text

    # The helpers read ``ticket`` in the language it is printed in (its context).
    @api.model
    def _qc_finding(self, ticket):
        """(root-cause category label, summary in plain words), or False while the
        investigation is not approved."""
        investigation = ticket.sudo().investigation_id
        if investigation.state not in FINDING_STATES:
            return False
        field = investigation._fields["root_cause_category"]
        labels = dict(field._description_selection(ticket.env))
        category = labels.get(investigation.root_cause_category, "")
        summary = investigation.root_cause_summary or investigation.qc8d_why_conclusion or ""
        return category, self._qc_redact(summary, investigation)

    @api.model
    def _qc_remedies(self, ticket):
        """The remedies of the current plan, as the customer sees them: (type,
        description, status label, what they are told: tracking reference, credit
        note, coupon code, new warranty end)."""
        remedies = ticket.sudo()._qc_current_remedies().filtered(lambda r: r.state != "cancelled")
        states = dict(remedies._fields["state"]._description_selection(ticket.env))
        return [
            (
                remedy.type_id.name,
                remedy.name,
                states.get(remedy.state, ""),
                remedy.customer_info or "",
            )
            for remedy in remedies
        ]

    @api.model
    def _qc_actions(self, ticket):
        """The actions taken against the cause: (kind label, title, status label),
        without owners, suppliers or deadlines."""
        investigation = ticket.sudo().investigation_id
        if not investigation:
            return []
        Action = ticket.env["quality.complaint.action"]
        kinds = dict(Action._fields["kind"]._description_selection(ticket.env))
        states = dict(Action._fields["state"]._description_selection(ticket.env))
        actions = investigation.action_ids.filtered(lambda a: a.state in LIVE_STATES)
        return [
            (
                kinds.get(action.kind, ""),
                self._qc_redact(action.title, investigation),
                states.get(action.state, ""),
            )
            for action in actions.sorted(lambda a: (a.kind != "containment", a.id))
        ]

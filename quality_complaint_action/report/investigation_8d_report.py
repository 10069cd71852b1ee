"""The printed 8D report of an investigation (docs/process.md §4).

An internal document, printed in the language of the user who prints it: it
names the team, the suppliers and the internal notes. The customer gets the
complaint report instead (complaint_customer_report.py). The disciplines read
the 8D fields of the investigation (models/investigation_8d.py); this model
only groups what the template shows in tables.
"""

from odoo import api, models
from odoo.addons.quality_complaint.report.report_access import check_report_reader
from odoo.addons.quality_complaint_investigation.models.fishbone_cause import CAUSE_CATEGORIES


class ReportInvestigation8D(models.AbstractModel):
    _name = "report.quality_complaint_action.report_investigation_8d"
    _description = "Quality complaint: 8D report"

    @api.model
    def _get_report_values(self, docids, data=None):
        check_report_reader(self.env, self.env._("The 8D report"))
        docs = self.env["quality.complaint.investigation"].browse(docids)
        # Reading the investigations is the access check: a user without the right
        # to read them gets an AccessError, not an empty report.
        docs.check_access("read")
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "team": self._qc_team,
            "fishbone": self._qc_fishbone,
            "closed_tickets": self._qc_closed_tickets,
        }

    @api.model
    def _qc_team(self, investigation):
        """D1: (role, users) of the investigation, owner first; empty roles left out."""
        actions = (
            investigation.qc8d_containment_action_ids
            | investigation.qc8d_corrective_action_ids
            | investigation.qc8d_preventive_action_ids
        )
        inspections = investigation.inspection_ids
        roles = [
            (self.env._("Investigation owner"), investigation.user_id),
            (self.env._("Inspectors"), inspections.inspector_id | investigation.test_ids.tester_id),
            (self.env._("Engineers"), inspections.engineer_id),
            (self.env._("Action owners"), actions.user_id),
            (self.env._("Complaint handlers"), investigation.ticket_ids.user_id),
            (self.env._("Approved by"), investigation.approved_by_id),
        ]
        return [(role, users.filtered(lambda u: not u.share)) for role, users in roles if users]

    @api.model
    def _qc_fishbone(self, investigation):
        """D4: (6M category label, causes) for the categories that have causes."""
        labels = dict(
            self.env["quality.complaint.fishbone.cause"]
            ._fields["category"]
            ._description_selection(self.env)
        )
        causes = investigation.fishbone_cause_ids.sorted(lambda c: (c.sequence, c.id))
        groups = []
        for code, _label in CAUSE_CATEGORIES:
            mine = causes.filtered(lambda c, code=code: c.category == code)
            if mine:
                groups.append((labels[code], mine))
        return groups

    @api.model
    def _qc_closed_tickets(self, investigation):
        """D8: the complaints of the investigation that are closed."""
        return investigation.ticket_ids.filtered(lambda t: t.stage_id.closed)

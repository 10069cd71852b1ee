"""A complaint that recurs after a corrective action was verified effective."""

from odoo import models


class QualityComplaintTicketRecurrence(models.AbstractModel):
    _name = "quality.complaint.ticket.recurrence"
    _description = "Complaint: recurrence"

    def _qc_flag_recurrences(self):
        """Flag the registered complaints that repeat an effective action's problem."""
        return None

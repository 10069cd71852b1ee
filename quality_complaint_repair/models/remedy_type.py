from odoo import fields, models


def _qc_repair_types_removed(types):
    """The bridge is uninstalled: remedy types that made repair orders are archived
    (the remedies made with them keep their type) and fall back to a message to the
    customer, an action that needs no other application."""
    types.write({"action": "instructions", "active": False})


class QualityComplaintRemedyType(models.Model):
    _inherit = "quality.complaint.remedy.type"

    action = fields.Selection(
        selection_add=[("repair", "Free repair (repair order)")],
        ondelete={"repair": _qc_repair_types_removed},
    )

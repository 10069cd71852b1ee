from odoo import fields, models


class QualityComplaintInspection(models.Model):
    _name = "quality.complaint.inspection"
    _inherit = ["quality.complaint.investigation.part"]
    _description = "Inspection of returned goods"
    _order = "date desc, id desc"
    _check_company_auto = True

    investigation_id = fields.Many2one(
        "quality.complaint.investigation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="investigation_id.company_id", store=True)
    ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        domain="[('investigation_id', '=', investigation_id)]",
        help="The complaint whose returned unit was inspected.",
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    inspector_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user)
    engineer_id = fields.Many2one("res.users")
    # empty while the returned unit waits for its inspection (required in the form)
    defect_features = fields.Text()
    picking_id = fields.Many2one(
        "stock.picking",
        string="Returned in",
        readonly=True,
        index="btree_not_null",
        help="The return transfer that brought the inspected unit back from the customer.",
    )
    lot_ids = fields.Many2many(
        "stock.lot",
        "quality_complaint_inspection_returned_lot_rel",
        "inspection_id",
        "lot_id",
        string="Returned lots",
        help="The lots / serial numbers of the returned units.",
    )
    fault_code = fields.Char()
    measurement_ids = fields.One2many(
        "quality.complaint.inspection.measurement", "inspection_id", string="Measured values"
    )
    matches_description = fields.Selection(
        [("yes", "Matches"), ("partly", "Partly matches"), ("no", "Does not match")],
        string="Customer description",
        help="Does the unit show what the customer described?",
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "quality_complaint_inspection_attachment_rel",
        "inspection_id",
        "attachment_id",
        string="Photos / videos",
    )

from odoo import api, fields, models


class QualityComplaintInvestigation(models.Model):
    _inherit = "quality.complaint.investigation"

    production_trace_ids = fields.Many2many(
        "quality.complaint.lot.production",
        compute="_compute_production_trace_ids",
        string="Production",
        help="Manufacturing orders that made the lots and the component lots consumed.",
    )
    qc_show_production = fields.Boolean(
        string="Lots made in-house",
        compute="_compute_qc_show_production",
        help="A lot of the investigation was made in-house: show its production.",
    )

    @api.depends("lot_ids")
    def _compute_qc_show_production(self):
        made = self.lot_ids.filtered("qc_is_made")
        for investigation in self:
            investigation.qc_show_production = bool(investigation.lot_ids & made)

    @api.depends("lot_ids")
    def _compute_production_trace_ids(self):
        Production = self.env["quality.complaint.lot.production"]
        rows = (
            Production.search([("lot_id", "in", self.lot_ids.ids)]) if self.lot_ids else Production
        )
        for investigation in self:
            investigation.production_trace_ids = rows.filtered(
                lambda r, inv=investigation: r.lot_id in inv.lot_ids
            )

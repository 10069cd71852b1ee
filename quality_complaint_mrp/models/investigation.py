from odoo import api, fields, models

# Causes on the shop floor: their proposed actions name the work centres and orders.
SHOP_FLOOR_CATEGORIES = ("machine", "man")


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

    # ------------------------------------------------------------ proposed actions
    def _qc_production_rows(self):
        # the production tree is read as superuser: quality need not be manufacturing users
        return (
            self.env["quality.complaint.lot.production"]
            .sudo()
            .search([("lot_id", "in", self.lot_ids.ids)])
        )

    def _qc_component_lots(self):
        """The component lots consumed to make the investigation's lots, all levels down."""
        lots = super()._qc_component_lots()
        if not self.lot_ids:
            return lots
        return lots | self._qc_production_rows().component_lot_id.with_env(self.env)

    def _qc_on_actions_proposed(self, actions):
        """Machine and man causes: the work centres and orders that made the lots."""
        super()._qc_on_actions_proposed(actions)
        shop_floor = actions.filtered(
            lambda a: (
                (a.template_id.root_cause_category or a.root_cause_category)
                in SHOP_FLOOR_CATEGORIES
            )
        )
        if not shop_floor or not self.lot_ids:
            return
        productions = self._qc_production_rows().production_id
        workcenters = productions.workorder_ids.workcenter_id
        # the fields are for manufacturing users; the proposal fills them for everyone
        shop_floor.sudo().write(
            {
                "production_ids": [fields.Command.set(productions.ids)],
                "workcenter_ids": [fields.Command.set(workcenters.ids)],
            }
        )

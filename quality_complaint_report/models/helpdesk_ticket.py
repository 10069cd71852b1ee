"""What the managers' reports read off a complaint (issue 11).

The complaint's main lot, the supplier it is charged to and the days it took to
close are stored on the ticket, so the analysis, the supplier scorecard, the case
library and the register read them as plain columns over a million complaints.

The supplier is the investigation's "supplier at fault" when quality named one,
else the vendor the main lot was first received from (its first done receipt from
a vendor location).
"""

import pytz

from odoo import api, fields, models


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qc_lot_id = fields.Many2one(
        "stock.lot",
        string="Main lot",
        compute="_compute_qc_lot_id",
        store=True,
        index="btree_not_null",
        groups="base.group_user",
        help="The first lot / serial number the complaint names.",
    )
    qc_supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        compute="_compute_qc_supplier_id",
        store=True,
        index="btree_not_null",
        groups="base.group_user",
        help="The supplier at fault named by the investigation, else the vendor the "
        "main lot was received from.",
    )
    qc_registered_on = fields.Date(
        string="Registration day",
        compute="_compute_qc_registered_on",
        store=True,
        groups="base.group_user",
        help="The day of the registration in the company's time zone: the reports "
        "group by it without converting a million timestamps.",
    )
    qc_days_to_close = fields.Float(
        string="Days to close",
        compute="_compute_qc_days_to_close",
        store=True,
        aggregator="avg",
        groups="base.group_user",
        help="Days from registration to closing.",
    )

    @api.depends("lot_ids")
    def _compute_qc_lot_id(self):
        for ticket in self:
            ticket.qc_lot_id = ticket.lot_ids.sorted("id")[:1]

    @api.depends("qc_lot_id", "investigation_id.supplier_id")
    def _compute_qc_supplier_id(self):
        vendors = self.env["stock.lot"]._qc_vendors_of(self.qc_lot_id)
        for ticket in self:
            ticket.qc_supplier_id = ticket.investigation_id.supplier_id or vendors.get(
                ticket.qc_lot_id.id, False
            )

    @api.depends("registered_date", "company_id")
    def _compute_qc_registered_on(self):
        for ticket in self:
            moment = ticket.registered_date
            company = ticket.company_id or self.env.company
            ticket.qc_registered_on = (
                pytz.utc.localize(moment).astimezone(company._qc_tz()).date() if moment else False
            )

    @api.depends("registered_date", "closed_date")
    def _compute_qc_days_to_close(self):
        for ticket in self:
            start, end = ticket.registered_date, ticket.closed_date
            ticket.qc_days_to_close = (
                max((end - start).total_seconds(), 0.0) / 86400 if start and end else 0.0
            )

"""What the reports read off a complaint, and the complaint report sent to the customer.

The complaint's main lot, the supplier it is charged to and the days it took to
close are stored on the ticket, so the analysis, the supplier scorecard, the case
library and the register read them as plain columns over a million complaints.

The supplier is the investigation's "supplier at fault" when quality named one,
else the vendor the main lot was first received from (its first done receipt from
a vendor location).

"Send Report" opens the mail composer with the template
``mail_template_complaint_report``, which attaches the PDF printed in the
customer's language (report/complaint_customer_report.xml).
"""

import pytz

from odoo import api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role
from odoo.exceptions import UserError

REPORT_TEMPLATE = "quality_complaint_report.mail_template_complaint_report"


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

    # ------------------------------------------------------------ helpdesk ticket report

    @role(CUSTOMER_SERVICE)
    def action_send_complaint_report(self):
        """The mail composer with the complaint report attached, to the customer."""
        self.ensure_one()
        if not self.is_quality_complaint:
            raise UserError(
                self.env._("%s is not a quality complaint: it has no complaint report.", self.name)
            )
        if not self.partner_id:
            raise UserError(
                self.env._("Complaint %s has no customer to send the report to.", self.name)
            )
        template = self.env.ref(REPORT_TEMPLATE, raise_if_not_found=False)
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: your complaint report' was deleted: "
                    "restore it (module update) first."
                )
            )
        return self._qc_open_composer(template)

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

from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role
from odoo.exceptions import AccessError, UserError
from odoo.models import LOG_ACCESS_COLUMNS

REPORT_TEMPLATE = "quality_complaint_report.mail_template_complaint_report"


def _demo_time_map(old, new):
    """Demo data only (see ``HelpdeskTicket._qc_demo_backdate``): the function moving
    a moment of the ``old`` timeline (ascending anchors) to the ``new`` one, linear
    between anchors, shifted like the nearest anchor outside them."""

    def moved(value):
        if not value:
            return value
        for index in range(len(old) - 1):
            low, high = old[index], old[index + 1]
            if low <= value <= high and high > low:
                share = (value - low) / (high - low)
                return new[index] + (new[index + 1] - new[index]) * share
        anchor = 0 if value < old[0] else len(old) - 1
        return value + (new[anchor] - old[anchor])

    return moved


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

    # ------------------------------------------------------------ demo data

    @api.model
    def _qc_demo_backdate(self, timeline):
        """Demo data only (demo/complaint_history_demo.xml): the complaints the demo
        install registered and handled in a few seconds are moved back in time, so
        that the reports show a year of cases. Nothing else calls it; it runs as the
        superuser only (the data loader), never over RPC.

        ``timeline``: {ticket id: (days ago it was registered, hours to the first
        response, days to close or None)}. Each stored date of the complaint, of its
        clocks, remedies and chatter moves with the case: what happened up to the
        registration keeps its distance to it, what happened until the first
        response, then until the closing, is spread over those spans."""
        if not self.env.su:
            raise AccessError(self.env._("Only the demo data loader moves complaints in time."))
        now = fields.Datetime.now()
        for ticket_id, (days_ago, response_hours, close_days) in timeline.items():
            ticket = self.browse(int(ticket_id))
            registered = ticket.registered_date
            old = [registered, ticket.first_response_date or registered]
            start = now.replace(microsecond=0) - timedelta(days=days_ago)
            new = [start, start + timedelta(hours=response_hours)]
            if close_days is not None and ticket.closed_date:
                old.append(max(ticket.closed_date, old[-1]))
                new.append(start + timedelta(days=close_days))

            moved = _demo_time_map(old, new)
            ticket._qc_demo_move_dates(ticket, moved)
            ticket._qc_demo_move_dates(
                self.env["quality.complaint.deadline"].search(
                    [("res_model", "=", self._name), ("res_id", "=", ticket.id)]
                ),
                moved,
            )
            ticket._qc_demo_move_dates(ticket.remedy_ids, moved)
            for message in ticket.message_ids:
                message.write({"date": moved(message.date)})

    @api.model
    def _qc_demo_move_dates(self, records, moved):
        """Demo data only (see ``_qc_demo_backdate``): move the stored datetimes
        that ``records`` keep themselves (no computed one, no log column)."""
        names = [
            name
            for name, field in records._fields.items()
            if field.type == "datetime"
            and field.store
            and name not in LOG_ACCESS_COLUMNS
            and (not field.compute or not field.readonly)
        ]
        for record in records:
            vals = {name: moved(record[name]) for name in names if record[name]}
            if vals:
                record.write(vals)

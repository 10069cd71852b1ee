"""A repair order made for a complaint's free repair: it links back to the
complaint, finishing it executes the remedy (remedy.py), cancelling or deleting it
sends the remedy back to execution."""

from odoo import api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role


class RepairOrder(models.Model):
    _inherit = "repair.order"

    qc_remedy_ids = fields.One2many(
        "quality.complaint.remedy",
        "repair_id",
        string="Complaint remedies",
        readonly=True,
        groups="quality_complaint.group_complaint_user",
    )
    qc_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Complaint",
        compute="_compute_qc_ticket_id",
        store=True,
        index="btree_not_null",
        groups="quality_complaint.group_complaint_user",
        help="The quality complaint whose free repair this order carries out.",
    )

    @api.depends("qc_remedy_ids.ticket_id")
    def _compute_qc_ticket_id(self):
        for repair in self:
            repair.qc_ticket_id = repair.qc_remedy_ids.ticket_id[:1]

    def action_repair_done(self):
        result = super().action_repair_done()
        # The technician who ends the repair need not work in customer service
        # (nor read complaints): once the repair is done, its remedies are
        # executed as the system, recorded as executed by the technician.
        self.sudo().qc_remedy_ids._qc_document_done()
        return result

    def action_repair_cancel(self):
        result = super().action_repair_cancel()
        # Whoever cancels the repair: its remedies are to be executed again.
        self.sudo().qc_remedy_ids._qc_document_cancelled()
        return result

    def unlink(self):
        # Deleted in Repair (Odoo cancels it first): said as deleted, while the
        # order can still be named; whoever deletes it.
        self.sudo().qc_remedy_ids._qc_document_cancelled(how="deleted")
        return super().unlink()

    @role(CUSTOMER_SERVICE)
    def action_view_qc_complaint(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "views": [(False, "form")],
            "res_id": self.qc_ticket_id.id,
        }

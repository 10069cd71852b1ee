"""Complaints linked by a call-back (docs/process.md §6): a new problem found when calling
the customer back opens a complaint of its own, linked to the one it came from."""

from markupsafe import Markup

from odoo import api, fields, models

from ..roles import CUSTOMER_SERVICE, role


class QualityComplaintTicketLinks(models.AbstractModel):
    """Linked-complaints concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.links"
    _description = "Complaints linked by a call-back"

    qc_parent_id = fields.Many2one(
        "helpdesk.ticket",
        string="Follow-up of",
        index="btree_not_null",
        copy=False,
        tracking=True,
        groups="base.group_user",
        help="The complaint whose call-back revealed this new problem.",
    )
    qc_child_ids = fields.One2many(
        "helpdesk.ticket",
        "qc_parent_id",
        string="Complaints from the call-back",
        groups="base.group_user",
    )
    qc_child_count = fields.Integer(
        string="Linked complaints", compute="_compute_qc_child_count", groups="base.group_user"
    )

    @api.depends("qc_child_ids")
    def _compute_qc_child_count(self):
        for ticket in self:
            ticket.qc_child_count = len(ticket.qc_child_ids)

    @role(CUSTOMER_SERVICE)
    def action_view_qc_children(self):
        self.ensure_one()
        return self._qc_action_for(
            [("qc_parent_id", "=", self.id)],
            name=self.env._("Complaints from the call-back of %s", self.display_name),
        )

    @role(CUSTOMER_SERVICE)
    def action_view_qc_parent(self):
        self.ensure_one()
        return self._qc_open_form(self.qc_parent_id)

    def _qc_open_form(self, ticket):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": ticket.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "context": {"default_is_quality_complaint": True},
        }

    def _qc_followup_new_problem(self, note):
        """A new problem: a linked complaint is opened for the same customer, order,
        product and lots, as a draft for customer service to complete."""
        child = self.env["helpdesk.ticket"].create(self._qc_followup_child_vals(note))
        self._message_log(
            body=Markup("%s %s")
            % (self.env._("New problem at the call-back: complaint"), child._get_html_link())
        )
        return self._qc_open_form(child)

    def _qc_followup_child_vals(self, note):
        self.ensure_one()
        description = Markup("<p>%s</p>") % self.env._(
            "New problem reported at the call-back of %s.", self.display_name
        )
        if note:
            description += Markup("<p>%s</p>") % note
        return {
            "name": self.env._("New problem: %s", self.name),
            "is_quality_complaint": True,
            "qc_parent_id": self.id,
            "team_id": self.team_id.id,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "partner_name": self.partner_name,
            "partner_email": self.partner_email,
            "channel_id": self.channel_id.id,
            "sale_order_id": self.sale_order_id.id,
            "sale_line_id": self.sale_line_id.id,
            "product_id": self.product_id.id,
            "lot_ids": [fields.Command.set(self.lot_ids.ids)],
            "description": description,
        }

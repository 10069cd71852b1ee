from odoo import api, fields, models
from odoo.exceptions import UserError

from ..roles import CUSTOMER_SERVICE, OFFICER, role


class QualityComplaintInvestigationTraceability(models.AbstractModel):
    """Where the lots of an investigation came from and went, and containment.

    A mixin of ``quality.complaint.investigation`` (it reads its lots and
    complaints): the live traceability of the lots, and the precautionary notice
    to the other customers who received them. ``containment_notified_partner_ids``
    is kept by the action only (see the investigation's ``_qc_write_protected``).
    """

    _name = "quality.complaint.investigation.traceability"
    _description = "Quality complaint investigation: lot traceability and containment"

    # live, from the stock moves of the lots
    lot_balance_ids = fields.Many2many(
        "quality.complaint.lot.balance",
        compute="_compute_lot_balance_ids",
        string="Lot quantities",
        help="Per lot: received, delivered, returned and on hand, in the product's unit.",
    )
    trace_move_ids = fields.Many2many(
        "quality.complaint.lot.move",
        compute="_compute_traceability",
        string="Lot movements",
    )
    receipt_move_ids = fields.Many2many(
        "quality.complaint.lot.move", compute="_compute_traceability", string="Receipts"
    )
    delivery_move_ids = fields.Many2many(
        "quality.complaint.lot.move", compute="_compute_traceability", string="Deliveries"
    )
    containment_ids = fields.Many2many(
        "quality.complaint.lot.customer",
        compute="_compute_traceability",
        string="Containment list",
        help="Other customers who received the same lots and have not complained.",
    )
    containment_count = fields.Integer(compute="_compute_traceability")

    containment_notified_partner_ids = fields.Many2many(
        "res.partner",
        "quality_complaint_investigation_notified_rel",
        "investigation_id",
        "partner_id",
        string="Customers notified",
        readonly=True,
        copy=False,
    )

    @api.depends("lot_ids", "ticket_ids.partner_id")
    def _compute_traceability(self):
        Move = self.env["quality.complaint.lot.move"]
        Customer = self.env["quality.complaint.lot.customer"]
        lots = self.lot_ids
        moves = Move.search([("lot_id", "in", lots.ids)]) if lots else Move
        customers = Customer.search([("lot_id", "in", lots.ids)]) if lots else Customer
        for investigation in self:
            mine = moves.filtered(lambda m, inv=investigation: m.lot_id in inv.lot_ids)
            complained = investigation.ticket_ids.partner_id.commercial_partner_id
            containment = customers.filtered(
                lambda c, inv=investigation, known=complained: (
                    c.lot_id in inv.lot_ids and c.partner_id not in known and c.quantity > 0
                )
            )
            investigation.trace_move_ids = mine
            investigation.receipt_move_ids = mine.filtered(lambda m: m.kind == "receipt")
            investigation.delivery_move_ids = mine.filtered(
                lambda m: m.kind in ("delivery", "customer_return")
            )
            investigation.containment_ids = containment
            investigation.containment_count = len(containment.partner_id)

    @api.depends("lot_ids")
    def _compute_lot_balance_ids(self):
        Balance = self.env["quality.complaint.lot.balance"]
        lots = self.lot_ids
        rows = Balance.search([("lot_id", "in", lots.ids)]) if lots else Balance
        for investigation in self:
            investigation.lot_balance_ids = rows.filtered(
                lambda r, inv=investigation: r.lot_id in inv.lot_ids
            )

    @role(CUSTOMER_SERVICE)
    def action_open_containment_complaints(self):
        """Open a (draft) complaint for every customer on the containment list."""
        self.ensure_one()
        rows = self.containment_ids
        if not rows:
            raise UserError(self.env._("No other customer received the lots of %s.", self.name))
        tickets = self._create_containment_complaints(rows)
        return self._action_tickets(tickets, self.env._("Containment complaints"))

    @role(OFFICER)
    def action_notify_containment(self):
        """Open the mail composer with the precautionary notice for the containment list.

        Each customer not notified yet gets a (draft) complaint, on which the
        notice is posted; the bookkeeping is done when the composer sends
        (``_qc_containment_notice_sent``).
        """
        self.ensure_one()
        self.check_access("write")
        template = self.env.ref(
            "quality_complaint.mail_template_containment_notice", raise_if_not_found=False
        )
        if not template:
            raise UserError(
                self.env._(
                    "The mail template 'Quality complaint: precautionary notice' was deleted: "
                    "restore it (module update) first."
                )
            )
        rows = self.containment_ids.filtered(
            lambda r: r.partner_id not in self.containment_notified_partner_ids
        )
        if not rows:
            raise UserError(
                self.env._("Every customer on the containment list of %s was notified.", self.name)
            )
        tickets = self._create_containment_complaints(rows)
        return self._qc_composer_action(template, tickets, "containment")

    def _qc_containment_notice_sent(self, tickets):
        """After the composer sent the notice on ``tickets``: note and bookkeeping."""
        self.ensure_one()
        partners = tickets.partner_id - self.containment_notified_partner_ids
        if not partners:
            return
        self._qc_write_protected(
            {"containment_notified_partner_ids": [fields.Command.link(pid) for pid in partners.ids]}
        )
        self.message_post(
            body=self.env._(
                "Precautionary notice sent to: %s", ", ".join(partners.mapped("display_name"))
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _create_containment_complaints(self, rows):
        """One draft complaint per customer of ``rows``, or the one already open."""
        self.ensure_one()
        Ticket = self.env["helpdesk.ticket"]
        existing = Ticket.search(
            [
                ("investigation_id", "=", self.id),
                ("partner_id", "in", rows.partner_id.ids),
            ]
        )
        team = self.company_id.qc_team_id
        vals_list = []
        for partner in rows.partner_id - existing.partner_id:
            mine = rows.filtered(lambda r, p=partner: r.partner_id == p)
            # one complaint is about one product; its order only when a single one
            # delivered all of the lots (the complaint checks lots against it)
            product = mine.product_id[:1]
            mine = mine.filtered(lambda r, prod=product: r.product_id == prod)
            lots = mine.lot_id
            order = mine.sale_id if len(mine.sale_id) == 1 and all(mine.mapped("sale_id")) else None
            vals_list.append(
                {
                    "name": self.env._(
                        "Precautionary check: lot %(lots)s (%(ref)s)",
                        lots=", ".join(lots.mapped("name")),
                        ref=self.name,
                    ),
                    "description": self.env._(
                        "<p>%(customer)s received lot %(lots)s, under investigation in "
                        "%(ref)s. No complaint from this customer yet.</p>",
                        customer=partner.display_name,
                        lots=", ".join(lots.mapped("name")),
                        ref=self.name,
                    ),
                    "is_quality_complaint": True,
                    "team_id": team.id,
                    "company_id": self.company_id.id,
                    "partner_id": partner.id,
                    "sale_order_id": order.id if order else False,
                    "product_id": product.id,
                    "lot_ids": [fields.Command.set(lots.ids)],
                    "affected_qty": 0,
                    "investigation_id": self.id,
                }
            )
        created = Ticket.create(vals_list) if vals_list else Ticket
        return existing | created

"""Quality hold of lots (docs/process.md §4, containment).

A lot goes on hold when a containment action covering it is opened
(corrective_action_containment.py). While it is on hold it stays in the warehouse,
whatever the document:

- any stock move that would take it to a customer or into transit, or consume it
  in production, is refused, naming the lot, the document, the containment and who
  releases it (stock_move_line.py: the move lines every document goes through when
  done: transfers, Relocate, repair and manufacturing orders, unbuilds, a line added
  to or edited on a done move). Internal moves, receipts, returns to the vendor and
  scrapping go on (the lot may be moved to quarantine, or come back from customers);
- a reservation for such a move takes other lots when there are some (stock_move.py,
  stock_quant.py); a replacement for a customer also leaves the lots under
  investigation (quality_complaint/models/remedy.py).

Only a quality manager lifts a hold: Release Hold on the lot (every hold on it) or
Release Lots on a containment action (that action's holds). Closing the action does
not release its lots. The hold fields are set by these actions only (``_qc_protected``).
stock_lot.py inherits the concern below.
"""

from odoo import Command, api, fields, models
from odoo.addons.quality_complaint.lang import company_env
from odoo.addons.quality_complaint.roles import MANAGER, role
from odoo.exceptions import AccessError, UserError

# Where a lot on hold may not go: to customers, into transit, consumed in production.
HOLD_BLOCKED_USAGES = ("customer", "transit", "production")
MANAGER_GROUP = "quality_complaint.group_complaint_manager"
HOLD_FIELDS = {
    "qc_hold",
    "qc_hold_date",
    "qc_hold_released_by_id",
    "qc_hold_released_date",
    "qc_hold_action_ids",
    "qc_released_action_ids",
}


class StockLot(models.Model):
    _inherit = "stock.lot"

    qc_hold = fields.Boolean(
        string="On quality hold",
        readonly=True,
        copy=False,
        tracking=True,
        help="Put on hold by an open containment action: no delivery to a customer "
        "ships this lot until a quality manager releases it.",
    )
    qc_hold_action_ids = fields.Many2many(
        "quality.complaint.action",
        "quality_complaint_action_lot_hold_rel",
        "lot_id",
        "action_id",
        string="Held by",
        readonly=True,
        copy=False,
        groups="quality_complaint.group_complaint_user",
        help="The containment actions holding this lot, until a quality manager releases it.",
    )
    qc_released_action_ids = fields.Many2many(
        "quality.complaint.action",
        "quality_complaint_action_lot_release_rel",
        "lot_id",
        "action_id",
        string="Released from",
        readonly=True,
        copy=False,
        groups="quality_complaint.group_complaint_user",
        help="The containment actions a quality manager released this lot from.",
    )
    qc_hold_date = fields.Datetime(string="On hold since", readonly=True, copy=False)
    qc_hold_released_by_id = fields.Many2one(
        "res.users", string="Hold released by", readonly=True, copy=False, tracking=True
    )
    qc_hold_released_date = fields.Datetime(string="Hold released on", readonly=True, copy=False)
    qc_hold_reason = fields.Char(
        string="Quality hold",
        compute="_compute_qc_hold_reason",
        compute_sudo=True,
        help="The containment actions holding the lot.",
    )

    @api.depends("qc_hold", "qc_hold_action_ids.name", "qc_hold_action_ids.state")
    def _compute_qc_hold_reason(self):
        for lot in self:
            if not lot.qc_hold:
                lot.qc_hold_reason = False
                continue
            parts = [
                self.env._("containment %(ref)s (cancelled)", ref=action.name)
                if action.state == "cancelled"
                else self.env._("containment %(ref)s", ref=action.name)
                for action in lot.qc_hold_action_ids.sorted("id")
            ]
            lot.qc_hold_reason = ", ".join(parts) or self.env._("awaiting release")

    # ------------------------------------------------------------ protection
    def _qc_protected(self):
        return super()._qc_protected() | HOLD_FIELDS

    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s of a lot cannot be set directly: an open containment action "
            "puts the lot on quality hold and only a quality manager releases it "
            "(Release Hold).",
            fields=labels,
        )

    # ------------------------------------------------------------ hold
    def _qc_hold(self, action):
        """Put ``self`` on hold for the containment ``action``. As superuser: opening
        the action (or adding lots to it) is what decides it."""
        lots = self.sudo() - action.sudo().held_lot_ids
        if not lots:
            return
        lots.filtered(lambda lot: not lot.qc_hold).write(
            {
                "qc_hold": True,
                "qc_hold_date": fields.Datetime.now(),
                "qc_hold_released_by_id": False,
                "qc_hold_released_date": False,
            }
        )
        lots.write(
            {
                "qc_hold_action_ids": [Command.link(action.id)],
                "qc_released_action_ids": [Command.unlink(action.id)],
            }
        )
        body = company_env(self.env, action.company_id)._(  # a note for everyone
            "On quality hold: containment %(ref)s (%(title)s) is open. No delivery to a "
            "customer ships this lot until a quality manager releases it.",
            ref=action.name,
            title=action.title,
        )
        for lot in lots:
            lot.message_post(body=body, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------ release
    @role(MANAGER, refusal="_qc_check_release_rights")
    def action_qc_release_hold(self):
        """Release Hold (quality manager): the lots may ship again, whatever holds them."""
        held = self.filtered("qc_hold")
        if not held:
            raise UserError(self.env._("Lot %(lot)s is not on quality hold.", lot=self[:1].name))
        held._qc_check_release_rights()
        held._qc_release()
        return True

    def _qc_check_release_rights(self, actions=None):
        """Only a quality manager of the company of the holding ``actions`` (default:
        all holding ``self``) releases a lot."""
        if self.env.su:
            return
        names = ", ".join(self.mapped("name"))
        if not self.env.user.has_group(MANAGER_GROUP):
            managers = self.sudo().qc_hold_action_ids.company_id.qc_quality_manager_id
            raise AccessError(
                self.env._(
                    "Only a quality manager can release a lot from quality hold (%(lots)s)"
                    "%(ask)s. Nothing was changed.",
                    lots=names,
                    ask=self.env._(": ask %(names)s", names=", ".join(managers.mapped("name")))
                    if managers
                    else "",
                )
            )
        if actions is None:
            actions = self.sudo().qc_hold_action_ids
        actions = actions.sudo()
        foreign = actions.filtered(lambda a: a.company_id not in self.env.companies)
        if foreign:
            raise AccessError(
                self.env._(
                    "%(lots)s is held by containment %(ref)s of %(company)s: only a "
                    "quality manager of that company releases it. Nothing was changed.",
                    lots=names,
                    ref=foreign[0].name,
                    company=foreign[0].company_id.name,
                )
            )
        self.check_access("write")
        actions.with_env(self.env).check_access("read")

    def _qc_release(self, actions=None, reason=None):
        """Release ``self`` from the holds of ``actions`` (default: all of them). A lot
        that no other containment still in force holds is off hold. Returns the lots
        taken off hold. Callers check the rights first (``_qc_check_release_rights``)."""
        user = self.env.user
        released = self.sudo().browse()
        by_company, envs = {}, {}  # notes for everyone: in the lot's company's language
        for lot in self.sudo():
            holders = lot.qc_hold_action_ids
            company = lot.company_id or holders.company_id[:1]
            if company not in by_company:
                by_company[company] = company_env(self.env, company)
            envs[lot.id] = by_company[company]
            releasing = holders if actions is None else holders & actions
            remaining = (holders - releasing).filtered(lambda a: a.state != "cancelled")
            if not remaining:
                releasing = holders
                released |= lot
            lot.write(
                {
                    "qc_hold_action_ids": [Command.unlink(a.id) for a in releasing],
                    "qc_released_action_ids": [Command.link(a.id) for a in releasing],
                }
            )
            if remaining:
                lot.message_post(
                    body=envs[lot.id]._(
                        "%(user)s released the hold of %(released)s; the lot stays on "
                        "quality hold for containment %(remaining)s.",
                        user=user.name,
                        released=", ".join(releasing.mapped("name")),
                        remaining=", ".join(remaining.mapped("name")),
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        released.write(
            {
                "qc_hold": False,
                "qc_hold_released_by_id": user.id,
                "qc_hold_released_date": fields.Datetime.now(),
            }
        )
        for lot in released:
            body = envs[lot.id]._("Quality hold released by %(user)s.", user=user.name)
            if reason:
                body = f"{body} {reason}"
            lot.message_post(body=body, subtype_xmlid="mail.mt_note")
        return released

"""Containment: the lots of an open containment action are on hold (SPEC §4).

- Opening (or reopening) a containment action puts its lots on quality hold
  (stock_lot_hold.py): no delivery to a customer ships them. Lots added to it, or an
  open action turned into a containment, are held at once.
- Closing the action (done, verified) does not release its lots: only a quality
  manager does, with Release Lots on the action or Release Hold on the lot. A lot
  released by a manager is not held again when the action is merely edited; it is
  when the action is reopened.
- Cancelling: a cancelled containment is no reason to keep a lot, but lifting a hold
  is a quality manager's decision. A manager who cancels releases its lots at once
  (except those another containment in force still holds); when somebody else
  cancels, the lots stay on hold, the company's quality manager is told, and a
  manager releases them (Release Lots stays on the cancelled action).
- An action holding lots is not deleted.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..roles import MANAGER, role

# States of an action in which its lots go on hold (the action's WORKING_STATES).
HOLDING_STATES = ("open", "reopened")
MANAGER_GROUP = "quality_complaint.group_complaint_manager"
HOLD_HELP = (
    "Lots this containment put on quality hold: no delivery to a customer ships them. "
    "Closing the action does not release them; a quality manager does (Release Lots here, "
    "or Release Hold on the lot). Cancelled by a quality manager, the action releases the "
    "lots no other containment holds; cancelled by anybody else, they stay on hold until a "
    "quality manager releases them."
)


class QualityComplaintActionContainment(models.AbstractModel):
    _name = "quality.complaint.action.containment"
    _description = "Corrective action: containment"

    held_lot_ids = fields.Many2many(
        "stock.lot",
        "quality_complaint_action_lot_hold_rel",
        "action_id",
        "lot_id",
        groups="base.group_user",
        string="Lots on hold",
        readonly=True,
        copy=False,
        help=HOLD_HELP,
    )
    released_lot_ids = fields.Many2many(
        "stock.lot",
        "quality_complaint_action_lot_release_rel",
        "action_id",
        "lot_id",
        groups="base.group_user",
        string="Released lots",
        readonly=True,
        copy=False,
        help="Lots of this containment a quality manager released from hold.",
    )
    held_lot_count = fields.Integer(string="Lots on hold count", compute="_compute_held_lot_count")

    @api.depends("held_lot_ids")
    def _compute_held_lot_count(self):
        # Purchasing reads the action without inventory rights: the count only.
        for action in self:
            action.held_lot_count = len(action.sudo().held_lot_ids)

    def _qc_protected(self):
        return super()._qc_protected() | {"held_lot_ids", "released_lot_ids"}

    # ------------------------------------------------------------ hooks
    def _qca_on_open(self):
        result = super()._qca_on_open()
        self._qca_hold_lots(again=True)
        return result

    def _qca_on_reopen(self, reason):
        result = super()._qca_on_reopen(reason)
        self._qca_hold_lots(again=True)
        return result

    def _qca_on_written(self, vals):
        result = super()._qca_on_written(vals)
        if {"lot_ids", "kind"} & set(vals):
            self._qca_hold_lots()
        return result

    def _qca_on_cancel(self):
        result = super()._qca_on_cancel()
        self.sudo().filtered("held_lot_ids")._qca_cancelled_holds(self.env.user)
        return result

    def _qca_cancelled_holds(self, user):
        """Containments holding lots were cancelled by ``user`` (``self`` as superuser):
        a quality manager's cancellation releases them, anybody else's leaves them on
        hold and tells the quality manager."""
        if user._is_superuser() or user.has_group(MANAGER_GROUP):
            for action in self:
                action.held_lot_ids.with_user(user)._qc_release(
                    actions=action,
                    reason=self.env._("Containment %(ref)s was cancelled.", ref=action.name),
                )
            return
        for action in self:
            body = self.env._(
                "Containment %(ref)s was cancelled by %(user)s: the lot stays on quality "
                "hold until a quality manager releases it.",
                ref=action.name,
                user=user.name,
            )
            for lot in action.held_lot_ids:
                lot.message_post(
                    body=body,
                    partner_ids=action.company_id.qc_quality_manager_id.partner_id.ids,
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_holding_lots(self):
        holding = self.sudo().filtered("held_lot_ids")
        if holding:
            raise UserError(
                self.env._(
                    "Action %(ref)s holds lots on quality hold (%(lots)s): a quality "
                    "manager releases them (Release Lots) before it is deleted.",
                    ref=holding[0].name,
                    lots=", ".join(holding[0].held_lot_ids.mapped("name")),
                )
            )

    # ------------------------------------------------------------ hold and release
    def _qca_hold_lots(self, again=False):
        """Put the lots of the containment actions in force on hold. ``again``: also
        those a quality manager released from this action (it opens or reopens)."""
        for action in self.sudo():
            if action.kind != "containment" or action.state not in HOLDING_STATES:
                continue
            lots = action.lot_ids - action.held_lot_ids
            if not again:
                lots -= action.released_lot_ids
            lots._qc_hold(action)

    def _qca_check_release_rights(self):
        """Who may release the lots these containments hold (names the manager)."""
        self.sudo().held_lot_ids.with_env(self.env)._qc_check_release_rights(self)

    @role(MANAGER, refusal="_qca_check_release_rights")
    def action_qca_release_lots(self):
        """Release Lots (quality manager): the lots this containment holds may ship
        again, unless another containment in force holds them too."""
        lots = self.sudo().held_lot_ids
        if not lots:
            raise UserError(self.env._("%(ref)s holds no lot on quality hold.", ref=self[:1].name))
        self._qca_check_release_rights()
        self.check_access("write")
        for action in self:
            action.sudo().held_lot_ids.with_env(self.env)._qc_release(
                actions=action,
                reason=self.env._("Containment %(ref)s released.", ref=action.name),
            )
        return True

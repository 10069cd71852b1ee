"""A complaint that recurs after a corrective action was verified effective.

At registration (``action_register_complaint``), the complaints being registered
are compared, all at once in one query, with the company's actions verified
effective within its recurrence window (``qc_recurrence_days``) before the
registration. A complaint repeats an action's problem when:

- its product is one of the action's products, or
- one of its lots was received from the action's supplier (a receipt from a vendor
  location, as in the lot traceability's moves of kind "receipt"), and its defect
  category is one of the action's: those of the complaints of the action's
  investigation.

A complaint of the action's own investigation is not a recurrence of it. The
complaint is flagged and linked to the action; the action shows "Recurred", and
its owner and the company's quality manager are told once per action and
registration, in one note listing the complaints. Running it again finds only the
links not yet made, so nobody is told twice of the same complaint.
"""

from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.addons.quality_complaint.roles import CUSTOMER_SERVICE, role
from odoo.tools import SQL, format_date

from .corrective_action import RECURRENCE_RELATION

TICKET_RECURRENCE_PROTECTED = {"qc_recurrence_action_ids", "qc_is_recurrence"}


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    qc_recurrence_action_ids = fields.Many2many(
        "quality.complaint.action",
        RECURRENCE_RELATION,
        "ticket_id",
        "action_id",
        string="Repeats actions",
        readonly=True,
        copy=False,
        groups="quality_complaint.group_complaint_user",
        help="Corrective actions verified effective whose problem this complaint repeats.",
    )
    qc_is_recurrence = fields.Boolean(
        string="Recurrence",
        readonly=True,
        copy=False,
        index=True,
        groups="base.group_user",
        help="The complaint repeats a problem a corrective action had fixed.",
    )
    qc_recurrence_warning = fields.Text(
        string="Recurrence warning",
        compute="_compute_qc_recurrence_warning",
        groups="quality_complaint.group_complaint_user",
    )

    @api.depends("qc_recurrence_action_ids.name", "qc_recurrence_action_ids.date_closed")
    @api.depends_context("lang", "tz")
    def _compute_qc_recurrence_warning(self):
        for ticket in self:
            ticket.qc_recurrence_warning = (
                "\n".join(
                    self.env._(
                        "This complaint repeats a problem corrective action %(ref)s had fixed "
                        "(verified effective on %(date)s).",
                        ref=action.name,
                        date=format_date(self.env, action.date_closed),
                    )
                    for action in ticket.qc_recurrence_action_ids.sorted("id")
                )
                or False
            )

    def _qc_protected(self):
        return super()._qc_protected() | TICKET_RECURRENCE_PROTECTED

    @role(CUSTOMER_SERVICE)
    def action_view_recurrence_actions(self):
        """The corrective actions whose problem the complaint repeats."""
        self.ensure_one()
        actions = self.qc_recurrence_action_ids
        result = self.env["quality.complaint.action"]._qca_action_for(
            [("id", "in", actions.ids)],
            name=self.env._("Actions repeated by %(ticket)s", ticket=self.display_name),
        )
        if len(actions) == 1:
            result.update(res_id=actions.id, view_mode="form", views=[(False, "form")])
        return result

    def _qc_after_registration(self):
        res = super()._qc_after_registration()
        self._qc_flag_recurrences()
        return res

    def _qc_flag_recurrences(self):
        """Flag the registered complaints that repeat an effective action's problem.

        One query finds the new (complaint, action) pairs of the whole batch; the
        links and flags are written per set of actions, the notes once per action.
        Returns the complaints newly flagged.
        """
        if not self:
            return self.browse()
        self.env.flush_all()
        pairs = self.env.execute_query(self._qc_recurrence_query())
        if not pairs:
            return self.browse()
        actions_by_ticket = defaultdict(list)
        tickets_by_action = defaultdict(list)
        for ticket_id, action_id in pairs:
            actions_by_ticket[ticket_id].append(action_id)
            tickets_by_action[action_id].append(ticket_id)
        tickets_by_actions = defaultdict(list)
        for ticket_id, action_ids in actions_by_ticket.items():
            tickets_by_actions[tuple(action_ids)].append(ticket_id)
        Ticket = self.sudo().with_context(mail_notrack=True)
        for action_ids, ticket_ids in tickets_by_actions.items():
            Ticket.browse(ticket_ids).write(
                {
                    "qc_recurrence_action_ids": [Command.link(aid) for aid in action_ids],
                    "qc_is_recurrence": True,
                }
            )
        self.env["quality.complaint.action"]._qca_on_recurrences(
            {aid: self.browse(tids) for aid, tids in tickets_by_action.items()}
        )
        return self.browse(list(actions_by_ticket))

    def _qc_recurrence_query(self):
        """(complaint id, action id) of the complaints of ``self`` that repeat the
        problem of an action verified effective within the recurrence window before
        their registration, and are not linked to it yet."""
        Action = self.env["quality.complaint.action"]
        return SQL(
            """
            SELECT t.id, a.id
              FROM helpdesk_ticket t
              JOIN res_company c ON c.id = t.company_id
              JOIN quality_complaint_action a
                ON a.company_id = t.company_id
               AND a.state = 'effective'
               AND a.active
               AND a.date_closed <= t.registered_date
               AND a.date_closed >= t.registered_date
                                    - make_interval(days => c.qc_recurrence_days)
             WHERE t.id IN %(ids)s
               AND (a.investigation_id IS NULL
                    OR a.investigation_id IS DISTINCT FROM t.investigation_id)
               AND NOT EXISTS (
                    SELECT 1 FROM %(links)s link
                     WHERE link.action_id = a.id AND link.ticket_id = t.id)
               AND (
                    EXISTS (
                        SELECT 1 FROM %(products)s ap
                         WHERE ap.action_id = a.id AND ap.product_id = t.product_id)
                 OR (
                    a.partner_id IS NOT NULL
                    AND EXISTS (
                        SELECT 1 FROM helpdesk_ticket fixed
                         WHERE fixed.investigation_id = a.investigation_id
                           AND fixed.defect_category_id = t.defect_category_id)
                    AND EXISTS (
                        SELECT 1
                          FROM %(lots)s tl
                          JOIN stock_move_line sml
                            ON sml.lot_id = tl.lot_id AND sml.state = 'done'
                          JOIN stock_location src
                            ON src.id = sml.location_id AND src.usage = 'supplier'
                          JOIN stock_picking sp ON sp.id = sml.picking_id
                          JOIN res_partner vendor ON vendor.id = sp.partner_id
                         WHERE tl.ticket_id = t.id
                           AND COALESCE(vendor.commercial_partner_id, vendor.id)
                               = a.partner_id)
                 )
               )
             ORDER BY t.id, a.id
            """,
            ids=tuple(self.ids),
            links=SQL.identifier(RECURRENCE_RELATION),
            products=SQL.identifier(Action._fields["product_ids"].relation),
            lots=SQL.identifier(self._fields["lot_ids"].relation),
        )

"""Recurrence: complaints that come back after an action was verified effective.

A complaint registered within the company's recurrence window
(``qc_recurrence_days``) after an action was verified effective, on one of the
action's products, or on lots received from the action's supplier with one of
the action's defect categories, is a recurrence of it (see
helpdesk_ticket_recurrence.py, which finds them at registration). The action
then shows "Recurred" and lists those complaints; the reports count them.
"""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from ..roles import CUSTOMER_SERVICE, role

# The link between an action and the complaints that repeat its problem; the
# complaint's side (``qc_recurrence_action_ids``) is the same table.
RECURRENCE_RELATION = "quality_complaint_action_recurrence_rel"
# Set only when a registration finds a recurrence.
RECURRENCE_PROTECTED = {"recurrence_ticket_ids", "recurred", "date_recurred"}


class QualityComplaintActionRecurrence(models.AbstractModel):
    _name = "quality.complaint.action.recurrence"
    _description = "Corrective action: recurrence"

    recurrence_ticket_ids = fields.Many2many(
        "helpdesk.ticket",
        RECURRENCE_RELATION,
        "action_id",
        "ticket_id",
        string="Recurrences",
        readonly=True,
        copy=False,
        groups="quality_complaint.group_complaint_user",
        help="Complaints registered after the action was verified effective that repeat "
        "the problem it fixed.",
    )
    recurrence_count = fields.Integer(
        string="Recurrence count",
        compute="_compute_recurrence_count",
        groups="quality_complaint.group_complaint_user",
    )
    recurred = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="A complaint repeated the problem after the action was verified effective.",
    )
    date_recurred = fields.Datetime(
        string="Recurred on",
        readonly=True,
        copy=False,
        help="When the first complaint repeating the problem was registered.",
    )

    @api.depends("recurrence_ticket_ids")
    def _compute_recurrence_count(self):
        for action in self:
            action.recurrence_count = len(action.recurrence_ticket_ids)

    def _qc_protected(self):
        return super()._qc_protected() | RECURRENCE_PROTECTED

    @role(CUSTOMER_SERVICE)
    def action_view_recurrences(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("id", "in", self.recurrence_ticket_ids.ids)],
            name=self.env._("Recurrences of %(ref)s", ref=self.name),
        )

    def _qca_defect_categories(self):
        """The defect categories of the action: those of its investigation's complaints."""
        self.ensure_one()
        return self.investigation_id.ticket_ids.defect_category_id

    def _qca_on_recurrences(self, tickets_by_action):
        """Record the complaints newly found to repeat each action's problem, and
        tell each action's owner and the company's quality manager once, in one note
        listing them. ``tickets_by_action``: {action id: complaints} (only the
        complaints not linked before)."""
        actions = self.browse(list(tickets_by_action)).sudo()
        first = actions.filtered(lambda a: not a.recurred)
        if first:
            first.write({"recurred": True, "date_recurred": fields.Datetime.now()})
        for action in actions:
            action._qca_notify_recurrence(tickets_by_action[action.id])

    def _qca_recurrence_recipients(self):
        self.ensure_one()
        return self.user_id | self.company_id.qc_quality_manager_id

    def _qca_notify_recurrence(self, tickets):
        """One note on the action for its owner and the quality manager, in the
        owner's language and time zone (else the manager's), listing the recurring complaints."""
        self.ensure_one()
        users = self._qca_recurrence_recipients()
        reader = users[:1]
        env = self.with_context(
            lang=reader.lang or self.env.lang, tz=reader.tz or self.env.context.get("tz")
        ).env
        verified = format_date(env, self.date_closed)
        items = Markup("").join(
            Markup("<li>%s</li>") % ticket._get_html_link() for ticket in tickets.sorted("id")
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            env._(
                "The problem %(ref)s had fixed (verified effective on %(date)s) came back: "
                "%(count)s new complaint(s) repeat it.",
                ref=self.name,
                date=verified,
                count=len(tickets),
            ),
            items,
        )
        if not users:
            body += Markup("<p>%s</p>") % env._(
                "Nobody is told: give the action an owner or set a quality manager in the settings."
            )
        self.message_post(
            body=body,
            subject=env._("%(ref)s: the problem came back", ref=self.name),
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

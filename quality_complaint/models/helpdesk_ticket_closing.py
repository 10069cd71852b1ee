"""Closing a complaint (SPEC §6): it closes only once its remedies are executed,
the customer's feedback is recorded (satisfied, or unreachable) and the call-back
is done or waived; a closed complaint is read-only except for a quality manager,
whose changes are written in the chatter. A cancelled stage (closed, no step)
takes any complaint."""

from markupsafe import Markup

from odoo import models
from odoo.exceptions import UserError

from ..roles import CUSTOMER_SERVICE, role

QC_MANAGER_GROUP = "quality_complaint.group_complaint_manager"
FEEDBACK_CLOSES = ("satisfied", "unreachable")


class QualityComplaintTicketClosing(models.AbstractModel):
    """Closing concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.closing"
    _description = "Complaint closing rules"

    def _qc_missing_for_stage(self, stage):
        missing = super()._qc_missing_for_stage(stage)
        if missing or stage.qc_step != "done":
            return missing
        items = self._qc_missing_for_closing()
        return "; ".join(items) + "." if items else False

    def _qc_missing_for_closing(self):
        """What the complaint lacks to close, one item per line of the rule."""
        self.ensure_one()
        ticket = self.sudo()
        items = []
        lines = ticket._qc_current_remedies().filtered(lambda r: r.state != "cancelled")
        pending = lines.filtered(lambda r: r.state != "executed")
        if pending:
            items.append(
                self.env._(
                    "remedies not executed yet: %(remedies)s",
                    remedies=", ".join(pending.mapped("name")),
                )
            )
        elif not lines:
            items.append(self.env._("no remedy executed (propose and execute a remedy plan)"))
        if ticket.qc_feedback_state not in FEEDBACK_CLOSES:
            items.append(
                self.env._(
                    "the customer's feedback is not recorded (satisfied, or unreachable "
                    "after the attempts)"
                )
            )
        if ticket.qc_followup_state == "done" and ticket.qc_followup_outcome == "persists":
            items.append(
                self.env._(
                    "the problem persisted at the call-back: a new call-back follows once "
                    "the case is handled again"
                )
            )
        elif ticket.qc_followup_state not in ("done", "waived"):
            items.append(self.env._("the call-back is neither done nor waived"))
        return items

    def _qc_check_closed_write(self, vals):
        """Write hook: a closed complaint is read-only except for a quality manager,
        whose changes go to the chatter. Message and activity bookkeeping, and what
        the system writes as superuser, pass."""
        if self.env.su:
            return
        closed = self.filtered(lambda t: t.is_quality_complaint and t.stage_id.closed)
        if not closed:
            return
        changed = vals.keys() - self._qc_bookkeeping_fields()
        if not changed:
            return
        if not self.env.user.has_group(QC_MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "%(ticket)s is closed: only a quality manager can change it.",
                    ticket=closed[0].display_name,
                )
            )
        labels = sorted(
            self._fields[name]._description_string(self.env)
            for name in changed
            if name in self._fields
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            self.env._("Changed after closing by %s:", self.env.user.name),
            Markup("").join(Markup("<li>%s</li>") % label for label in labels),
        )
        closed._message_log_batch(dict.fromkeys(closed.ids, body))

    def _qc_bookkeeping_fields(self):
        """Fields of the mail mixins: followers, messages, activities, attachments."""
        return (
            set(self.env["mail.thread"]._fields)
            | set(self.env["mail.activity.mixin"]._fields)
            | {"message_main_attachment_id"}
        )

    @role(CUSTOMER_SERVICE)
    def action_close_complaint(self):
        """Close the complaint: move it to its team's closing stage, once it may."""
        for ticket in self:
            stage = ticket.team_id._get_applicable_stages().filtered(lambda s: s.qc_step == "done")[
                :1
            ]
            if not stage:
                raise UserError(
                    self.env._("%s: its team has no closing stage.", ticket.display_name)
                )
            ticket.stage_id = stage
        return True

"""Closing a complaint (docs/process.md §6): it closes only once its remedies are executed,
the customer's feedback is recorded (satisfied, or unreachable) and the call-back
is done or waived; a closed complaint is read-only except for a quality manager,
whose changes are written in the chatter. A stage that cancels complaints
(``qc_cancels``) takes any complaint.

The rules follow from the data, whoever writes (a user, a route or another
module as superuser) and whatever the context: a complaint is created in, or
enters, a closed stage only when they are met, and a registered complaint stays
a complaint (it is cancelled instead)."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..roles import CUSTOMER_SERVICE, role

QC_MANAGER_GROUP = "quality_complaint.group_complaint_manager"
FEEDBACK_CLOSES = ("satisfied", "unreachable")


class QualityComplaintTicketClosing(models.AbstractModel):
    """Closing concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.closing"
    _description = "Complaint closing rules"

    qc_cancel_reason = fields.Text(
        string="Cancellation reason",
        tracking=True,
        copy=False,
        groups="base.group_user",
        help="Why a registered complaint was cancelled (by customer service, or "
        "withdrawn by the customer).",
    )

    def _qc_missing_for_stage(self, stage):
        missing = super()._qc_missing_for_stage(stage)
        if (
            not missing
            and stage.closed
            and stage.qc_cancels
            and self.complaint_state != "draft"
            and not (self.sudo().qc_cancel_reason or "").strip()
            and not self.sudo().duplicate_id  # helpdesk_mgmt's duplicate: the reason
        ):
            return self.env._("say why it is cancelled (Cancel Complaint).")
        if missing or stage._qc_required_step() != "done":
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

    def _qc_check_closing_write(self, vals):
        """Write hook, before the write and for every writer (the superuser too): a
        registered complaint is not un-flagged, and a complaint enters a closed
        stage only by the rules. Returns what the after-write check compares with
        (``_qc_check_closing_entry``): {id: (is a complaint, stage id)}."""
        if "is_quality_complaint" in vals and not vals["is_quality_complaint"]:
            registered = self.filtered(
                lambda t: t.is_quality_complaint and t.complaint_state != "draft"
            )
            if registered:
                raise UserError(
                    self.env._(
                        "%(ticket)s is a registered complaint: it stays a quality complaint. "
                        "If it was a mistake or the customer withdrew it, move it to a stage "
                        "that cancels complaints (Cancelled).",
                        ticket=registered[0].display_name,
                    )
                )
        before = {ticket.id: (ticket.is_quality_complaint, ticket.stage_id.id) for ticket in self}
        stage_id = vals.get("stage_id")
        stage = self.env["helpdesk.ticket.stage"]
        if isinstance(stage_id, int) and stage_id:
            stage = stage.browse(stage_id)
        elif "stage_id" in vals:
            return before  # not a plain id: the after-write check sees where it lands
        flagged = vals.get("is_quality_complaint")
        for ticket in self:
            target = stage or ticket.stage_id
            if "is_quality_complaint" in vals:
                complaint = bool(flagged)
            else:
                complaint = ticket.is_quality_complaint
            if complaint and target.closed and before[ticket.id] != (True, target.id):
                ticket._qc_check_may_stand_in(target)
                # Checked: the after-write check passes it when it ends up there.
                before[ticket.id] = (True, target.id)
        return before

    @api.model
    def _qc_check_closing_create(self, vals_list):
        """Create hook, before the create and for every creator: a complaint is
        created in a closed stage only when that stage takes a complaint that is
        being registered (a cancelling stage). What defaults fill in is checked
        after the create (``_qc_check_closing_entry``)."""
        Stage = self.env["helpdesk.ticket.stage"]
        Team = self.env["helpdesk.ticket.team"]
        for vals in vals_list:
            stage_id, team_id = vals.get("stage_id"), vals.get("team_id")
            if not isinstance(stage_id, int) or not stage_id:
                continue
            stage = Stage.browse(stage_id)
            team = Team.browse(team_id) if isinstance(team_id, int) and team_id else Team
            if not stage.closed or not (
                vals.get("is_quality_complaint") or team.qc_is_quality_team
            ):
                continue
            missing = self.new({"is_quality_complaint": True})._qc_missing_for_stage(stage)
            if missing:
                raise UserError(
                    self.env._(
                        "%(ticket)s cannot move to %(stage)s yet: %(missing)s",
                        ticket=vals.get("name") or "-",
                        stage=stage.name,
                        missing=missing,
                    )
                )

    def _qc_check_closing_entry(self, before=None):
        """After create and write, for every writer: the complaints that now stand in
        a closed stage they were not in as complaints (``before``, from
        ``_qc_check_closing_write``; None on create) meet its rules."""
        before = before or {}
        for ticket in self:
            stage = ticket.stage_id
            if not (ticket.is_quality_complaint and stage.closed):
                continue
            if before.get(ticket.id) != (True, stage.id):
                ticket._qc_check_may_stand_in(stage)

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

    def _qc_cancel_stage(self):
        """The complaint team's stage a cancelled complaint goes to: one that cancels
        complaints (closed, *Cancels the complaint*)."""
        self.ensure_one()
        stages = self.sudo().team_id._get_applicable_stages()
        return stages.filtered(lambda s: s.closed and s.qc_cancels)[:1]

    def _qc_cancel(self, reason):
        """Cancel the open complaints, with ``reason`` (kept and tracked)."""
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the complaint is cancelled."))
        for ticket in self:
            if not ticket.is_quality_complaint or ticket.stage_id.closed:
                raise UserError(self.env._("%s is not an open complaint.", ticket.display_name))
            stage = ticket._qc_cancel_stage()
            if not stage:
                raise UserError(
                    self.env._(
                        "%s: its team has no stage that cancels complaints.",
                        ticket.display_name,
                    )
                )
            # the reason first: the stage's rule reads it
            ticket.write({"qc_cancel_reason": reason})
            ticket.write({"stage_id": stage.id})

    @role(CUSTOMER_SERVICE)
    def action_cancel_complaint(self):
        """Cancel Complaint: ask for the reason (wizard)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Cancel the Complaint"),
            "res_model": "quality.complaint.cancel.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

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

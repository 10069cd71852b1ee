"""The stages a complaint moves through (received → registered → under
investigation → closed): the business actions move it, and nobody moves it by
hand to a step that is not done."""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .helpdesk_ticket_stage import STEP_ORDER


class QualityComplaintTicketFlow(models.AbstractModel):
    """Stage concern of ``helpdesk.ticket`` (see helpdesk_ticket.py)."""

    _name = "quality.complaint.ticket.flow"
    _description = "Complaint stages"

    qc_stage_ids = fields.Many2many(
        "helpdesk.ticket.stage",
        string="Stages of the team",
        compute="_compute_qc_stage_ids",
        help="The stages the complaint's status bar offers: its team's own steps.",
    )

    @api.depends("team_id")
    def _compute_qc_stage_ids(self):
        for team in self.team_id:
            stages = team._get_applicable_stages()
            self.filtered(lambda t, tm=team: t.team_id == tm).qc_stage_ids = stages
        (self - self.filtered("team_id")).qc_stage_ids = self.env[
            "helpdesk.ticket.team"
        ]._get_applicable_stages()

    def _qc_move_to_step(self, step):
        """Move the complaints forward to their team's stage of ``step``; a complaint
        already at a later step, or closed, stays where it is."""
        order = STEP_ORDER[step]
        for team in self.team_id:
            stage = team._get_applicable_stages().filtered(lambda s, st=step: s.qc_step == st)[:1]
            if not stage:
                continue
            behind = self.filtered(
                lambda t, tm=team, sg=stage: (
                    t.team_id == tm
                    and t.stage_id != sg
                    and not t.stage_id.closed
                    and STEP_ORDER.get(t.stage_id.qc_step, -1) < order
                )
            )
            if behind:
                behind.sudo().write({"stage_id": stage.id})

    def _qc_move_back_to_step(self, step):
        """Move the complaints back to their team's stage of ``step`` (tracked)."""
        order = STEP_ORDER[step]
        for team in self.team_id:
            stage = team._get_applicable_stages().filtered(lambda s, st=step: s.qc_step == st)[:1]
            if not stage:
                continue
            ahead = self.filtered(
                lambda t, tm=team, sg=stage: (
                    t.team_id == tm
                    and t.stage_id != sg
                    and STEP_ORDER.get(t.stage_id.qc_step, -1) > order
                )
            )
            if ahead:
                ahead.sudo().write({"stage_id": stage.id})

    def _qc_check_stage_move(self, stage_id):
        """Write hook: a complaint goes by hand only to a step that is done."""
        stage = self.env["helpdesk.ticket.stage"].browse(stage_id)
        for ticket in self.filtered("is_quality_complaint"):
            ticket._qc_check_may_stand_in(stage)

    def _qc_check_may_stand_in(self, stage):
        """Refuse, saying what is missing, unless the complaint may stand in ``stage``."""
        self.ensure_one()
        missing = self._qc_missing_for_stage(stage)
        if missing:
            raise UserError(
                self.env._(
                    "%(ticket)s cannot move to %(stage)s yet: %(missing)s",
                    ticket=self.display_name,
                    stage=stage.name,
                    missing=missing,
                )
            )

    def _qc_missing_for_stage(self, stage):
        """What the complaint still lacks to stand in ``stage`` (False: nothing)."""
        self.ensure_one()
        step = stage._qc_required_step()
        registered = self.complaint_state == "registered"
        if (step or stage.qc_pauses_sla) and step != "received":
            if not registered:
                return self.env._("register it first (Register Complaint).")
        if step == "investigating" and not self.sudo().investigation_id:
            return self.env._("a quality officer must start its investigation first.")
        if step == "done" and not self.sudo().first_response_date:
            return self.env._("the customer must have been contacted first (Contacted Customer).")
        return False

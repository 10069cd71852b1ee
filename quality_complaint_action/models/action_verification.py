"""The record of one effectiveness verification of a corrective action (docs/process.md §6).

Creating it is verifying: the action must be done, the verifier a quality
officer; its verdict applies to the action at once
(``quality.complaint.action._qcv_apply``). The verifications are the action's
history: nobody edits them afterwards, except a quality manager correcting a
detail (never the action or the verdict).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .corrective_action import VERDICTS

MANAGER_GROUP = "quality_complaint.group_complaint_manager"
METHODS = [
    ("production_records", "Production records"),
    ("retest", "Re-test"),
    ("supplier_evidence", "Supplier evidence"),
    ("audit", "Audit"),
]
# Fields a quality manager may not correct: they decided the action's state.
FIXED_FIELDS = {"action_id", "verdict"}
# Days the owner gets at least to act again after a verification found the
# action not effective.
MIN_REWORK_DAYS = 7


class QualityComplaintActionVerification(models.Model):
    _name = "quality.complaint.action.verification"
    _description = "Corrective action verification"
    _order = "date desc, id desc"
    _check_company_auto = True

    action_id = fields.Many2one(
        "quality.complaint.action",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', '=', 'done')]",
    )
    company_id = fields.Many2one(
        related="action_id.company_id", store=True, index=True, string="Company"
    )
    date = fields.Date(required=True, default=fields.Date.context_today)
    user_id = fields.Many2one(
        "res.users",
        string="Verified by",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    method = fields.Selection(
        METHODS,
        required=True,
        default="production_records",
        help="How the effect was checked: production records since the action, a "
        "re-test of the product, evidence from the supplier, or an audit.",
    )
    measure = fields.Char(
        required=True,
        help="What was measured to judge the action, e.g. 'Incoming pass rate'.",
    )
    result = fields.Float(digits=(16, 2), help="The measured value.")
    target = fields.Float(digits=(16, 2), help="The value the action must reach.")
    unit = fields.Char(help="Unit of the result and the target, e.g. '%'.")
    higher_is_better = fields.Boolean(
        default=True,
        help="Checked: the target is met when the result is at least the target (a "
        "pass rate). Unchecked: at most the target (a defect rate, a count of "
        "failures).",
    )
    target_met = fields.Boolean(compute="_compute_target_met", store=True)
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "quality_complaint_action_verification_attachment_rel",
        "verification_id",
        "attachment_id",
        help="Records, test reports, the supplier's documents, the audit report.",
    )
    verdict = fields.Selection(
        VERDICTS,
        required=True,
        help="Effective: the action is closed (and the investigation with its last "
        "action). It needs the target met: a result that misses the target is not "
        "effective, whatever the impression; if the target itself was wrong, say so "
        "in the notes of a 'Not effective' verdict and adjust the action.\n"
        "Not effective: the action goes back to its owner with the reason and a new "
        "deadline.",
    )
    notes = fields.Text(
        string="Notes / reason",
        help="What was checked and found. Required when the action is not effective: "
        "the reason is given to the owner.",
    )
    rework_deadline = fields.Date(
        string="Act again by",
        compute="_compute_rework_deadline",
        store=True,
        readonly=False,
        help="When the action is not effective: the owner's new deadline. By default "
        "as long as the owner had the first time, at least a week.",
    )
    can_edit = fields.Boolean(compute="_compute_can_edit")

    # ------------------------------------------------------------ computes
    @api.depends("result", "target", "higher_is_better")
    def _compute_target_met(self):
        for verification in self:
            if verification.higher_is_better:
                verification.target_met = verification.result >= verification.target
            else:
                verification.target_met = verification.result <= verification.target

    @api.depends("action_id")
    def _compute_rework_deadline(self):
        today = fields.Date.context_today(self)
        for verification in self:
            action = verification.action_id
            days = MIN_REWORK_DAYS
            if action.date_deadline and action.date_open:
                days = max(days, (action.date_deadline - action.date_open.date()).days)
            verification.rework_deadline = today + timedelta(days=days)

    @api.depends_context("uid")
    def _compute_can_edit(self):
        editable = self.env.su or self.env.user.has_group(MANAGER_GROUP)
        for verification in self:
            verification.can_edit = editable or not verification.id

    @api.depends("action_id.name", "date")
    def _compute_display_name(self):
        for verification in self:
            verification.display_name = self.env._(
                "%(ref)s, verified on %(date)s",
                ref=verification.action_id.name or "",
                date=verification.date or "",
            )

    # ------------------------------------------------------------ checks
    @api.constrains("verdict", "result", "target", "higher_is_better", "notes", "rework_deadline")
    def _check_verdict(self):
        for verification in self:
            if verification.verdict == "effective" and not verification.target_met:
                raise ValidationError(
                    self.env._(
                        "%(ref)s cannot be verified effective: %(result)s does not meet the "
                        "target. Record it as not effective with the reason, so that its "
                        "owner acts again.",
                        ref=verification.action_id.name,
                        result=verification._result_text(),
                    )
                )
            if verification.verdict == "not_effective":
                if not (verification.notes or "").strip():
                    raise ValidationError(
                        self.env._(
                            "Give the reason why %(ref)s is not effective: its owner acts on it.",
                            ref=verification.action_id.name,
                        )
                    )
                if not verification.rework_deadline:
                    raise ValidationError(
                        self.env._(
                            "Give the date by which the owner of %(ref)s acts again.",
                            ref=verification.action_id.name,
                        )
                    )

    def _result_text(self):
        """'Incoming pass rate 97.5 % (target at least 98 %)'."""
        self.ensure_one()
        unit = f" {self.unit}" if self.unit else ""
        target = (
            self.env._("at least %(value)s", value=f"{self.target:g}{unit}")
            if self.higher_is_better
            else self.env._("at most %(value)s", value=f"{self.target:g}{unit}")
        )
        return self.env._(
            "%(measure)s %(result)s (target %(target)s)",
            measure=self.measure or "",
            result=f"{self.result:g}{unit}",
            target=target,
        )

    # ------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("target_met", None)
            vals.pop("company_id", None)
        action_ids = [vals.get("action_id") for vals in vals_list]
        if len(set(action_ids)) != len(action_ids):
            raise UserError(self.env._("An action is verified once at a time."))
        actions = self.env["quality.complaint.action"].browse([i for i in action_ids if i])
        actions._qcv_check_can_verify()
        verifications = super().create(vals_list)
        for verification in verifications:
            verification.action_id._qcv_apply(verification)
        return verifications

    def write(self, vals):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise UserError(
                self.env._(
                    "A verification is part of the action's history and is not edited: "
                    "record a new verification instead. Only a quality manager corrects one."
                )
            )
        if FIXED_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._(
                    "The action and the verdict of a verification decided the action's "
                    "state and are not changed: verify the action again instead."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_managers(self):
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise UserError(
                self.env._(
                    "A verification is part of the action's history: only a quality "
                    "manager deletes one."
                )
            )

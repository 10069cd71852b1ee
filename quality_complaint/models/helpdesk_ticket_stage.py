from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The steps of a complaint, in the order a case flows. Stages carry them; business
# actions move a complaint to the stage of their step.
COMPLAINT_STEPS = [
    ("received", "Received"),
    ("registered", "Registered"),
    ("investigating", "Under investigation"),
    ("remedy", "Remedy"),
    ("followup", "Follow-up"),
    ("done", "Closed"),
]
STEP_ORDER = {code: index for index, (code, _label) in enumerate(COMPLAINT_STEPS)}


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    qc_pauses_sla = fields.Boolean(
        string="Waiting for the customer",
        help="While a complaint is in this stage the response clock is paused: the "
        "working time spent here extends its deadline.",
    )
    qc_step = fields.Selection(
        COMPLAINT_STEPS,
        string="Complaint step",
        help="The step of a quality complaint this stage stands for: the complaint's "
        "buttons move it here, and a complaint is moved here by hand only once the "
        "step is done (registered, under investigation, customer contacted before "
        "closing). A closed stage is a closing step whatever its step, unless it "
        "cancels the complaint.",
    )
    qc_cancels = fields.Boolean(
        string="Cancels the complaint",
        help="A closed stage where a complaint ends without being handled (withdrawn, "
        "registered by mistake, duplicate): a complaint goes there at any time. A "
        "complaint goes to any other closed stage only once the closing rules are met "
        "(remedies executed, feedback recorded, call-back done or waived).",
    )

    @api.constrains("qc_cancels", "closed", "qc_step")
    def _check_qc_cancels(self):
        for stage in self.filtered("qc_cancels"):
            if not stage.closed or stage.qc_step:
                raise ValidationError(
                    self.env._(
                        "%(stage)s cancels complaints: it must be a closed stage without a "
                        "complaint step.",
                        stage=stage.name,
                    )
                )

    def _qc_required_step(self):
        """The step a complaint must have reached to stand in this stage: a closed
        stage is the closing step unless it cancels the complaint."""
        self.ensure_one()
        if self.closed:
            return False if self.qc_cancels else "done"
        return self.qc_step

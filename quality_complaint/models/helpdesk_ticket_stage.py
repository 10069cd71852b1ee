from odoo import fields, models

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
        "closing). A closed stage without a step (cancelled) takes any complaint.",
    )

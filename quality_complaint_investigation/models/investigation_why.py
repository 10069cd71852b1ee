from odoo import api, fields, models


class QualityComplaintWhy(models.Model):
    _name = "quality.complaint.why"
    _inherit = ["quality.complaint.investigation.part"]
    _description = "5-Why step"
    _order = "investigation_id, sequence, id"

    investigation_id = fields.Many2one(
        "quality.complaint.investigation", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    step = fields.Integer(string="#", compute="_compute_step")
    why = fields.Char(string="Why?", required=True)
    because = fields.Char()

    @api.depends("investigation_id.why_ids.sequence")
    def _compute_step(self):
        for why in self:
            steps = why.investigation_id.why_ids.sorted(lambda w: (w.sequence, w.id or 0))
            ids = [w.id for w in steps]
            why.step = ids.index(why.id) + 1 if why.id in ids else 0

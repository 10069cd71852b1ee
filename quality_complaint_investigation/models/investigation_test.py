from odoo import fields, models


class QualityComplaintTest(models.Model):
    _name = "quality.complaint.test"
    _inherit = ["quality.complaint.investigation.part"]
    _description = "Verification test of an investigation"
    _order = "date desc, id desc"

    investigation_id = fields.Many2one(
        "quality.complaint.investigation", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="investigation_id.company_id", store=True)
    name = fields.Char(string="Test", required=True)
    test_type = fields.Selection(
        [
            ("lab_retest", "Lab re-test of the same lot"),
            ("reproduction", "Reproduction of the customer's use"),
        ],
        string="Type",
        required=True,
        default="lab_retest",
    )
    aspect = fields.Selection(
        [("function", "Function"), ("life", "Life / endurance"), ("other", "Other")],
        default="function",
    )
    lot_id = fields.Many2one(
        "stock.lot", string="Lot tested", domain="[('id', 'in', investigation_lot_ids)]"
    )
    investigation_lot_ids = fields.Many2many(related="investigation_id.lot_ids")
    sample_qty = fields.Integer(string="Units tested", default=1)
    date = fields.Date(required=True, default=fields.Date.context_today)
    tester_id = fields.Many2one("res.users", string="Tested by", default=lambda self: self.env.user)
    method = fields.Text(help="Conditions and procedure, e.g. 72 h at 45 °C, 95 % RH.")
    result = fields.Selection(
        [
            ("reproduced", "Reproduced"),
            ("not_reproduced", "Not reproduced"),
            ("inconclusive", "Inconclusive"),
        ]
    )
    conclusion = fields.Text()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "quality_complaint_test_attachment_rel",
        "test_id",
        "attachment_id",
        string="Evidence",
    )

    _sample_qty_positive = models.Constraint(
        "CHECK(sample_qty >= 0)", "The number of units tested cannot be negative."
    )

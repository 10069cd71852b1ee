"""The coupon remedy type: the coupon program whose coupon the customer gets."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


def _retire_coupon_types(types):
    """Uninstalling the bridge: the coupon types are archived, no longer proposed,
    and kept (as instructions) for the remedies that used them."""
    types.write({"action": "instructions", "active": False})


class QualityComplaintRemedyType(models.Model):
    _inherit = "quality.complaint.remedy.type"

    action = fields.Selection(
        selection_add=[("coupon", "Coupon for the next purchase (loyalty coupon)")],
        ondelete={"coupon": _retire_coupon_types},
    )
    loyalty_program_id = fields.Many2one(
        "loyalty.program",
        string="Coupon program",
        domain="[('program_type', '=', 'coupons'), ('company_id', 'in', [company_id, False])]",
        help="Coupon: the program whose coupon the customer gets; its reward is the "
        "discount on the next purchase.",
    )
    coupon_validity_months = fields.Integer(
        string="Coupon valid for (months)",
        default=12,
        help="Coupon: how long the customer may use it (0: as long as the program runs).",
    )

    @api.constrains("action", "loyalty_program_id", "company_id", "coupon_validity_months")
    def _check_coupon_program(self):
        for kind in self.filtered(lambda k: k.action == "coupon"):
            program = kind.loyalty_program_id
            if not program:
                raise ValidationError(
                    self.env._("%s: choose the coupon program of the coupon.", kind.name)
                )
            if program.program_type != "coupons":
                raise ValidationError(
                    self.env._("%s: the coupon program must be a Coupons program.", kind.name)
                )
            if kind.company_id and program.company_id not in (kind.company_id, program.browse()):
                raise ValidationError(
                    self.env._(
                        "%(kind)s: the coupon program %(program)s belongs to another company.",
                        kind=kind.name,
                        program=program.name,
                    )
                )
            if kind.coupon_validity_months < 0:
                raise ValidationError(
                    self.env._("%s: a coupon's validity cannot be negative.", kind.name)
                )

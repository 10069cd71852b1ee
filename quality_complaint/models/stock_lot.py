from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..lang import company_env
from ..roles import CUSTOMER_SERVICE, role


class StockLot(models.Model):
    _name = "stock.lot"
    _inherit = ["stock.lot", "quality.complaint.protected.mixin"]

    complaint_count = fields.Integer(compute="_compute_complaint_count")
    qc_warranty_end_date = fields.Date(
        string="Warranty until",
        readonly=True,
        copy=False,
        tracking=True,
        help="Set when a complaint's remedy extends the warranty of this serial/lot.",
    )

    # ------------------------------------------------------------ ORM
    # Fields only quality actions set (the quality hold, stock_lot_hold.py) are
    # refused to a direct create or write: see ``_qc_protected``.
    @api.model_create_multi
    def create(self, vals_list):
        self._qc_check_protected(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._qc_check_protected([vals])
        return super().write(vals)

    def _compute_complaint_count(self):
        counts = self.env["helpdesk.ticket"]._qc_count_by("lot_ids", [("lot_ids", "in", self.ids)])
        for lot in self:
            lot.complaint_count = counts.get(lot.id, 0)

    @role(CUSTOMER_SERVICE)
    def action_view_quality_complaints(self):
        self.ensure_one()
        return self.env["helpdesk.ticket"]._qc_action_for(
            [("lot_ids", "in", self.ids)],
            {"default_product_id": self.product_id.id, "default_lot_ids": self.ids},
        )

    # ------------------------------------------------------------ batch defect
    qc_batch_alert_date = fields.Datetime(
        string="Batch defect alert",
        readonly=True,
        copy=False,
        help="When the quality manager was alerted that complaints on this lot "
        "reached the batch defect threshold.",
    )

    def _qc_alert_batch_defect(self, complaints):
        """Alert the quality manager once per batch window for each lot of ``self``."""
        now = fields.Datetime.now()
        for lot in self:
            company = (
                lot.company_id
                or complaints.filtered(lambda t, lot=lot: lot in t.lot_ids)[:1].company_id
            )
            window = timedelta(days=company.qc_batch_window_days)
            if lot.qc_batch_alert_date and lot.qc_batch_alert_date >= now - window:
                continue
            on_lot = complaints.filtered(lambda t, lot=lot: lot in t.lot_ids)
            manager = (
                company.qc_quality_manager_id
                or on_lot.grade_id.filtered(lambda g: "batch" in g.rule_ids.mapped("code"))[
                    :1
                ].escalation_user_id
            )
            env = company_env(self.env, company)  # a note for everyone on the lot
            body = env._(
                "Batch defect: the complaints on lot %(lot)s reached %(threshold)s affected "
                "units. Open complaints on this lot were upgraded: %(complaints)s.",
                lot=lot.name,
                threshold=f"{company.qc_batch_threshold:g}",
                complaints=", ".join(on_lot.mapped("number")),
            )
            lot.sudo().message_post(
                body=body,
                subject=env._("Batch defect on lot %s", lot.name),
                partner_ids=manager.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            lot.sudo().qc_batch_alert_date = now

    def _qc_vendors_of(self, lots):
        """{lot id: vendor}: the commercial partner of each lot's first done receipt
        from a vendor location, in one query for the whole batch."""
        if not lots:
            return {}
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (sml.lot_id)
                       sml.lot_id, COALESCE(partner.commercial_partner_id, partner.id)
                  FROM stock_move_line sml
                  JOIN stock_location src ON src.id = sml.location_id
                  JOIN stock_picking sp ON sp.id = sml.picking_id
                  JOIN res_partner partner ON partner.id = sp.partner_id
                 WHERE sml.lot_id = ANY(%s) AND sml.state = 'done' AND src.usage = 'supplier'
              ORDER BY sml.lot_id, sml.date, sml.id
                """,
                lots.ids,
            )
        )
        partners = self.env["res.partner"].browse([partner for _lot, partner in rows])
        return {lot: partner for (lot, _id), partner in zip(rows, partners, strict=True)}

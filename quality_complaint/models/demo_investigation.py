"""Demo: the investigation of the leaking / burning kettles of lot EK17-2611-A."""

from odoo import Command, api, models


class QualityComplaintFlows(models.AbstractModel):
    _inherit = "quality.complaint.flows"

    @api.model
    def _load_demo_investigation(self):
        ref = self.env.ref
        lot = self.env["stock.lot"].search(
            [
                ("name", "=", "EK17-2611-A"),
                ("product_id", "=", ref("quality_complaint.demo_product_kettle").id),
            ],
            limit=1,
        )
        complaints = self.env["helpdesk.ticket"].search(
            [("is_quality_complaint", "=", True), ("lot_ids", "in", lot.ids)]
        )
        if not complaints:
            return
        lot.ref = "SZP-K-2611"
        # Northwind also received kettles of the lot: it is on the containment list.
        self.sell_and_deliver(
            ref("quality_complaint.demo_partner_northwind"),
            [(ref("quality_complaint.demo_product_kettle"), 5, lot, None)],
        )
        investigation = complaints._qc_open_or_join_investigation()
        investigation.write(
            {
                "title": "EK-17 kettles leak and overheat - lot EK17-2611-A",
                "user_id": ref("base.user_admin").id,
                "state": "in_progress",
                "inspection_ids": [
                    Command.create(
                        {
                            "ticket_id": complaints[0].id,
                            "engineer_id": ref("base.user_admin").id,
                            "defect_features": "Base seam gasket deformed on one side; "
                            "thermostat contacts discoloured.",
                            "fault_code": "E-TH02",
                            "matches_description": "yes",
                            "measurement_ids": [
                                Command.create(
                                    {
                                        "name": "Gasket thickness",
                                        "value": 1.2,
                                        "unit": "mm",
                                        "specification": "1.8 ± 0.1 mm",
                                    }
                                ),
                                Command.create(
                                    {
                                        "name": "Thermostat cut-off",
                                        "value": 118,
                                        "unit": "°C",
                                        "specification": "≤ 105 °C",
                                    }
                                ),
                            ],
                        }
                    )
                ],
                "test_ids": [
                    Command.create(
                        {
                            "name": "Fill-and-boil cycle, 20 units of the lot",
                            "test_type": "lab_retest",
                            "aspect": "life",
                            "lot_id": lot.id,
                            "sample_qty": 20,
                            "method": "200 fill/boil cycles at 1.7 l, inspection every 50 cycles.",
                            "result": "reproduced",
                            "conclusion": "7 of 20 units leak before 150 cycles.",
                        }
                    )
                ],
                "why_ids": [
                    Command.create(
                        {
                            "sequence": 1,
                            "why": "Why does the kettle leak?",
                            "because": "The base seam gasket is too thin.",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 2,
                            "why": "Why is the gasket too thin?",
                            "because": "The supplier's lot was out of specification.",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 3,
                            "why": "Why was the lot out of spec?",
                            "because": "The supplier skipped its outgoing test.",
                        }
                    ),
                    Command.create(
                        {
                            "sequence": 4,
                            "why": "Why did we not catch it?",
                            "because": "Incoming sampling was not raised for this key part.",
                        }
                    ),
                ],
                "fishbone_cause_ids": [
                    Command.create(
                        {
                            "category": "material",
                            "description": "Gasket lot under thickness (1.2 mm for 1.8 mm)",
                            "is_root_cause": True,
                        }
                    ),
                    Command.create(
                        {
                            "category": "method",
                            "description": "Incoming sampling plan too light for key parts",
                        }
                    ),
                    Command.create(
                        {
                            "category": "measurement",
                            "description": "Gauge for gasket thickness not calibrated",
                        }
                    ),
                    Command.create(
                        {
                            "category": "machine",
                            "description": "Seam press pressure drift on line 2",
                        }
                    ),
                    Command.create(
                        {"category": "man", "description": "New operator on the night shift"}
                    ),
                    Command.create(
                        {"category": "environment", "description": "密封圈仓库湿度过高"}
                    ),
                ],
                "root_cause_summary": "Product failure <- supplier gasket lot out of spec "
                "<- supplier skipped its outgoing test <- our incoming sampling was "
                "not raised for key materials (process gap).",
                "root_cause_category": "material",
                "supplier_id": ref("quality_complaint.demo_partner_supplier").id,
            }
        )

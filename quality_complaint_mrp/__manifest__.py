{
    "name": "Quality Complaints - Manufacturing",
    "summary": "Production traceability of complained lots: manufacturing orders, "
    "work centres, operators and component lots",
    "version": "19.0.1.0.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "website": "https://github.com/quality-complaint/quality_complaint",
    "depends": ["quality_complaint_action", "mrp"],
    "data": [
        "security/ir.model.access.csv",
        "security/rules.xml",
        "views/lot_production_views.xml",
        "views/corrective_action_views.xml",
    ],
    "auto_install": True,
}

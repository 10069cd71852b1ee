{
    "name": "Quality Complaints: Investigation",
    "summary": "The investigation of a complaint's lot: inspections, tests, lot "
    "traceability, 5 Whys and fishbone root cause, progress updates to the customers",
    "version": "19.0.1.0.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "maintainers": ["quality-complaint"],
    "website": "https://github.com/quality-complaint/quality_complaint",
    "development_status": "Beta",
    "depends": ["quality_complaint"],
    "data": [
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/investigation_data.xml",
        "data/investigation_approval_data.xml",
        "views/lot_trace_views.xml",
        "views/inspection_measurement_views.xml",
        "views/inspection_views.xml",
        "views/investigation_test_views.xml",
        "views/investigation_why_views.xml",
        "views/fishbone_cause_views.xml",
        "views/investigation_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/stock_lot_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/investigation_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "quality_complaint_investigation/static/src/components/**/*",
        ],
        "web.assets_tests": [
            "quality_complaint_investigation/static/src/tours/**/*",
        ],
    },
    "auto_install": ["quality_complaint"],
}

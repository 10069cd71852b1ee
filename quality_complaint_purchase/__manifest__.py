{
    "name": "Quality Complaints: Suppliers",
    "summary": "Corrective actions addressed to suppliers: the request on the supplier's "
    "portal, purchasing's review, reminders, vendor and purchase order buttons",
    "version": "19.0.1.1.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "maintainers": ["quality-complaint"],
    "website": "https://github.com/quality-complaint/quality_complaint",
    "development_status": "Beta",
    "depends": ["quality_complaint_action", "purchase_stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/corrective_action_supplier_data.xml",
        "data/ir_cron_data.xml",
        "views/corrective_action_supplier_views.xml",
        "views/res_partner_supplier_actions_views.xml",
        "views/purchase_order_views.xml",
        "views/supplier_portal_templates.xml",
        "views/res_config_settings_views.xml",
        "wizards/supplier_reject_wizard_views.xml",
    ],
    "demo": ["demo/supplier_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "quality_complaint_purchase/static/src/tours/**/*",
        ],
    },
    "auto_install": ["quality_complaint_action"],
}

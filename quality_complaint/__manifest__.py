{
    "name": "Quality Complaints",
    "summary": "Customer complaints about product quality on helpdesk tickets: "
    "registration, grading, investigation, corrective actions",
    "version": "19.0.1.0.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "website": "https://github.com/quality-complaint/quality_complaint",
    "depends": [
        "helpdesk_mgmt",
        "sale_stock",
        "purchase_stock",
        "portal",
        "resource",
    ],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/helpdesk_data.xml",
        "data/defect_category_data.xml",
        "data/mail_template_data.xml",
        "views/defect_category_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/sale_order_views.xml",
        "views/stock_lot_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/demo_data.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "quality_complaint/static/src/tours/**/*",
        ],
    },
    "application": True,
}

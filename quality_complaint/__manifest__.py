{
    "name": "Quality Complaints",
    "summary": "Customer complaints about product quality on helpdesk tickets: "
    "registration, grading, response SLA, investigation, remedies, corrective actions",
    "version": "19.0.3.0.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "website": "https://github.com/quality-complaint/quality_complaint",
    "depends": [
        "helpdesk_mgmt",
        # OCA's ticket product (auto-installs with helpdesk_mgmt and product): the
        # complaint's product is its field
        "helpdesk_product",
        # OCA's ticket rating: the ticket is a rating.mixin there, whose screens the
        # complaint's word in its terms; quality_complaint_remedy's result to the
        # customer asks for its rating
        "helpdesk_mgmt_rating",
        "sale_stock",
        "purchase_stock",
        "portal",
        "resource",
        "rating",
    ],
    "data": [
        "security/groups.xml",
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/helpdesk_data.xml",
        "data/defect_category_data.xml",
        "data/helpdesk_ticket_mail_templates.xml",
        "data/complaint_grade_data.xml",
        "data/ir_cron_data.xml",
        "views/defect_category_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/helpdesk_ticket_terms_views.xml",
        "views/helpdesk_ticket_team_views.xml",
        "views/sale_order_views.xml",
        "views/stock_lot_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/complaint_grade_views.xml",
        "views/portal_templates.xml",
        "views/helpdesk_ticket_stage_views.xml",
        "views/res_config_settings_views.xml",
        "wizards/grade_override_views.xml",
        "wizards/cancel_wizard_views.xml",
        "wizards/message_preview_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/demo_data.xml",
        "demo/company_roles_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "quality_complaint/static/src/views/**/*",
        ],
        "web.assets_frontend": [
            "quality_complaint/static/src/interactions/**/*",
        ],
        "web.assets_tests": [
            "quality_complaint/static/src/tours/**/*",
        ],
    },
    "application": True,
}

{
    "name": "Quality Complaints: Remedies",
    "summary": "The customer's remedy plan carried out as Odoo documents (returns, "
    "replacements, credit notes, warranty), the result and satisfaction, the 30-day call-back",
    "version": "19.0.1.0.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "maintainers": ["quality-complaint"],
    "website": "https://github.com/quality-complaint/quality_complaint",
    "development_status": "Beta",
    "depends": ["quality_complaint_investigation"],
    "data": [
        "security/ir.model.access.csv",
        "security/rules.xml",
        "data/remedy_data.xml",
        "data/followup_data.xml",
        "data/feedback_data.xml",
        "views/complaint_grade_views.xml",
        "views/remedy_views.xml",
        "views/portal_templates.xml",
        "views/followup_views.xml",
        "views/helpdesk_ticket_feedback_views.xml",
        "views/res_config_settings_views.xml",
        "views/remedy_delivery_views.xml",
        "wizards/followup_wizard_views.xml",
        "wizards/feedback_wizard_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/remedy_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "quality_complaint_remedy/static/src/tours/**/*",
        ],
    },
    "auto_install": ["quality_complaint_investigation"],
}

{
    "name": "Quality Complaints - Repair",
    "summary": "The free repair remedy of a complaint carried out by a repair order",
    "version": "19.0.1.0.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "website": "https://github.com/quality-complaint/quality_complaint",
    "depends": ["quality_complaint_remedy", "repair"],
    "data": [
        "data/remedy_data.xml",
        "views/repair_order_views.xml",
        "views/helpdesk_ticket_views.xml",
    ],
    "auto_install": True,
}

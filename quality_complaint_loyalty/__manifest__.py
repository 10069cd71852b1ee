{
    "name": "Quality Complaints - Coupons",
    "summary": "Apology coupons for complaining customers: the coupon remedy issues a "
    "loyalty coupon whose code the customer uses on the next sale order",
    "version": "19.0.1.0.0",
    "category": "Manufacturing/Quality",
    "license": "AGPL-3",
    "author": "quality_complaint developers",
    "website": "https://github.com/quality-complaint/quality_complaint",
    # sale_loyalty (loyalty + sale): the coupon's code is applied on the
    # customer's next sale order.
    "depends": ["quality_complaint_remedy", "loyalty", "sale_loyalty"],
    "data": [
        "data/remedy_data.xml",
        "views/remedy_views.xml",
    ],
    "auto_install": True,
}

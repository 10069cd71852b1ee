"""Shared values of the supplier's side of a corrective action (SCAR)."""

SUPPLIER_STATES = [
    ("none", "No request"),
    ("requested", "Awaiting the answer"),
    ("answered", "Answer to review"),
    ("accepted", "Answer accepted"),
    ("rejected", "Answer rejected"),
]
# States in which the supplier's answer is awaited.
SUPPLIER_AWAITED = ("requested", "rejected")
SUPPLIER_ANSWER = "supplier_answer"
REQUEST_TEMPLATE = "quality_complaint.mail_template_supplier_request"
REVIEW_ACTIVITY = "quality_complaint.mail_activity_type_supplier_review"
# Action states in which a supplier may still be asked and answer.
SUPPLIER_ACTION_STATES = ("draft", "open", "reopened")
MAX_ANSWER_TEXT = 10000
MAX_EVIDENCE_FILES = 10
# Only the supplier flow's actions set these: the state, its dates and the
# supplier's own words.
SUPPLIER_PROTECTED = {
    "supplier_state",
    "supplier_request_date",
    "supplier_answer_due",
    "supplier_deadline_id",
    "supplier_containment_done",
    "supplier_containment_note",
    "supplier_root_cause",
    "supplier_corrective_action",
    "supplier_planned_date",
    "supplier_evidence_ids",
    "supplier_answer_date",
    "supplier_answered_by",
    "supplier_reject_reason",
    "supplier_reviewed_by_id",
    "supplier_review_date",
}
# Who sends requests and reviews answers.
SUPPLIER_GROUPS = ("quality_complaint.group_complaint_officer", "purchase.group_purchase_user")

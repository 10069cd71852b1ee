import { registry } from "@web/core/registry";

/**
 * The supplier's contact opens the corrective action requests of its company on
 * the portal, opens the one awaiting its answer, answers it and is thanked.
 */
registry.category("web_tour.tours").add("quality_complaint_supplier_portal_tour", {
    steps: () => [
        {
            content: "The request awaits the supplier's answer",
            trigger: ".o_qca_portal_row:contains(Raise incoming sampling for gaskets):contains(Awaiting your answer)",
        },
        {
            content: "Open it",
            trigger: ".o_qca_portal_row:contains(Raise incoming sampling for gaskets) a",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The problem is told in the supplier's terms",
            trigger: ".o_qca_portal_problem:contains(0.2 mm thinner)",
        },
        {
            content: "Its own lot and our purchase order are named",
            trigger: ".o_qca_portal_lots:contains(K1-A) + dt + .o_qca_portal_orders:contains(P0)",
        },
        {
            content: "Our root cause stays internal",
            trigger: ".o_qca_portal_action:not(:contains(Gasket lot out of spec))",
        },
        {
            trigger: ".o_qca_portal_answer input[name='containment_done']",
            run: "click",
        },
        {
            trigger: ".o_qca_portal_answer textarea[name='containment_note']",
            run: "edit 300 gaskets of lot G-17 sorted, 12 blocked.",
        },
        {
            content: "The root cause on the supplier's side",
            trigger: ".o_qca_portal_answer textarea[name='root_cause']",
            run: "edit The thickness test was skipped on the night shift.",
        },
        {
            content: "Its corrective action",
            trigger: ".o_qca_portal_answer textarea[name='corrective_action']",
            run: "edit The press blocks the lot until the test is recorded.",
        },
        {
            content: "In place by the end of the year",
            trigger: ".o_qca_portal_answer input[name='planned_date']",
            run() {
                this.anchor.value = "2099-12-31";
            },
        },
        {
            content: "Send the answer",
            trigger: ".o_qca_portal_answer button.o_qca_portal_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The supplier is thanked",
            trigger: ".o_qca_portal_notice:contains(your answer was sent)",
        },
        {
            content: "Its answer is shown, no form any more",
            trigger: ".o_qca_portal_action:not(:has(.o_qca_portal_answer)) .o_qca_portal_answered:contains(night shift)",
        },
    ],
});

/**
 * The buyer opens the answered action in the backend and accepts the answer.
 */
registry.category("web_tour.tours").add("quality_complaint_supplier_review_tour", {
    steps: () => [
        {
            content: "The supplier's answer is to review",
            trigger: ".o_form_view .o_field_widget[name='supplier_state']:contains(Answered)",
        },
        {
            trigger: ".o_notebook .nav-link[name='supplier_answer']",
            run: "click",
        },
        {
            content: "The request's statusbar: sent, answered, accepted still to come",
            trigger: ".o_qca_supplier_statusbar .o_arrow_button_current:contains(Answered)",
        },
        {
            content: "The buyer's next step is said",
            trigger: ".o_qca_supplier_next_step:contains(review the answer)",
        },
        {
            content: "The buyer reads the supplier's root cause",
            trigger: ".o_field_widget[name='supplier_root_cause']:contains(night shift)",
        },
        {
            content: "Accept it",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_accept_supplier_answer']",
            run: "click",
        },
        {
            content: "The answer is accepted",
            trigger: ".o_qca_supplier_statusbar .o_arrow_button_current:contains(Accepted)",
        },
    ],
});

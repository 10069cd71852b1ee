import { registry } from "@web/core/registry";

/**
 * A quality officer reviews the precautionary notice to the other customers of a
 * lot: a discarded preview changes nothing; a sent one tells them.
 */
const notifyThem = ".o_form_view button[name='action_notify_containment']";
const neighbourLine = ".modal .o_field_widget[name='line_ids'] .o_data_row:contains(Tour Neighbour)";

registry.category("web_tour.tours").add("quality_complaint_containment_preview_tour", {
    steps: () => [
        {
            trigger: ".o_notebook .nav-link:contains(Traceability)",
            run: "click",
        },
        {
            content: "Notify the other customers of the lot",
            trigger: notifyThem,
            run: "click",
        },
        {
            content: "The preview shows the notice written for the customer",
            trigger: `${neighbourLine}:contains(Dear Tour Neighbour):contains(TOUR-NTC-LOT):not(:contains({{))`,
        },
        {
            content: "Change our mind",
            trigger: ".modal .modal-footer button:contains(Discard)",
            run: "click",
        },
        {
            content: "Nobody was told: the customer is still on the list, the button still there",
            trigger: ".o_field_widget[name='containment_ids'] .o_data_row:contains(Tour Neighbour)",
        },
        {
            trigger: ".o_form_view:not(:has(.modal))",
        },
        {
            trigger: notifyThem,
            run: "click",
        },
        {
            content: "To is filled in with the customer",
            trigger: `${neighbourLine} .o_field_widget[name='partner_ids'] .o_tag:contains(Tour Neighbour)`,
        },
        {
            content: "Send the notice",
            trigger: ".modal .modal-footer button[name='action_send']",
            run: "click",
        },
        {
            content: "The customer is marked notified",
            trigger: ".o_field_widget[name='containment_notified_partner_ids'] .o_tag:contains(Tour Neighbour)",
        },
    ],
});

import { registry } from "@web/core/registry";

/**
 * The customer opens their complaint on the portal: the plan was carried out and
 * their opinion is asked; they answer "Satisfied" with a word and are thanked.
 */
registry.category("web_tour.tours").add("quality_complaint_portal_tour", {
    steps: () => [
        {
            content: "The complaint waits for the customer's feedback",
            trigger: ".o_qc_portal_status:contains(Awaiting your feedback)",
        },
        {
            content: "The tracker shows the remedy done and the feedback as the current step",
            trigger:
                ".o_qc_portal_tracker li[data-step='remedy'][data-state='done'] + li[data-step='feedback'][data-state='current']",
        },
        {
            content: "The remedy carried out is listed",
            trigger: ".o_qc_portal_remedy:contains(Cosmetic-repair instructions) .o_qc_portal_remedy_state:contains(Done)",
        },
        {
            content: "A word for the company",
            trigger: ".o_qc_portal_feedback textarea[name='comment']",
            run: "edit The marks are gone, thank you.",
        },
        {
            content: "Satisfied",
            trigger: ".o_qc_portal_feedback button[value='satisfied']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The customer is thanked",
            trigger: ".o_qc_portal_notice:contains(Thank you for your answer)",
        },
        {
            trigger: ".o_qc_portal_status:contains(Thank you for your feedback)",
        },
        {
            content: "The question is not asked again",
            trigger: "#card_body:not(:has(.o_qc_portal_feedback))",
        },
    ],
});

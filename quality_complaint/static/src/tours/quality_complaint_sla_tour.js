import { registry } from "@web/core/registry";

/**
 * A quality officer finds a graded complaint in the list and the kanban (grade
 * and SLA badges, countdown), reads why it was graded and records the first
 * response.
 */
registry.category("web_tour.tours").add("quality_complaint_sla_tour", {
    steps: () => [
        {
            content: "The list shows the grade and the contact deadline",
            trigger: ".o_list_view .o_data_row:contains(SLA-LOT-1) td[name='grade_id'] .badge:contains(Urgent)",
        },
        {
            trigger:
                ".o_list_view .o_data_row:contains(SLA-LOT-1) td[name='response_deadline']:not(:empty):not(.text-danger)",
        },
        {
            content: "Switch to the kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "The card shows the grade badge",
            trigger: ".o_kanban_record:contains(Tour kettle smokes) .badge:contains(On track)",
        },
        {
            trigger: ".o_kanban_record:contains(Tour kettle smokes) .badge:contains(Urgent)",
            run: "click",
        },
        {
            content: "Why this grade",
            trigger: ".o_notebook .nav-link:contains(Grade)",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='grade_reasons_display']:contains(Safety hazard)",
        },
        {
            content: "The customer was called",
            trigger: ".o_statusbar_buttons button[name='action_contacted_customer']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='sla_status'] .badge:contains(Met)",
        },
    ],
});

import { registry } from "@web/core/registry";

/**
 * A portal customer opens My Account, follows "File a quality complaint", picks
 * their delivered kettle line, sees only the lots they received on it, describes
 * the defect, adds a photo and sends the complaint.
 */
registry.category("web_tour.tours").add("quality_complaint_portal_form_tour", {
    steps: () => [
        {
            content: "My Account offers to file a complaint",
            trigger: ".o_portal_index_card:not(.d-none) a[href='/my/complaints/new']",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Pick the delivered kettle line",
            trigger: ".o_qc_complaint_form select[name='line_id']",
            run: "selectByLabel Form Kettle",
        },
        {
            content: "Only the lots received on that line are offered",
            trigger: ".o_qc_lot:not(.d-none) label:contains(FORM-LOT-1)",
        },
        {
            trigger: ".o_qc_complaint_form:not(:has(.o_qc_lot:not(.d-none) label:contains(FORM-LOT-OTHER)))",
        },
        {
            trigger: ".o_qc_complaint_form:not(:has(.o_qc_lot:not(.d-none) label:contains(FORM-LOT-TOASTER)))",
        },
        {
            content: "Tick the lot",
            trigger: ".o_qc_lot:not(.d-none) input[name='lot_ids']",
            run: "click",
        },
        {
            content: "Say what happens",
            trigger: "textarea[name='description']",
            run: "edit Water drips from the base seam whenever the kettle is filled above one litre.",
        },
        {
            trigger: "textarea[name='occurrence']",
            run: "edit In the kitchen, from the first use.",
        },
        {
            trigger: "select[name='impact_level']",
            run: "selectByLabel Main function lost",
        },
        {
            trigger: "select[name='defect_category_id']",
            run: "selectByLabel Function failure",
        },
        {
            trigger: "select[name='customer_request']",
            run: "selectByLabel Exchange",
        },
        {
            trigger: "input[name='affected_qty']",
            run: "edit 2",
        },
        {
            content: "Add a photo",
            trigger: "input[name='evidence']",
            async run({ queryOne }) {
                const png = Uint8Array.from(
                    atob(
                        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
                    ),
                    (c) => c.charCodeAt(0)
                );
                const transfer = new DataTransfer();
                transfer.items.add(new File([png], "leak.png", { type: "image/png" }));
                const input = queryOne("input[name='evidence']");
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Send the complaint",
            trigger: "button.o_qc_complaint_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The complaint's page thanks the customer",
            trigger: ".o_qc_portal_notice.alert-success",
        },
    ],
});

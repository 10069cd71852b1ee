import { Interaction } from "@web/public/interaction";
import { registry } from "@web/core/registry";

/**
 * The customer's complaint form (/my/complaints/new): only the lots received on
 * the chosen order line are offered (the server checks them again), and the
 * form is sent once.
 */
export class QualityComplaintForm extends Interaction {
    static selector = ".o_qc_complaint_form";
    dynamicContent = {
        "select[name='line_id']": { "t-on-change": this.showLots },
        _root: { "t-on-submit": this.onSubmit },
    };

    start() {
        this.showLots();
    }

    onSubmit() {
        // One complaint per click: the button waits for the server's answer.
        this.el.querySelector("button[type='submit']").disabled = true;
    }

    showLots() {
        const lineId = this.el.querySelector("select[name='line_id']").value;
        let shown = 0;
        for (const lotEl of this.el.querySelectorAll(".o_qc_lot")) {
            const ofLine = Boolean(lineId) && lotEl.dataset.lineId === lineId;
            const input = lotEl.querySelector("input");
            lotEl.classList.toggle("d-none", !ofLine);
            input.disabled = !ofLine;
            if (!ofLine) {
                input.checked = false;
            }
            shown += ofLine ? 1 : 0;
        }
        this.el.querySelector(".o_qc_lots_hint").classList.toggle("d-none", !shown);
        this.el.querySelector(".o_qc_lots_none").classList.toggle("d-none", !lineId || shown > 0);
    }
}

registry
    .category("public.interactions")
    .add("quality_complaint.complaint_form", QualityComplaintForm);

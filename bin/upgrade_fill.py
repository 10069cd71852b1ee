"""Fill the upgrade check's database beyond the demo data, with the PREVIOUS release.

Run by ``bin/qc upgrade-check`` in an ``odoo shell`` of the previous release's code
(the tree of ``bin/upgrade_from``) on a database where it installed its modules with
demo data. It carries the demo complaints further through the process with the
public business methods a user's buttons call, as the users of each role, so that
the database holds what an upgrade must keep: remedies executed with their
documents (return transfer, credit note, replacement and gift deliveries, repair
order, coupon, warranty), the customer's feedback and the call-back clock, a
supplier's answer on the portal reviewed by purchasing, a verification, a monthly
review with its decisions turned into corrective actions, attachments on
complaints, investigations and actions.

It is written against the previous release's API: when ``bin/upgrade_from`` moves
on, check it still runs. Every step that fails is printed with its reason and the
script exits with status 1 (nothing is committed); on success it commits and
prints one line per step.
"""
# ruff: noqa: F821  (``env`` is given by odoo shell)

import sys
import traceback

from odoo import Command, fields

failures = []


def step(title):
    """Run the decorated function at once, in a savepoint; record a failure."""

    def run(function):
        try:
            with env.cr.savepoint():
                result = function()
        except Exception as error:
            failures.append(title)
            print(f"[fill] FAILED: {title}: {type(error).__name__}: {error}")
            traceback.print_exc(limit=-4, file=sys.stdout)
            return None
        print(f"[fill] ok: {title}{': ' + result if isinstance(result, str) else ''}")
        return result

    return run


def ref(name):
    """A record by its external id; a bare name is looked up in every addon of ours,
    whichever holds it in the release filled (records move between our addons)."""
    if "." in name:
        return env.ref(name)
    found = env["ir.model.data"].search(
        [("name", "=", name), ("module", "=like", "quality_complaint%")]
    )
    if len(found) != 1:
        raise ValueError(f"{len(found)} external ids named {name} in our addons")
    return env[found.model].browse(found.res_id)


def as_user(records, login):
    return records.with_user(ref(login))


admin = ref("base.user_admin")
service, officer, qmanager = "demo_user_service", "demo_user_officer", "demo_user_quality_manager"
Remedy = env["quality.complaint.remedy"]


def validate(pickings):
    """The storekeeper (admin) picks everything planned and validates."""
    pickings = pickings.with_user(admin).filtered(lambda p: p.state not in ("done", "cancel"))
    if not pickings:
        return
    pickings.action_assign()
    for move in pickings.move_ids:
        if not move.move_line_ids and move.product_id.tracking == "none":
            move.quantity = move.product_uom_qty
        move.picked = True
    result = pickings.with_context(skip_sms=True, skip_backorder=True).button_validate()
    not_done = pickings.filtered(lambda p: p.state != "done")
    if not_done:
        raise RuntimeError(
            f"transfers not done after validation: {not_done.mapped('name')} "
            f"({not_done.mapped('state')}; button_validate returned {result})"
        )


def finish_documents(remedies):
    """Execute the planned remedies, then finish their documents as their owners."""
    planned = remedies.filtered(lambda r: r.state in ("planned", "approved"))
    if planned:
        as_user(planned, service).action_execute()
    validate(remedies.picking_id)
    drafts = remedies.invoice_id.filtered(lambda m: m.state == "draft")
    if drafts:
        drafts.with_user(admin).action_post()
    if "repair_id" in remedies._fields:
        repairs = remedies.repair_id.with_user(admin)
        for repair in repairs.filtered(lambda r: r.state not in ("done", "cancel")):
            if repair.state == "draft":
                repair.action_validate()
            if repair.state == "confirmed":
                repair.action_repair_start()
            repair.action_repair_end()
    left = remedies.filtered(lambda r: r.state != "executed")
    if left:
        raise RuntimeError(
            "remedies not executed: " + ", ".join(f"{r.name} ({r.action}: {r.state})" for r in left)
        )
    return ", ".join(f"{r.action} {r.document_ref or ''}".strip() for r in remedies)


breaker = ref("demo_complaint_breaker")
leak = ref("demo_complaint_leak")
washer = ref("demo_complaint_washer_scratch")
investigation = ref("demo_investigation_kettle")


@step("urgent complaint: return, credit note, replacement and gift carried out")
def _breaker_remedies():
    remedies = breaker._qc_current_remedies()
    gift = remedies.filtered(lambda r: r.action == "gift" and not r.product_id)
    if gift:
        mug = (
            env["product.product"]
            .with_user(admin)
            .create({"name": "Thermal mug (apology gift)", "type": "consu", "list_price": 9.0})
        )
        as_user(gift, service).product_id = mug
    return finish_documents(remedies)


@step("urgent complaint: result sent, customer satisfied, call-back due")
def _breaker_feedback():
    as_user(breaker, service).action_qc_send_result()
    wizard = as_user(env["quality.complaint.feedback.wizard"], service).create(
        {"ticket_id": breaker.id, "outcome": "satisfied", "note": "Happy with the new kettle."}
    )
    wizard.action_record()
    if breaker.qc_followup_state != "due":
        raise RuntimeError(f"call-back state {breaker.qc_followup_state}, expected due")


@step("important complaint: return, credit note and warranty carried out")
def _leak_remedies():
    # accounting invoices the delivered order first: the refund reverses the invoice
    order = leak.sale_order_id.with_user(admin)
    if order.invoice_status == "to invoice":
        wizard = (
            env["sale.advance.payment.inv"]
            .with_user(admin)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "delivered"})
        )
        wizard.create_invoices()
        order.invoice_ids.filtered(lambda m: m.state == "draft").action_post()
    return finish_documents(leak._qc_current_remedies())


@step("cosmetic complaint completed and registered; repair and coupon carried out")
def _washer():
    ticket = as_user(washer, service)
    ticket.write(
        {
            "description": "<p>A 3 cm scratch across the door glass, visible from the front.</p>",
            "occurrence": "Found when unpacking the machine.",
            "details_confirmed": True,
        }
    )
    env["ir.attachment"].with_user(ticket.env.user).create(
        {"name": "door-photo.txt", "raw": b"photo", "res_model": washer._name, "res_id": washer.id}
    )
    ticket.action_register_complaint()
    ticket.action_propose_remedy_plan()
    remedies = washer._qc_current_remedies()
    for action, type_xmlid in (
        ("repair", "remedy_type_repair"),
        ("coupon", "remedy_type_coupon"),
    ):
        if not remedies.filtered(lambda r, a=action: r.action == a):
            remedy_type = ref(type_xmlid)
            as_user(Remedy, service).create(
                {
                    "ticket_id": washer.id,
                    "type_id": remedy_type.id,
                    "name": remedy_type.name,
                    "product_id": washer.product_id.id,
                    "lot_ids": [Command.set(washer.lot_ids.ids)],
                    "plan_version": washer.qc_plan_version or 1,
                }
            )
    return finish_documents(washer._qc_current_remedies())


@step("supplier answers its corrective action request on the portal, purchasing accepts")
def _supplier():
    action = env["quality.complaint.action"].search(
        [("template_id", "=", ref("action_template_material_scar").id)], limit=1
    )
    supplier = ref("demo_user_portal_supplier")
    # what the portal's answer route does once it has checked the access
    action.with_user(supplier).sudo()._qca_supplier_answer(
        {
            "containment_done": True,
            "containment_note": "Stock of gasket lot G-2611 blocked at our plant.",
            "root_cause": "The gasket press skipped its thickness test on the night shift.",
            "corrective_action": "Thickness test made a release condition of each lot.",
            "planned_date": fields.Date.to_string(fields.Date.today()),
            "evidence": [("8d-report.txt", b"Supplier 8D report placeholder")],
        }
    )
    as_user(action, "demo_user_purchaser").action_accept_supplier_answer()
    if action.supplier_state != "accepted":
        raise RuntimeError(f"supplier state {action.supplier_state}, expected accepted")
    return action.name


@step("raised incoming sampling verified effective")
def _verification():
    action = env["quality.complaint.action"].search(
        [("template_id", "=", ref("action_template_material_sampling").id)], limit=1
    )
    as_user(action, officer).action_verify()
    as_user(env["quality.complaint.action.verification"], officer).create(
        {
            "action_id": action.id,
            "method": "production_records",
            "measure": "Incoming pass rate of the gasket lots",
            "result": 99,
            "target": 98,
            "unit": "%",
            "verdict": "effective",
            "notes": "Three lots sampled at the raised level, all passed.",
        }
    )
    return action.name


@step("attachments on complaints, the investigation and an action")
def _attachments():
    records = [
        (as_user(leak, service), "return-label.txt"),
        (as_user(investigation, officer), "lab-report.txt"),
        (as_user(investigation, officer), "seam-photo.txt"),
        (as_user(env["quality.complaint.action"].search([], limit=1), officer), "minutes.txt"),
    ]
    for record, name in records:
        record.message_post(
            body=f"Evidence: {name}",
            attachments=[(name, b"placeholder of " + name.encode())],
            subtype_xmlid="mail.mt_note",
        )
        env["ir.attachment"].with_user(record.env.user).create(
            {"name": "direct-" + name, "raw": b"x", "res_model": record._name, "res_id": record.id}
        )


@step("monthly review prepared, held, its decisions made corrective actions, closed")
def _review():
    Review = as_user(env["quality.complaint.review"], qmanager)
    result = Review.action_prepare_last_month()
    review = Review.browse(result["res_id"])
    review.write(
        {
            "attendee_ids": [Command.set([ref(officer).id, ref(service).id])],
            "minutes": "<p>Kettle lot EK17-2611-A: supplier 8D accepted.</p>",
            "decision_ids": [
                Command.create(
                    {
                        "description": "Audit the gasket supplier's test station",
                        "kind": "preventive",
                        "user_id": ref(officer).id,
                        "date_deadline": fields.Date.today(),
                        "investigation_id": investigation.id,
                        "partner_id": ref("demo_partner_supplier").id,
                        "product_id": ref("demo_product_kettle").id,
                    }
                )
            ],
        }
    )
    review.action_held()
    review.action_create_actions()
    review.action_close()
    if not review.decision_ids.action_id:
        raise RuntimeError("the decision did not become a corrective action")
    return f"{review.name}: {len(review.item_ids)} agenda items"


if failures:
    print(f"[fill] {len(failures)} step(s) failed: " + "; ".join(failures))
    env.cr.rollback()
    sys.exit(1)
env.cr.commit()
print("[fill] committed")

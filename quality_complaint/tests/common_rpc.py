"""Calls over the web client's own JSON-RPC, as a logged-in user would make them."""

from odoo.tests import new_test_user

# Every role of the access matrix: login -> groups (the password is the login).
ROLE_GROUPS = {
    "customer_service": "quality_complaint.group_complaint_user",
    "officer": "quality_complaint.group_complaint_officer",
    "manager": "quality_complaint.group_complaint_manager",
    "purchase": "base.group_user,purchase.group_purchase_user",
    "stock": "base.group_user,stock.group_stock_manager",
    "accountant": "base.group_user,account.group_account_invoice",
    "employee": "base.group_user",
    "portal_customer": "base.group_portal",
    "portal_supplier": "base.group_portal",
}


def role_users(env, prefix, customer, supplier):
    """One user of each role of the matrix; the portal users are the contacts of
    ``customer`` and ``supplier``. Returns {role: user}; password = login."""
    users = {}
    for name, groups in ROLE_GROUPS.items():
        login = f"{prefix}_{name}"
        extra = {}
        if name == "portal_customer":
            extra["partner_id"] = (
                env["res.partner"]
                .create(
                    {
                        "name": f"{customer.name} contact",
                        "parent_id": customer.id,
                        "type": "contact",
                    }
                )
                .id
            )
        elif name == "portal_supplier":
            extra["partner_id"] = (
                env["res.partner"]
                .create(
                    {
                        "name": f"{supplier.name} contact",
                        "parent_id": supplier.id,
                        "type": "contact",
                    }
                )
                .id
            )
        users[name] = new_test_user(
            env, login=login, password=login, name=f"{name} user", groups=groups, **extra
        )
    return users


def call_kw(case, model, method, args, kwargs=None):
    """``model.method(*args, **kwargs)`` over /web/dataset/call_kw as the user the
    HttpCase ``case`` authenticated. Returns ``(result, error)``, where ``error``
    is the JSON-RPC error's data (``name``, ``message``) or None."""
    response = case.opener.post(
        f"{case.base_url()}/web/dataset/call_kw/{model}/{method}",
        json={
            "id": 0,
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        },
        timeout=30,
    )
    response.raise_for_status()
    body = response.json()
    if "error" in body:
        return None, body["error"].get("data") or {"name": "", "message": str(body["error"])}
    return body.get("result"), None


def call_kw_message(case, model, method, args, kwargs=None):
    """``call_kw`` returning ``(result, error message or None)``; the test's
    cache is dropped, so that the records are read as the call left them."""
    result, error = call_kw(case, model, method, args, kwargs)
    case.env.invalidate_all()
    return result, error and error["message"]

"""Who may call a public method of our models.

Every public method of a model is an RPC endpoint for whoever can read the
record. Each public method an addon of ours defines either declares the groups
that may call it, with ``@role(...)``, or is ``@api.private``. The check runs
before the method, for every caller but the superuser (``sudo()`` code that
did its own check, crons of OdooBot); the RPC context never skips it.

``tests/test_roles.py`` walks the registry: a public method of ours without a
declared role fails, and each declared one is called over JSON-RPC as every
role of the matrix that it does not name, expecting this refusal.
"""

import functools

from odoo.exceptions import AccessError

CUSTOMER_SERVICE = "quality_complaint.group_complaint_user"
OFFICER = "quality_complaint.group_complaint_officer"
MANAGER = "quality_complaint.group_complaint_manager"
PURCHASE = "purchase.group_purchase_user"
STOCK = "stock.group_stock_user"
EMPLOYEE = "base.group_user"


def role(*groups, refusal=None):
    """Declare the groups (XML ids) whose users may call the decorated method;
    any other caller gets an ``AccessError`` and nothing runs.

    ``refusal``: the name of a method of the model that raises a more telling
    error for such a caller (who to ask, what to do instead); it is called
    first, and the generic refusal follows if it does not raise."""
    if not groups:
        raise TypeError("role() needs at least one group")

    def decorate(method):
        @functools.wraps(method)
        def checked(self, *args, **kwargs):
            if not self.env.su:
                check_role(self, groups, method.__name__, refusal)
            return method(self, *args, **kwargs)

        checked._qc_roles = groups
        checked._qc_refusal = refusal
        return checked

    return decorate


def check_role(records, groups, what, refusal=None):
    """Raise the role refusal unless the current user is in one of ``groups``."""
    user = records.env.user
    if any(user.has_group(group) for group in groups):
        return
    if refusal:
        getattr(records, refusal)()
    names = []
    for xmlid in groups:
        group = records.env.ref(xmlid, raise_if_not_found=False)
        names.append(group.sudo().full_name if group else xmlid)
    raise AccessError(
        records.env._(
            "%(user)s may not do this (%(model)s.%(method)s): it is reserved to %(groups)s.",
            user=user.name,
            model=records._name,
            method=what,
            groups=", ".join(names),
        )
    )

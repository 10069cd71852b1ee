"""Fields that only business actions set, refused to everybody else.

``readonly=True`` is a form hint: a JSON-RPC or XML-RPC caller may send any field.
A model lists in ``_qc_protected_fields`` what only its actions may change; a
direct create or write of them by anyone but the superuser raises an
``AccessError`` naming them and changes nothing. The actions check the user's
rights themselves, then write with ``_qc_write_protected``.
"""

from odoo import models
from odoo.exceptions import AccessError


class QualityComplaintProtectedMixin(models.AbstractModel):
    _name = "quality.complaint.protected.mixin"
    _description = "Fields only business actions set"

    # names of the fields only business actions may set
    _qc_protected_fields = ()

    def _qc_check_protected(self, vals_list, creating=False):
        """Refuse ``vals_list`` if it sets a protected field; at creation, a field
        left empty or at its default is no change."""
        if self.env.su:
            return
        protected = self._qc_protected()
        touched = sorted(
            {
                name
                for vals in vals_list
                for name, value in vals.items()
                if name in protected and not (creating and self._qc_is_default_value(name, value))
            }
        )
        if touched:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in touched)
            raise AccessError(self._qc_protected_message(labels))

    def _qc_protected(self):
        """Names of the protected fields; a module adding fields extends it with
        ``super() | {...}`` (a class attribute would hide another module's)."""
        return set(self._qc_protected_fields)

    def _qc_is_default_value(self, name, value):
        if not value:
            return True
        defaults = {
            self.default_get([name]).get(name),
            self.with_context(lang="en_US").default_get([name]).get(name),
        }
        return value in defaults

    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s cannot be set directly: use the buttons of the document.",
            fields=labels,
        )

    def _qc_write_protected(self, vals):
        """Write protected fields for a business action, once the user may edit."""
        self.check_access("write")
        return self.sudo().write(vals)

"""Fields that only business actions set, refused to everybody else.

``readonly=True`` is a form hint: a JSON-RPC or XML-RPC caller may send any field.
A model lists in ``_qc_protected_fields`` what only its actions may change; a
direct create or write of them by anyone but the superuser raises an
``AccessError`` naming them and changes nothing. The actions check the user's
rights themselves, then write with ``_qc_write_protected``.

Every path of creation is covered, not only the values sent: a protected field
takes its code default whatever the context defaults (``default_state``) or the
personal and company defaults (``ir.default``) say, ``copy()`` leaves it to its
code default, and an import (``load``) goes through the same create check.

Two users acting on the same record at once (two clicks on Execute, a review
racing the supplier's answer): the business action first takes the record's row
lock with ``_qc_lock_for_action``, so one of them acts and the other gets a clear
message at once, instead of both reading the same state and doing the work twice
(or waiting, then failing on a serialization error).
"""

from psycopg2 import errors as pg_errors

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


def lock_nowait(*recordsets):
    """Lock the rows of ``recordsets`` (of any models) for the current transaction
    if no other transaction holds them or changed them since this one began; else
    lock nothing and return False. The refused attempt is rolled back to a
    savepoint and logs nothing: it is no fault, only someone else at work."""
    records = [records for records in recordsets if records]
    if not records:
        return True
    cr = records[0].env.cr
    try:
        with cr.savepoint(flush=False):
            for rows in records:
                cr.execute(
                    SQL(
                        "SELECT id FROM %s WHERE id IN %s FOR NO KEY UPDATE NOWAIT",
                        SQL.identifier(rows._table),
                        tuple(rows.ids),
                    ),
                    log_exceptions=False,
                )
    except (pg_errors.LockNotAvailable, pg_errors.SerializationFailure):
        return False
    return True


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
        return value in {
            self._qc_code_default(name),
            self.with_context(lang="en_US")._qc_code_default(name),
        }

    def _qc_code_default(self, name):
        """The default the field's declaration gives, in write format (None when
        it has none): never the context's nor ``ir.default``'s."""
        field = self._fields[name]
        if not field.default:
            return None
        value = field.convert_to_cache(field.default(self), self, validate=False)
        return field.convert_to_write(value, self)

    @api.model
    def default_get(self, fields):
        defaults = super().default_get(fields)
        if self.env.su:
            return defaults
        for name in self._qc_protected().intersection(defaults):
            code_default = self._qc_code_default(name)
            if code_default is None:
                del defaults[name]
            else:
                defaults[name] = code_default
        return defaults

    def copy_data(self, default=None):
        """A copy starts its business life anew: protected fields take their code
        default, whatever ``default`` asks."""
        vals_list = super().copy_data(default=default)
        if not self.env.su:
            protected = self._qc_protected()
            for vals in vals_list:
                for name in protected.intersection(vals):
                    del vals[name]
        return vals_list

    def _qc_protected_message(self, labels):
        return self.env._(
            "%(fields)s cannot be set directly: use the buttons of the document.",
            fields=labels,
        )

    def _qc_write_protected(self, vals):
        """Write protected fields for a business action, once the user may edit."""
        self.check_access("write")
        return self.sudo().write(vals)

    def _qc_lock_for_action(self, message=None):
        """Take the row lock of the records for the business action about to change
        them, then read them afresh; the action checks their state after this call.

        Without waiting: another transaction holding the lock (someone is doing it
        right now), or having changed them since this one began (someone just did),
        gives a ``UserError`` with ``message`` (a text or a function returning it;
        default: reload and try again) and
        this transaction changes nothing. Once the lock is taken, the state this
        transaction reads is the last one committed (repeatable read: a newer
        version would have failed the lock), so the action's checks are up to date;
        the RPC retry after a serialization failure elsewhere runs the action again,
        takes the lock again and its checks then say what the other user did."""
        if not self.ids:
            return
        if not lock_nowait(self):
            if callable(message):
                message = message()
            raise UserError(
                message
                or self.env._(
                    "%(records)s is being changed by someone else at this moment, or was "
                    "just changed: reload the page to see its current state, then try "
                    "again if it is still needed.",
                    records=", ".join(self.sudo().mapped("display_name")),
                )
            )
        self.invalidate_recordset()

from odoo import api, models


class QualityComplaintInvestigationPart(models.AbstractModel):
    """A record that belongs to an investigation and is locked with it."""

    _name = "quality.complaint.investigation.part"
    _description = "Part of an investigation, locked with it"
    # Many2one to the investigation, or to a record that has ``investigation_id``.
    _investigation_parent = "investigation_id"

    @api.model
    def _investigations_of(self, parents):
        if parents._name == "quality.complaint.investigation":
            return parents
        return parents.investigation_id

    def _parents_in(self, vals_list):
        """The parents named in ``vals_list`` (creating a part or moving it)."""
        field = self._investigation_parent
        return self.env[self._fields[field].comodel_name].browse(
            [vals[field] for vals in vals_list if vals.get(field)]
        )

    @api.model_create_multi
    def create(self, vals_list):
        self._investigations_of(self._parents_in(vals_list))._check_unlocked()
        return super().create(vals_list)

    def write(self, vals):
        # both the investigation it leaves and the one it joins must be unlocked
        parents = self.mapped(self._investigation_parent) | self._parents_in([vals])
        self._investigations_of(parents)._check_unlocked()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_unlocked(self):
        self._investigations_of(self.mapped(self._investigation_parent))._check_unlocked()

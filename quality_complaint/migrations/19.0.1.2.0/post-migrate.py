"""19.0.1.2.0: a closed stage without a complaint step no longer cancels a
complaint by itself; stages say so with ``qc_cancels``. The stage data is not
updated (noupdate): the module's own Cancelled stage is marked here, so that a
complaint is still cancelled there at any time."""


def migrate(cr, version):
    cr.execute(
        """
        UPDATE helpdesk_ticket_stage stage
           SET qc_cancels = TRUE
          FROM ir_model_data imd
         WHERE imd.module = 'quality_complaint'
           AND imd.name = 'stage_complaint_cancelled'
           AND imd.model = 'helpdesk.ticket.stage'
           AND imd.res_id = stage.id
           AND stage.closed
        """
    )

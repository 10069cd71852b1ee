from . import controllers
from . import models
from . import wizards


def post_init_hook(env):
    """Returned defective units go to a quality location, not to sellable stock."""
    env["res.company"].search([])._qc_create_return_locations()

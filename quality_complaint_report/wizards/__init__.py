from . import complaint_register_wizard

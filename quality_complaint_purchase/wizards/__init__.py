from . import supplier_reject_wizard

from . import test_supplier_action
from . import test_supplier_portal
from . import test_supplier_tour
from . import test_demo
from . import test_trust_action
from . import test_reminder_digest

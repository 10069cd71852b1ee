from . import test_investigation
from . import test_investigation_locks
from . import test_traceability
from . import test_investigation_tour
from . import test_investigation_protected
from . import test_message_preview
from . import test_investigation_handover
from . import test_investigation_handover_tour

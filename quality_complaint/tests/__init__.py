from . import test_registration
from . import test_validation
from . import test_entry_points
from . import test_access
from . import test_tour
from . import test_i18n

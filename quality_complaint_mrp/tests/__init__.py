from . import test_production_traceability

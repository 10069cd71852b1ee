from . import test_remedy_repair

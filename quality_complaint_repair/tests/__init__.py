from . import test_remedy_repair
from . import test_document_gone

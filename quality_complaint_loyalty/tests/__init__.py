from . import test_remedy_coupon
from . import test_document_gone

from . import portal
from . import supplier_portal
from . import ticket

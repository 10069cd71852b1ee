from . import test_remedy_coupon

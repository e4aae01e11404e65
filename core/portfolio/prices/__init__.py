"""Price sources, one module each behind the PriceSource protocol."""

from core.portfolio.prices.base import PriceSource

__all__ = ["PriceSource"]

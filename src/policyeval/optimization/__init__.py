"""Funding decisions: portfolio selection, efficient frontier, allocation, robust core.

PuLP is imported only by :mod:`policyeval.lp`, inside functions.
"""

from __future__ import annotations

from policyeval.optimization.allocation import AllocationResult, allocate
from policyeval.optimization.frontier import FrontierResult, efficient_frontier, frontier_svg
from policyeval.optimization.portfolio import (
    PortfolioData,
    PortfolioResult,
    build_portfolio_model,
    optimize_portfolio,
)
from policyeval.optimization.robust import core_index, robust_portfolio

__all__ = [
    "AllocationResult",
    "FrontierResult",
    "PortfolioData",
    "PortfolioResult",
    "allocate",
    "build_portfolio_model",
    "core_index",
    "efficient_frontier",
    "frontier_svg",
    "optimize_portfolio",
    "robust_portfolio",
]

"""policyeval: evaluate policy recommendations the way an analysis unit would.

The package is light to import; heavy modules (pandas, scikit-criteria,
matplotlib, pulp) are imported inside the functions that need them.
"""

from __future__ import annotations

__version__ = "0.1.0"

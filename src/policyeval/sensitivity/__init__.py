"""How sure is the ranking: SMAA-2, weight stability, what it would take, tornado,
rank reversal and agreement across stakeholders.

``sensitivity_report(problem, weights, ...)`` runs them all; each analysis is
also a function on a :class:`~policyeval.model.Problem` and a weight vector.
"""

from __future__ import annotations

from policyeval.sensitivity.report import SensitivityReport, sensitivity_report, summarize
from policyeval.sensitivity.reversal import ReversalCheck, rank_reversal
from policyeval.sensitivity.sampling import sample_weights
from policyeval.sensitivity.smaa import SmaaResult, smaa
from policyeval.sensitivity.stability import Stability, stability_intervals
from policyeval.sensitivity.stakeholders import (
    Stakeholders,
    correlated_criteria,
    stakeholder_analysis,
)
from policyeval.sensitivity.tornado import Tornado, tornado, tornado_svg
from policyeval.sensitivity.voi import VoiResult, evpi, evppi, value_of_information
from policyeval.sensitivity.whatif import WhatItTakes, what_it_takes

__all__ = [
    "ReversalCheck",
    "SensitivityReport",
    "SmaaResult",
    "Stability",
    "Stakeholders",
    "Tornado",
    "VoiResult",
    "WhatItTakes",
    "correlated_criteria",
    "evpi",
    "evppi",
    "rank_reversal",
    "sensitivity_report",
    "sample_weights",
    "smaa",
    "stability_intervals",
    "stakeholder_analysis",
    "summarize",
    "tornado",
    "tornado_svg",
    "value_of_information",
    "what_it_takes",
]

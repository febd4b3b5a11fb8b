"""How sure is the ranking: SMAA-2, weight stability, what it would take, tornado,
rank reversal and agreement across stakeholders."""

from __future__ import annotations

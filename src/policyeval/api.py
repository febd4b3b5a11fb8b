"""The Python API's analysis: the pipeline's :class:`~policyeval.analysis.Analysis`
plus what needs the reporting layer (the memo).

``policyeval.analyze`` returns one of these.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from policyeval import analysis


class Analysis(analysis.Analysis):
    __doc__ = analysis.Analysis.__doc__

    def memo(
        self,
        template: str | Sequence[str] = "memo",
        format: str | Sequence[str] = "md",
        *,
        date: str | None = None,
        samples: int = analysis.SAMPLES,
        seed: int = 0,
    ) -> dict[str, bytes]:
        """The policy memo rendered in memory: relative file name -> bytes.

        ``template`` is ``brief``, ``memo`` or ``full`` (or several); ``format`` is
        ``md``, ``html``, ``pdf`` or ``docx`` (or several). Write the files with
        :func:`policyeval.reporting.write_report`.
        """
        from policyeval.reporting import build_report, report_context
        from policyeval.reporting.provenance import default_date

        templates = [template] if isinstance(template, str) else list(template)
        formats = [format] if isinstance(format, str) else list(format)
        ctx = report_context(
            self, date=date or default_date(), seed=seed, samples=samples,
            templates=templates, formats=formats,
        )  # fmt: skip
        return build_report(ctx, templates, formats, self.case.templates)

    def record(self, *, samples: int = analysis.SAMPLES, seed: int = 0, **settings: Any) -> dict:
        """The decision record of this analysis (:func:`policyeval.record.decision_record`)."""
        from policyeval.record import decision_record

        return decision_record(self, samples=samples, seed=seed, **settings)

    def to_skcriteria(self) -> Any:
        """The case as a scikit-criteria DecisionMatrix under this analysis's weights."""
        from policyeval.interop import to_skcriteria

        return to_skcriteria(self.case, self.weights.weights)

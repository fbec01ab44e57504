"""Where a library file is viewed and edited on the repository host, and how a team reports results."""

from __future__ import annotations

from dataclasses import dataclass

from ..core.model import Funnel


@dataclass(frozen=True)
class RepoLinks:
    """Where a file can be viewed and edited on the repository host (GitHub-style URLs)."""

    repo_url: str
    branch: str = "main"

    def view(self, path: str) -> str:
        return f"{self.repo_url.rstrip('/')}/blob/{self.branch}/{path}"

    def edit(self, path: str) -> str:
        return f"{self.repo_url.rstrip('/')}/edit/{self.branch}/{path}"

    def report_issue(self, funnel: Funnel) -> str:
        """A new "report results" issue with the funnel's report file filled in but for the counts."""
        from urllib.parse import urlencode

        from ..core.scaffold import report_template

        text = report_template(
            funnel, report_id="your-handle-yyyy-mm", author="@your-handle", period="YYYY-MM/YYYY-MM", today=None
        )
        query = urlencode(
            {"template": "report-results.yml", "title": f"Results: {funnel.id}", "funnel": funnel.id, "report": text}
        )
        return f"{self.repo_url.rstrip('/')}/issues/new?{query}"

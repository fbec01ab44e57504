"""The core: entries read strictly, checked, and built into records; the caches' one rule.

It imports nothing from the site's rendering or from any engine (MkDocs), so the validator
installs without them (`pip install funnel-library`)."""

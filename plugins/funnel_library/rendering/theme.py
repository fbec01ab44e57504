"""The site's look and behaviour, shipped in the package: Material overrides (``theme/main.html``,
``theme/partials/``), the styles and the page script (``theme/assets/``).

The MkDocs plugin adds :data:`THEME_DIR` to Material's template folders, after a project's own
``custom_dir`` (which so still wins), and lists :data:`STYLESHEET` and :data:`ENTRY_SCRIPT`;
MkDocs then copies the assets into the site as it copies any theme file. ``generate`` copies the
folder into the project it writes. A project's ``mkdocs.yml`` needs only ``theme: material`` and
the plugin.
"""

from __future__ import annotations

from pathlib import Path

#: The folder of overrides and assets, inside the installed package.
THEME_DIR = Path(__file__).resolve().parent.parent / "theme"

#: The site's styles, as a path in the built site.
STYLESHEET = "assets/funnel-library.css"

#: The page script's entry, an ES module (``type="module"``): it imports each feature
#: (``assets/features/``) only on a page that has that feature's root. No build step.
ENTRY_SCRIPT = "assets/funnel-library.js"

#: The template of a page the build gives as an earlier build finished it (see page_reuse): the
#: theme renders nothing for it, and the plugin hands MkDocs the kept page instead.
KEPT_PAGE_TEMPLATE = "funnel-library-kept.html"

"""The site: its addresses, pages, diagrams, exports and search index, and one build of it
(`site_build`). Engines reach it through an adapter: the MkDocs plugin, or `generate`."""

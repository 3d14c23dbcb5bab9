"""Renderers: a Derivation to text (rich), Markdown, JSON or HTML (the Markdown as a page,
its math as MathML). Each is imported only when its format is asked for."""

"""Renderers: a Derivation to text (rich), Markdown or JSON. Each is imported only when
its format is asked for."""

"""The worked examples, shipped with dlsolve as package data: each problem file (TOML or
JSON) with its Markdown solution of the same name, and students' answers files for
``dlsolve check``. ``dlsolve examples`` lists them; ``dlsolve solve NAME`` solves one."""

"""What every command shares and no topic owns: the derivation, inputs, numbers, LaTeX,
problem files, atomic output and the standard streams."""

"""Forms of the surveys, one module per part (builder, public, results)."""

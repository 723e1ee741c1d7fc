"""What mscbib does with a written library: views (`mscbib tags` / `mscbib refs`), graph (the
citation graph) and subset (the entries a manuscript cites)."""

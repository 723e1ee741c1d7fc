"""The build: the list of stages run over one Library (build), the stages' steps (stages/),
the build report (report) and `mscbib expand` (expand: each level a build)."""

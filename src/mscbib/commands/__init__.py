"""One module per `mscbib` command; see :data:`mscbib.cli.COMMANDS`."""

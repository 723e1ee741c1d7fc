"""mscbib for other programs: Zotero (zotero/) and papis (papis_importer)."""

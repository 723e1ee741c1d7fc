"""A local stand-in for the DOI resolver (doi.org), for tests and benchmarks (never the network).

* ``GET /api/handles/{doi}`` — the handle service (``{"responseCode": 1}``, or 404 with ``100``);
* ``GET /ra/{doi}[,{doi}…]`` — the registration agency of each DOI, as doi.org answers:
  ``[{"DOI": "10.5281/zenodo.1", "RA": "DataCite"}]``, or ``{"DOI": …, "status": "DOI does not exist"}``;
* ``GET /{doi}`` with ``Accept: application/vnd.citationstyles.csl+json`` — content negotiation: a ``302`` to the
  agency's metadata service (here ``/_agency/<agency>/<doi>``), which answers the CSL-JSON work;
  an unknown DOI is ``404`` (doi.org's "DOI Not Found" page). Without that ``Accept``: a ``302`` to a landing page.

Works are CSL-JSON items (``{"DOI", "type", "title", "author", "issued", "publisher"…}``) with their agency;
:func:`datacite_item` makes synthetic ones.
"""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

from ._http import Request, StandInServer

__all__ = ["DoiStandIn", "datacite_item"]


def datacite_item(
    doi: str,
    title: str = "Synthetic dataset of stromal cell signalling",
    year: int = 2021,
    kind: str = "dataset",
    publisher: str = "Zenodo",
) -> dict:
    """A made-up work as DataCite's content negotiation answers it (CSL-JSON; synthetic)."""
    return {
        "_synthetic": "made for mscbib's tests; not a real work",
        "type": kind,
        "id": f"https://doi.org/{doi}",
        "DOI": doi.upper() if doi.startswith("10.48550/") else doi,
        "URL": f"https://zenodo.org/record/{doi[-4:]}",
        "title": title,
        "author": [{"family": "Synthetic", "given": "Ada"}, {"family": "Placeholder", "given": "Ben"}],
        "issued": {"date-parts": [[year, 5, 4]]},
        "publisher": publisher,
        "language": "en",
        "abstract": "Synthetic abstract.",
    }


class DoiStandIn(StandInServer):
    def __init__(self, works: dict[str, tuple[str, dict | None]] | None = None) -> None:
        """``works``: ``{doi: (agency, CSL-JSON item or None)}`` (``None``: the agency gives no CSL-JSON)."""
        super().__init__()
        self.works = {d.lower(): w for d, w in (works or {}).items()}

    def answer(self, req: Request):
        path = unquote(req.path)
        if path.startswith("/ra/"):
            out = []
            for doi in path[4:].split(","):
                known = self.works.get(doi.lower())
                out.append({"DOI": doi, "RA": known[0]} if known else {"DOI": doi, "status": "DOI does not exist"})
            return 200, "application/json;charset=UTF-8", json.dumps(out).encode(), {}
        if path.startswith("/api/handles/"):  # the handle service mscbib check asks (mscbib.services.handles)
            doi = path[len("/api/handles/") :]
            if doi.lower() in self.works:
                return 200, "application/json", json.dumps({"responseCode": 1, "handle": doi}).encode(), {}
            return 404, "application/json", json.dumps({"responseCode": 100, "handle": doi}).encode(), {}
        if path.startswith("/_agency/"):
            _, _, agency, doi = path.split("/", 3)
            known = self.works.get(doi.lower())
            if known is None or known[1] is None:
                return 404, "text/plain", b"not found", {}
            return 200, "application/vnd.citationstyles.csl+json", json.dumps(known[1]).encode(), {}
        doi = path.lstrip("/")
        known = self.works.get(doi.lower())
        if known is None:
            return 404, "text/html", b"<html><body><h1>DOI Not Found</h1></body></html>", {}
        if "application/vnd.citationstyles.csl+json" in req.headers.get("accept", ""):
            if known[1] is None:  # the agency does not support content negotiation
                return 406, "text/plain", b"Not Acceptable", {}
            return 302, "text/plain", b"", {"Location": f"/_agency/{known[0]}/{quote(doi, safe='/')}"}
        return 302, "text/plain", b"", {"Location": "/_landing"}

"""The network services the enrich stage (and `mscbib check`) asks, each through one client:
Crossref (crossref/), NCBI (ncbi), the shared cache and pacer of NCBI's and the DOI resolver's clients
(service_client) and the DOI handle service (handles)."""

"""Area routers of the web app (each module exposes an ``APIRouter`` named ``router``)."""

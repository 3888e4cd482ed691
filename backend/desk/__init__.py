"""The supervisor's and office's desk: read models over several domains (the
exception inbox). Reads only; every decision is a mutation of its own domain."""

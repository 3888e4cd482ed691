"""HTTP routes beside GraphQL (Starlette): they parse the request, call the domain, answer."""

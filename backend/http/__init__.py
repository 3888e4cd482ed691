"""HTTP routes beside GraphQL (Starlette): the PWA's files, documents as PDF, metrics."""

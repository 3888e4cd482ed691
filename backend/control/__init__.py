"""Stock control: internal moves and transfers, cycle counts, adjustments, status changes.

Every stock change here goes through `inventory.ledger.apply_move`, so the quants
keep equalling the ledger. Functions take a unit of work and plain values and raise
`DomainError`; the GraphQL layer is in `schema/control.py`.
"""

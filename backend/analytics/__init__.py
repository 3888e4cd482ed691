"""Stock, flow and productivity figures from aggregates kept up to date from the ledger."""

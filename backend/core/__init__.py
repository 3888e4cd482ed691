"""The shared base of the domain: database, errors, events, ids and scope, audit, auth."""

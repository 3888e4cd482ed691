"""People who use the system: creating and changing users, their roles, warehouses,
secrets and badges (sign-in and tokens are backend/core/auth)."""

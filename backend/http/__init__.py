"""Plain HTTP routes beside /graphql."""

"""Plain HTTP beside /graphql: how the PWA's files are delivered."""

"""Pick faces refilled from reserve, and purchase suggestions from demand."""

"""What each printed document shows (data from the database), the print queue and its
worker, and the HTTP route that serves documents as PDF."""

"""Wave planning against the database: the order pool, planning a wave (batching and
routes from backend.routing) and releasing it as pick tasks."""

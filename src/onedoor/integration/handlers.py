"""How the integration app reacts to published outbox events (filled in by the delivery engine)."""

"""How the advisory API reads requests (``write``) and shows its answers (``read``)."""

"""Handlers by feature; each module has ``register(app)``. The catch-all question handler is
registered last by ``bot.telegram.app``."""

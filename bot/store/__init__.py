"""The logs store: conversations, answers, feedback and handoffs, in SQLite or PostgreSQL."""

"""nianbao (年报): watch government information-disclosure annual reports."""

__version__ = "0.1.0"

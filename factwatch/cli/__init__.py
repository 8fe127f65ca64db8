"""The `factwatch` command: typer app, its output, the demo; it calls what the flows call."""

"""Command line: a Typer app whose commands only parse, call the library and print."""

"""The installed version of vschema (read by hatchling and by generated file headers)."""

__version__ = "0.1.0.dev0"

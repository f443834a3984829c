"""The JSON Schema files of the contract, shipped as the package ``sessionschema.schemas``."""

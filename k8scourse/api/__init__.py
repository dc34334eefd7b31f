"""The API machinery: kinds, decoding, schemas, defaults, validation."""

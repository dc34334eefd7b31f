"""Simulated time and seeded randomness: the model never reads the wall clock or sleeps."""

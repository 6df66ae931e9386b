"""Decide: the checker's rules over what sources/ read, and its runner. Output is only Problems."""

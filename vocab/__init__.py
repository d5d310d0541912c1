"""The closed vocabularies (grades, kinds, states) and their Chinese labels, defined once.

A leaf: imports nothing of the project, so every layer may import it. Values are what the tables
store (text with a CHECK constraint) and what GraphQL enums list; ``.label`` is what people read.
"""

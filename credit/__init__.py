"""The law's rules as plain Python: the model, identifiers, disclosure windows, working days, content checks.

Nothing here talks to Neo4j or knows about GraphQL; every other package may import it.
"""

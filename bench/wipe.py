"""Empty the Neo4j the environment points at. For the bench's own instance only."""

from graph_store.connection import open_store
from server import settings


async def wipe() -> None:
    config = settings.load()
    if config.neo4j_home.name != "neo4j-bench":
        raise SystemExit(f"refusing to wipe {config.neo4j_home}: the bench wipes only its own instance")
    async with open_store(config.neo4j()) as store, store.driver.session(database=store.database) as session:
        await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")

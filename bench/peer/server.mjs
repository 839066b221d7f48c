// The peer of bench/peer_compare.py: @neo4j/graphql 7 under graphql-yoga 5, one Node process, over the same Neo4j.
//
//   NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE (default neo4j), PORT (default 4000), JWT_SECRET
//
// POST /graphql answers GraphQL; GET /readyz says 200 once Neo4j answers. A request without a token reads as an
// anonymous viewer; a Bearer token signed (HS256) with JWT_SECRET is verified by the library and its claims (role,
// unit, purpose, categories) select the AGENCY rule of typeDefs.mjs. `node server.mjs --print-schema` prints the
// generated schema and exits, with no database.
import { createServer } from "node:http";

import { Neo4jGraphQL } from "@neo4j/graphql";
import { printSchema } from "graphql";
import { createYoga } from "graphql-yoga";
import neo4j from "neo4j-driver";

import { typeDefs } from "./typeDefs.mjs";

const env = process.env;
const printOnly = process.argv.includes("--print-schema");
const secret = env.JWT_SECRET ?? (printOnly ? "print-only" : undefined);
if (!secret) {
  throw new Error("JWT_SECRET is required: the key that signs (HS256) the tokens the peer accepts");
}

const driver = printOnly
  ? undefined
  : neo4j.driver(env.NEO4J_URI ?? "neo4j://127.0.0.1:7687", neo4j.auth.basic(env.NEO4J_USER ?? "neo4j", env.NEO4J_PASSWORD ?? ""));
const neoSchema = new Neo4jGraphQL({
  typeDefs,
  driver,
  features: {
    filters: { String: { GT: true } }, // walking the list: id greater than the last one seen
    authorization: { key: secret },
  },
});
const schema = await neoSchema.getSchema();
if (printOnly) {
  process.stdout.write(printSchema(schema));
  process.exit(0);
}

const database = env.NEO4J_DATABASE ?? "neo4j";
const yoga = createYoga({
  schema,
  graphiql: false,
  logging: "warn",
  context: ({ request }) => {
    const authorization = request.headers.get("authorization");
    return { ...(authorization ? { token: authorization } : {}), sessionConfig: { database } };
  },
});

await driver.verifyConnectivity({ database });
const port = Number(env.PORT ?? 4000);
createServer((request, response) => {
  if (request.url === "/readyz") {
    response.writeHead(200, { "content-type": "text/plain" }).end("ready");
    return;
  }
  yoga(request, response);
}).listen(port, "127.0.0.1", () => console.log(`peer on http://127.0.0.1:${port}/graphql`));

const stop = async () => {
  await driver.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

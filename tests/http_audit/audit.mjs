// graphql-http's server audit (the GraphQL over HTTP spec's reference suite) against the URL given:
// one JSON line, a list of {id, name, status, reason}; status is "ok", "notice" (MAY), "warn" (SHOULD) or "error" (MUST).
import { auditServer } from 'graphql-http';

const [url] = process.argv.slice(2);
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}
const results = await auditServer({ url });
const body = async (response) => (await response.text().catch(() => '(body already read)')).slice(0, 300);
const report = await Promise.all(
  results.map(async ({ id, name, status, reason, response }) =>
    status === 'ok' ? { id, name, status } : { id, name, status, reason, answered: response.status, body: await body(response) },
  ),
);
console.log(JSON.stringify(report));

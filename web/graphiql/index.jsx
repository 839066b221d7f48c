// GraphiQL for GET /graphql, bundled from npm (web/package-lock.json) and served by the API itself: no CDN.
import "./workers.js"; // before Monaco loads
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL, HISTORY_PLUGIN } from "graphiql";
import { createRoot } from "react-dom/client";
import "@graphiql/react/style.css";
import "graphiql/graphiql.css";
import "@graphiql/plugin-explorer/style.css";
import "./page.css";

const container = document.getElementById("graphiql");
// The server's settings for this page, in a data block (the page runs no inline script).
const { endpoint, tabs } = JSON.parse(document.getElementById("graphiql-settings").textContent);
const fetcher = createGraphiQLFetcher({ url: new URL(endpoint, location.href).href });
const plugins = [HISTORY_PLUGIN, explorerPlugin()];

createRoot(container).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={plugins}
    defaultTabs={tabs.length ? tabs : undefined}
    defaultEditorToolsVisibility={tabs.length ? "headers" : undefined}
    shouldPersistHeaders={false} // tokens are not kept in the browser's storage
    schemaDescription // the schema's description lists the API's limits
    inputValueDeprecation
  />,
);

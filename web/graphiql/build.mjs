// Bundles GraphiQL (index.jsx) and Monaco's three workers into web/dist/graphiql/, which the server serves at
// /graphiql/. Run by `make web` (npm run build); the output is not committed: it is made again from the lock file.
import { rmSync } from "node:fs";
import * as esbuild from "esbuild";

const options = {
  absWorkingDir: new URL("..", import.meta.url).pathname,
  bundle: true,
  minify: true,
  target: "es2022",
  outdir: "dist/graphiql",
  legalComments: "linked",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

rmSync(new URL("../dist/graphiql", import.meta.url), { recursive: true, force: true }); // no stale files

await Promise.all([
  esbuild.build({
    ...options,
    entryPoints: { graphiql: "graphiql/index.jsx" },
    format: "esm",
    jsx: "automatic",
    loader: { ".ttf": "file" },
    assetNames: "[name]-[hash]",
  }),
  esbuild.build({
    ...options,
    entryPoints: {
      "editor.worker": "node_modules/monaco-editor/esm/vs/editor/editor.worker.js",
      "json.worker": "node_modules/monaco-editor/esm/vs/language/json/json.worker.js",
      "graphql.worker": "node_modules/monaco-graphql/esm/graphql.worker.js",
    },
    format: "iife",
  }),
]);

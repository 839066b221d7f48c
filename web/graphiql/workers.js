// Monaco's workers, built beside this bundle (build.mjs) and started from this origin: the page's
// Content-Security-Policy allows no worker from anywhere else, and no blob: or data: one.
const here = import.meta.url;
const WORKERS = { json: "json.worker.js", graphql: "graphql.worker.js" };

globalThis.MonacoEnvironment = {
  getWorker(_id, label) {
    return new Worker(new URL(WORKERS[label] ?? "editor.worker.js", here), { name: label });
  },
};

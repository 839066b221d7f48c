// Draws the network the page embeds (#network): nodes coloured by kind, ringed red when dishonest,
// edges labelled by relation. The cytoscape instance is window.creditGraph once the layout has run.
(function () {
  const network = JSON.parse(document.getElementById("network").textContent);
  const RELATION_LABELS = { REPRESENTS: "法定代表人", INVESTS_IN: "投资", BRANCH_OF: "分支机构" };
  const elements = [
    ...network.nodes.map((node) => ({
      data: { id: node.id, label: node.name, code: node.code, kind: node.kind, hops: node.hops },
      classes: [node.kind, node.dishonest ? "dishonest" : "", node.hops === 0 ? "origin" : ""].join(" ").trim(),
    })),
    ...network.edges.map((edge) => ({
      data: {
        id: `${edge.source}-${edge.relation}-${edge.target}`,
        source: edge.source,
        target: edge.target,
        relation: edge.relation,
        label: RELATION_LABELS[edge.relation] + (edge.share ? ` ${Math.round(edge.share * 100)}%` : ""),
      },
    })),
  ];
  const graph = cytoscape({
    container: document.getElementById("graph"),
    elements,
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 11, "text-valign": "bottom",
                                   "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": 110,
                                   width: 26, height: 26, "background-color": "#3b7dd8" } },
      { selector: "node.NATURAL_PERSON", style: { "background-color": "#9a6fd0" } },
      { selector: "node.UNINCORPORATED_ORG", style: { "background-color": "#2e9e6a" } },
      { selector: "node.dishonest", style: { "border-width": 4, "border-color": "#d22" } },
      { selector: "node.origin", style: { width: 40, height: 40, "font-weight": "bold" } },
      { selector: "edge", style: { label: "data(label)", "font-size": 9, "curve-style": "bezier", width: 1.5,
                                   "line-color": "#999", "target-arrow-shape": "triangle",
                                   "target-arrow-color": "#999", "text-rotation": "autorotate" } },
    ],
    // A tree from the subject looked up: each row one hop further out.
    layout: { name: "breadthfirst", roots: network.nodes.filter((node) => node.hops === 0).map((node) => node.id),
              spacingFactor: 1.6, padding: 40, animate: false },
    maxZoom: 1.2, // a small network is drawn at its size, not blown up to fill the window
  });
  graph.ready(() => { window.creditGraph = graph; });
})();

// Screen 1: the public company search and detail page (examples/operations/company-search.graphql).
import type { CompanyDetailQuery, CompanySearchQuery } from "./generated/operations";
import { categories, measureTypes, natures, severities, subjectKinds } from "./labels";

export type ResultRow = { id: string; title: string; subtitle: string; link: string };

/** Each hit links to its detail page by id: a masked person's code would not open it, the id does. */
export function searchRows(data: CompanySearchQuery): { rows: ResultRow[]; next: string | null } {
  if (data.subjects === null) return { rows: [], next: null }; // refused (its error says why)
  const rows = data.subjects.edges.map(({ node }) => ({
    id: node.id,
    title: node.name,
    subtitle: `${subjectKinds[node.kind]} · ${node.code}${node.dishonest ? " · 失信" : ""}`,
    link: `/subjects/${encodeURIComponent(node.id)}`,
  }));
  const { hasNextPage, endCursor } = data.subjects.pageInfo;
  return { rows, next: hasNextPage ? endCursor : null };
}

export function detailLines(data: CompanyDetailQuery): string[] {
  const subject = data.subject;
  if (subject === null) return ["没有这个主体"]; // absent and invisible look the same, by design
  const records = subject.records.edges.map(({ node }) => {
    const severity = node.severity === null ? "" : ` (${severities[node.severity]})`;
    const until = node.disclosureEndsOn === null ? "" : `，公示至 ${node.disclosureEndsOn}`;
    const documents = node.documents.map((document) => `${document.number} ${document.issuedOn}`).join("；");
    return `${node.confirmedOn} ${categories[node.category]} ${natures[node.nature]}${severity}：${node.title}${until} ${documents}`;
  });
  const measures = subject.measures.map(
    (measure) => `${measureTypes[measure.type]}：${measure.item}（${measure.startsOn} 至 ${measure.endsOn}）`,
  );
  const representative = subject.legalRepresentative?.name ?? "—";
  return [`${subject.name}（法定代表人：${representative}）`, ...records, ...measures];
}

// Screen 3: an agency officer's subject check (examples/operations/subject-check.graphql).
import type {
  ServeNoticeMutationVariables,
  SubjectCheckQuery,
  WhoStandsBehindQuery,
} from "./generated/operations";
import { measureTypes, severities, subjectKinds } from "./labels";

export function check(data: SubjectCheckQuery): string[] {
  const purpose = data.viewer.purpose === null ? "未声明查询事由" : `查询事由：${data.viewer.purpose.name}`;
  const subject = data.subject;
  if (subject === null) return [purpose, "没有这个主体"];
  const lines = [purpose, `${subject.name} ${subjectKinds[subject.kind]} ${subject.region}`];
  for (const { node } of subject.records.edges) {
    lines.push(`${node.confirmedOn} ${node.title} ${node.severity === null ? "" : severities[node.severity]}`);
  }
  for (const measure of subject.measures) lines.push(`${measureTypes[measure.type]} ${measure.startsOn}`);
  for (const { node } of data.riskNetwork?.edges ?? []) {
    const path = node.path.map((step) => `${step.from.name} -${step.relation}-> ${step.to.name}`).join(" ");
    lines.push(`${node.hops} 跳：${node.subject.name}（${path}）`);
  }
  if (data.viewer.can.serveNotice) lines.push("可以送达告知书");
  return lines;
}

export function behind(data: WhoStandsBehindQuery): string[] {
  return (data.relatedSubjects?.edges ?? []).map(({ node }) => `${node.hops} ${node.subject.name}`);
}

export function preListingNotice(subjectCode: string, recordIds: string[]): ServeNoticeMutationVariables {
  return {
    input: {
      subjectCode,
      kind: "PRE_LISTING",
      recordIds,
      text: "拟将你单位列入严重失信主体名单",
      ground: "DEFYING_OBLIGATIONS",
      basis: "《湖南省社会信用信息管理办法》第二十四条",
      removalConditions: "履行判决确定的义务",
      clientMutationId: crypto.randomUUID(),
    },
  };
}

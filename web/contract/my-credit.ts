// Screen 2: a person's "my credit" page (examples/operations/my-credit.graphql).
import type {
  GrantConsentMutation,
  GrantConsentMutationVariables,
  MyCreditQuery,
  PublishRecordMutation,
  RevokeConsentMutation,
  WhoReadMyDataQuery,
} from "./generated/operations";
import { consentStatuses, natures, noticeKinds, roles } from "./labels";

export function summary(data: MyCreditQuery): string[] {
  const lines = [data.viewer.name ?? "", data.viewer.can.grantConsent ? "可以授权查询" : ""];
  const report = data.creditReport;
  if (report !== null) {
    for (const section of report.sections) {
      for (const record of section.records) lines.push(`${natures[record.nature]} ${record.title} ${record.confirmedOn}`);
    }
  }
  for (const consent of data.myConsents ?? []) {
    lines.push(`${consent.grantee?.name ?? ""} ${consentStatuses[consent.status]} 至 ${consent.expiresAt}`);
  }
  for (const notice of data.myNotices ?? []) lines.push(`${noticeKinds[notice.kind]} ${notice.servedAt}`);
  return lines;
}

export function readers(data: WhoReadMyDataQuery): string[] {
  return (data.myAccessLog?.edges ?? []).map(({ node }) => {
    const who = node.role === null ? "匿名" : roles[node.role];
    return `${node.at} ${who} ${node.unit ?? ""} ${node.operation} ${node.decision}`;
  });
}

/** The same clientMutationId on a retry: the server answers the first result and changes nothing twice. */
export function grantVariables(granteeCode: string, purpose: string, expiresAt: string): GrantConsentMutationVariables {
  return {
    input: { granteeCode, purpose, categories: ["OTHER"], expiresAt, clientMutationId: crypto.randomUUID() },
  };
}

export function granted(result: GrantConsentMutation): string | null {
  return result.grantConsent?.consent.id ?? null; // null payload: refused, with an error saying why
}

export function revoked(result: RevokeConsentMutation): boolean {
  return result.revokeConsent?.consent.status === "REVOKED";
}

/** The record's publication date, or null when refused (it is not yours, or not SUBJECT_PUBLISHED). */
export function published(result: PublishRecordMutation): string | null {
  return result.publishRecord?.record.publishedBySubjectAt ?? null;
}

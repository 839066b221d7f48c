// Labels a screen shows for the schema's enums. `Record<Enum, string>` makes tsc fail when an enum gains, loses or
// renames a value, or when a field that was an enum becomes a plain string.
import type {
  Category,
  ConsentStatus,
  MeasureType,
  Nature,
  NoticeKind,
  ObjectionStatus,
  Role,
  Severity,
  SubjectKind,
} from "./generated/schema";

export const subjectKinds: Record<SubjectKind, string> = {
  NATURAL_PERSON: "自然人",
  LEGAL_PERSON: "法人",
  UNINCORPORATED_ORG: "非法人组织",
};

export const natures: Record<Nature, string> = {
  DISHONEST: "失信",
  TRUSTWORTHY: "守信",
  NEUTRAL: "一般",
  SELF_DECLARED: "自主申报",
};

export const severities: Record<Severity, string> = { MINOR: "轻微", GENERAL: "一般", SERIOUS: "严重" };

export const measureTypes: Record<MeasureType, string> = {
  INCENTIVE: "激励",
  REGULATORY: "管理",
  PUNITIVE: "惩戒",
};

export const consentStatuses: Record<ConsentStatus, string> = { ACTIVE: "有效", REVOKED: "已撤回" };

export const objectionStatuses: Record<ObjectionStatus, string> = {
  OPEN: "处理中",
  UPHELD: "异议成立",
  REJECTED: "异议不成立",
};

export const roles: Record<Role, string> = {
  AGENCY: "行政机关",
  PROVIDER: "信息提供单位",
  CREDIT_SERVICE: "信用服务机构",
  SUBJECT: "信用主体",
  ADMIN: "主管部门",
  AUDITOR: "审计",
};

export const categories: Record<Category, string> = {
  REGISTRATION: "登记注册",
  TAX_AND_SOCIAL_INSURANCE: "纳税与社保缴纳",
  ADMINISTRATIVE_LICENCE: "行政许可",
  ADMINISTRATIVE_PENALTY: "行政处罚",
  ADMINISTRATIVE_INSPECTION: "行政检查",
  JUDGMENT_DEFAULT: "不履行生效判决",
  COMMENDATION: "表彰奖励",
  OTHER: "其他",
};

export const noticeKinds: Record<NoticeKind, string> = {
  PRE_MEASURE: "采取管理措施前告知",
  PRE_LISTING: "列入严重失信主体名单前告知",
  OBJECTION_RESULT: "异议处理结果",
  REPAIR_RESULT: "信用修复结果",
  DOCUMENT_REVOKED: "法律文书撤销告知",
  DOCUMENT_AMENDED: "法律文书变更告知",
};

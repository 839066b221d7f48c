"""GET /reports/{code}: the credit report (Art. 31) as a printable page.

The page runs the same `creditReport` query through the same schema, so the
same token, policy, masking and access log apply; it only lays the answer out.
"""

from starlette.requests import Request
from starlette.responses import Response

from credit.model import LISTING_GROUND_NAMES, ListingGround
from resolvers.context import RequestContext

from .pages import answer, error_page, page

TITLE = "信用报告"
NO_SUCH_SUBJECT = "没有这个信用主体，或您无权查看。 There is no such subject you may see."

REPORT_QUERY = """
query CreditReportPage($code: String!) {
  creditReport(code: $code) {
    madeAt recordCount truncated
    subject { code name kind region masked legalRepresentative { name code } }
    sections {
      category
      records {
        id title nature severity status confirmedOn disclosureEndsOn underObjection disclosureMode
        provider { name code }
        documents { type number issuedOn status issuer { name } }
        versions { version at reason }
      }
    }
    measures {
      id type item means basis startsOn endsOn endReason implementedBy { name }
      statements { text at }
    }
    listings {
      id ground basis removalConditions status listedAt noticeServedAt removedAt removalReason
      representative { name code } decidedBy { name }
      statements { text at }
    }
  }
}
"""

LABELS = {
    "REGISTRATION": "登记注册", "TAX_AND_SOCIAL_INSURANCE": "纳税、缴纳社会保险费",
    "ADMINISTRATIVE_LICENCE": "行政许可",
    "ADMINISTRATIVE_PENALTY": "行政处罚", "ADMINISTRATIVE_INSPECTION": "行政检查",
    "JUDGMENT_DEFAULT": "拒不履行生效判决、裁定", "COMMENDATION": "表彰奖励", "OTHER": "其他",
    "DISHONEST": "失信", "TRUSTWORTHY": "守信", "NEUTRAL": "一般", "SELF_DECLARED": "自主申报",
    "MINOR": "轻微", "GENERAL": "一般", "SERIOUS": "严重",
    "ACTIVE": "有效", "REPAIRED": "已信用修复", "REVOKED": "已撤销", "REMOVED": "已移出", "EFFECTIVE": "有效",
    "INCENTIVE": "激励", "REGULATORY": "监管", "PUNITIVE": "惩戒",
    "NATURAL_PERSON": "自然人", "LEGAL_PERSON": "法人", "UNINCORPORATED_ORG": "非法人组织",
    "PUBLIC_NOTICE": "公示公开", "GOVERNMENT_SHARING": "政务共享", "AUTHORIZED_QUERY": "授权查询",
    "SUBJECT_PUBLISHED": "主体自行公开",
    "JUDGMENT": "判决书", "RULING": "裁定书", "PENALTY_DECISION": "行政处罚决定书",
}  # fmt: skip
"""How the printed report names the API's enum values; a value without a label is printed as it is."""


async def report_page(request: Request, context: RequestContext) -> Response:
    code = request.path_params["code"]
    data = await answer(request, context, REPORT_QUERY, {"code": code}, title=TITLE)
    if isinstance(data, Response):
        return data
    if data.get("creditReport") is None:
        return error_page(request, context, TITLE, NO_SUCH_SUBJECT, 404)
    values = {
        "report": data["creditReport"],
        "viewer": context.principal,
        "label": lambda value: LABELS.get(value, value),
        "ground": lambda value: LISTING_GROUND_NAMES[ListingGround(value)],
        "when": lambda value: value[:16].replace("T", " ") if value else "",
    }
    return page("report.html", request, values)

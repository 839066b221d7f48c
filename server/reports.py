"""GET /reports/{code}: the credit report (Art. 31) as a printable page.

The page runs the same `creditReport` query through the same schema, so the
same token, policy, masking and access log apply; it only lays the answer out.
"""

from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from resolvers.context import RequestContext

REPORT_QUERY = """
query CreditReportPage($code: String!) {
  creditReport(code: $code) {
    madeAt recordCount truncated
    subject { code name kind region masked legalRepresentative { name code } }
    sections {
      category
      records {
        id title nature severity status confirmedAt disclosureUntil underObjection disclosureMode
        provider { name code }
        documents { type number issuedAt status issuer { name } }
        versions { version at reason }
      }
    }
    measures {
      id type item means basis startsAt endsAt endReason implementedBy { name }
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
    "HEALTH_AND_SAFETY": "严重损害人民群众身体健康和生命安全", "MARKET_ORDER": "严重破坏市场公平竞争秩序和社会正常秩序",
    "DEFYING_OBLIGATIONS": "有履行能力但拒不履行、逃避执行法定义务", "NATIONAL_DEFENSE": "拒不履行国防义务",
    "JUDGMENT": "判决书", "RULING": "裁定书", "PENALTY_DECISION": "行政处罚决定书",
}  # fmt: skip
"""How the printed report names the API's enum values; a value without a label is printed as it is."""

STATUS_BY_CODE = {"BAD_USER_INPUT": 400, "UNAUTHENTICATED": 401, "FORBIDDEN": 403, "UNAVAILABLE": 503}

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


async def report_page(request: Request, context: RequestContext) -> Response:
    result = await request.app.state.schema.execute(
        REPORT_QUERY, variable_values={"code": request.path_params["code"]}, context_value=context
    )
    values: dict[str, Any] = {
        "code": request.path_params["code"],
        "request_id": context.request_id,
        "viewer": context.principal,
        "label": lambda value: LABELS.get(value, value),
        "when": lambda value: value[:16].replace("T", " ") if value else "",
    }
    if result.errors:
        code = str((result.errors[0].extensions or {}).get("code", "INTERNAL"))
        values["error"] = result.errors[0].message
        return page("report_error.html", request, values, STATUS_BY_CODE.get(code, 500))
    report = (result.data or {}).get("creditReport")
    if report is None:
        values["error"] = "没有这个信用主体，或您无权查看。 There is no such subject you may see."
        return page("report_error.html", request, values, 404)
    return page("report.html", request, {**values, "report": report}, 200)


def page(template: str, request: Request, values: dict[str, Any], status: int) -> Response:
    return templates.TemplateResponse(
        request, template, values, status_code=status, headers={"Cache-Control": "no-store"}
    )

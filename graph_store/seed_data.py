"""Static tables behind the synthetic demo data (`seed.py`): real Hunan regions, agencies, courts, catalog items.

Kept as plain data so a reviewer can check the realism of names, codes and texts without reading logic.
Role keys ("province:market", "city:tax", "district:court") name a provider relative to a subject's district.
"""

from typing import Any

PROVINCE_CODE = "430000"
PROVINCE_NAME = "湖南省"
PROVINCE_ABBREVIATION = "湘"

# (code, name, abbreviation used in document numbers, share of subjects, districts (code, name))
CITIES: tuple[tuple[str, str, str, float, tuple[tuple[str, str], ...]], ...] = (
    (
        "430100",
        "长沙市",
        "长",
        22.0,
        (
            ("430102", "芙蓉区"),
            ("430103", "天心区"),
            ("430104", "岳麓区"),
            ("430105", "开福区"),
            ("430111", "雨花区"),
            ("430112", "望城区"),
            ("430121", "长沙县"),
            ("430181", "浏阳市"),
            ("430182", "宁乡市"),
        ),
    ),
    (
        "430200",
        "株洲市",
        "株",
        7.0,
        (
            ("430202", "荷塘区"),
            ("430203", "芦淞区"),
            ("430204", "石峰区"),
            ("430211", "天元区"),
            ("430223", "攸县"),
            ("430281", "醴陵市"),
        ),
    ),
    (
        "430300",
        "湘潭市",
        "潭",
        5.0,
        (
            ("430302", "雨湖区"),
            ("430304", "岳塘区"),
            ("430321", "湘潭县"),
            ("430381", "湘乡市"),
            ("430382", "韶山市"),
        ),
    ),
    (
        "430400",
        "衡阳市",
        "衡",
        9.0,
        (
            ("430405", "珠晖区"),
            ("430406", "雁峰区"),
            ("430407", "石鼓区"),
            ("430408", "蒸湘区"),
            ("430421", "衡阳县"),
            ("430481", "耒阳市"),
            ("430482", "常宁市"),
        ),
    ),
    (
        "430500",
        "邵阳市",
        "邵",
        8.0,
        (
            ("430502", "双清区"),
            ("430503", "大祥区"),
            ("430511", "北塔区"),
            ("430524", "隆回县"),
            ("430581", "武冈市"),
            ("430582", "邵东市"),
        ),
    ),
    (
        "430600",
        "岳阳市",
        "岳",
        8.0,
        (
            ("430602", "岳阳楼区"),
            ("430603", "云溪区"),
            ("430611", "君山区"),
            ("430624", "湘阴县"),
            ("430626", "平江县"),
            ("430681", "汨罗市"),
        ),
    ),
    (
        "430700",
        "常德市",
        "常",
        8.0,
        (
            ("430702", "武陵区"),
            ("430703", "鼎城区"),
            ("430723", "澧县"),
            ("430725", "桃源县"),
            ("430781", "津市市"),
        ),
    ),
    (
        "430800",
        "张家界市",
        "张",
        2.5,
        (
            ("430802", "永定区"),
            ("430811", "武陵源区"),
            ("430821", "慈利县"),
            ("430822", "桑植县"),
        ),
    ),
    (
        "430900",
        "益阳市",
        "益",
        6.0,
        (
            ("430902", "资阳区"),
            ("430903", "赫山区"),
            ("430922", "桃江县"),
            ("430923", "安化县"),
            ("430981", "沅江市"),
        ),
    ),
    (
        "431000",
        "郴州市",
        "郴",
        7.0,
        (
            ("431002", "北湖区"),
            ("431003", "苏仙区"),
            ("431021", "桂阳县"),
            ("431022", "宜章县"),
            ("431081", "资兴市"),
        ),
    ),
    (
        "431100",
        "永州市",
        "永",
        7.0,
        (
            ("431102", "零陵区"),
            ("431103", "冷水滩区"),
            ("431124", "道县"),
            ("431126", "宁远县"),
            ("431181", "祁阳市"),
        ),
    ),
    (
        "431200",
        "怀化市",
        "怀",
        6.0,
        (
            ("431202", "鹤城区"),
            ("431222", "沅陵县"),
            ("431224", "溆浦县"),
            ("431230", "通道侗族自治县"),
            ("431281", "洪江市"),
        ),
    ),
    (
        "431300",
        "娄底市",
        "娄",
        5.0,
        (
            ("431302", "娄星区"),
            ("431321", "双峰县"),
            ("431322", "新化县"),
            ("431381", "冷水江市"),
            ("431382", "涟源市"),
        ),
    ),
    (
        "433100",
        "湘西土家族苗族自治州",
        "州",
        3.5,
        (
            ("433101", "吉首市"),
            ("433123", "凤凰县"),
            ("433124", "花垣县"),
            ("433127", "永顺县"),
            ("433130", "龙山县"),
        ),
    ),
)

# First two characters of a provider's unified social credit code, by provider type (GB 32100 registration
# authority and organization category: 11 organs, 12 public institutions, 51 social organizations, 91 companies).
USCC_PREFIX_BY_PROVIDER_TYPE = {
    "GOVERNMENT_AGENCY": "11",
    "COURT": "11",
    "AUTHORIZED_ORGANIZATION": "12",
    "INDUSTRY_ASSOCIATION": "51",
    "CREDIT_SERVICE_AGENCY": "91",
    "ENTERPRISE": "91",
}

# (role, name, type) of province-level providers.
PROVINCIAL_PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("drc", "湖南省发展和改革委员会", "GOVERNMENT_AGENCY"),
    ("market", "湖南省市场监督管理局", "GOVERNMENT_AGENCY"),
    ("tax", "国家税务总局湖南省税务局", "GOVERNMENT_AGENCY"),
    ("hrss", "湖南省人力资源和社会保障厅", "GOVERNMENT_AGENCY"),
    ("ecology", "湖南省生态环境厅", "GOVERNMENT_AGENCY"),
    ("housing", "湖南省住房和城乡建设厅", "GOVERNMENT_AGENCY"),
    ("finance", "湖南省财政厅", "GOVERNMENT_AGENCY"),
    ("emergency", "湖南省应急管理厅", "GOVERNMENT_AGENCY"),
    ("civilization", "湖南省精神文明建设指导委员会办公室", "GOVERNMENT_AGENCY"),
    ("court", "湖南省高级人民法院", "COURT"),
    ("trading_center", "湖南省公共资源交易中心", "AUTHORIZED_ORGANIZATION"),
    ("credit_rating", "湖南信衡信用评估有限公司", "CREDIT_SERVICE_AGENCY"),
    ("credit_management", "湖南征联信用管理有限公司", "CREDIT_SERVICE_AGENCY"),
    ("construction_association", "湖南省建筑业协会", "INDUSTRY_ASSOCIATION"),
    ("grid", "国网湖南省电力有限公司", "ENTERPRISE"),
)

# (role, name pattern, type) of the providers every city has; {city} is the city's name.
CITY_PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("drc", "{city}发展和改革委员会", "GOVERNMENT_AGENCY"),
    ("market", "{city}市场监督管理局", "GOVERNMENT_AGENCY"),
    ("tax", "国家税务总局{city}税务局", "GOVERNMENT_AGENCY"),
    ("hrss", "{city}人力资源和社会保障局", "GOVERNMENT_AGENCY"),
    ("ecology", "{city}生态环境局", "GOVERNMENT_AGENCY"),
    ("housing", "{city}住房和城乡建设局", "GOVERNMENT_AGENCY"),
    ("emergency", "{city}应急管理局", "GOVERNMENT_AGENCY"),
    ("court", "{city}中级人民法院", "COURT"),
)

# Every district has a basic people's court: "长沙市芙蓉区人民法院", "浏阳市人民法院".
DISTRICT_COURT_ROLE = "court"
DISTRICT_COURT_SUFFIX = "人民法院"

QUERY_PURPOSES: tuple[tuple[str, str], ...] = (
    ("COLLECTION", "信用信息采集"),
    ("ADMINISTRATIVE_LICENSING_REVIEW", "行政许可审查"),
    ("PUBLIC_PROCUREMENT_REVIEW", "政府采购供应商审查"),
    ("PUBLIC_RESOURCE_TRADING", "公共资源交易"),
    ("CIVIL_SERVANT_RECRUITMENT", "公务员录用考察"),
    ("COMMENDATION_REVIEW", "评先评优审查"),
    ("FINANCIAL_SUPPORT_REVIEW", "财政性资金项目审查"),
    ("MARKET_SUPERVISION", "事中事后市场监管"),
    ("CREDIT_EVALUATION", "信用评价"),
    ("TAX_ADMINISTRATION", "税收征收管理"),
    ("STATE_OWNED_ENTERPRISE_APPOINTMENT", "国有企业负责人任用审查"),
)

# Share of each subject type; "92" and "93" are the USCC prefixes of the two unincorporated forms.
SUBJECT_MIX: tuple[tuple[str, str, float], ...] = (
    ("NATURAL_PERSON", "", 45.0),
    ("LEGAL_PERSON", "91", 45.0),
    ("UNINCORPORATED_ORG", "92", 7.0),
    ("UNINCORPORATED_ORG", "93", 3.0),
)
ORGANIZATION_FORMS = {"92": "个体工商户", "93": "农民专业合作社"}

# How many organizations one person may represent, and how often (most represent one).
REPRESENTATION_CAPACITY: tuple[tuple[int, float], ...] = ((1, 60.0), (2, 25.0), (3, 10.0), (4, 5.0))

# Who invests in a new company besides its representative: how many other investors, and how often. Investors are
# earlier companies and adults of the same city; a company that already invests is likelier to invest again, so
# some grow into holding groups, as in the real register.
OTHER_INVESTORS: tuple[tuple[int, float], ...] = ((0, 45.0), (1, 30.0), (2, 17.0), (3, 8.0))
REPRESENTATIVE_INVESTS_SHARE = 0.7
COMPANY_INVESTOR_SHARE = 0.6  # of the other investors, how many are companies rather than people
REPEAT_INVESTOR_SHARE = 0.5  # of the company investors, how many are picked in proportion to what they hold
BRANCH_SHARE = 0.06  # of new companies, how many are branches of an earlier company of the city

# Records per subject: 0 to 8, about 3 on average.
RECORDS_PER_SUBJECT: tuple[tuple[int, float], ...] = (
    (0, 10.0),
    (1, 14.0),
    (2, 17.0),
    (3, 17.0),
    (4, 14.0),
    (5, 11.0),
    (6, 8.0),
    (7, 5.0),
    (8, 4.0),
)

# Characters of trade names (字号), combined two at a time.
TRADE_NAME_CHARACTERS = (
    "华盛泰宏兴达源汇恒鑫隆丰嘉瑞祥和创新远航宇博通安康凯德信诚正鼎晟昌铭润湘楚潇麓岳芙蓉星辰辉明启"
    "峰湛弘泓优佳益合众联智云帆金银"
)
COMPANY_INDUSTRIES = (
    "科技",
    "建设工程",
    "建筑劳务",
    "商贸",
    "物流",
    "食品",
    "农业开发",
    "机械制造",
    "房地产开发",
    "餐饮管理",
    "环保科技",
    "电子商务",
    "新材料",
    "汽车销售服务",
    "文化传媒",
    "置业",
    "矿业",
    "化工",
    "电力工程",
    "教育咨询",
    "园林绿化",
    "信息技术",
    "纺织",
    "茶业",
    "酒店管理",
    "装饰设计",
    "供应链管理",
    "人力资源服务",
)
COMPANY_FORMS: tuple[tuple[str, float], ...] = (("有限公司", 85.0), ("有限责任公司", 8.0), ("股份有限公司", 7.0))
PROVINCIAL_COMPANY_SHARE = 0.2  # named "湖南……有限公司" rather than after the city or county
INDIVIDUAL_BUSINESS_KINDS = (
    "餐馆",
    "小吃店",
    "便利店",
    "五金店",
    "理发店",
    "水果店",
    "汽车修理部",
    "服装店",
    "茶叶店",
    "烟酒店",
    "米粉店",
    "副食店",
    "建材经营部",
    "家电维修部",
    "早餐店",
    "农资店",
)
COOPERATIVE_KINDS = (
    "蔬菜种植",
    "水稻种植",
    "生猪养殖",
    "油茶种植",
    "柑橘种植",
    "水产养殖",
    "茶叶种植",
    "农机",
    "烟叶种植",
    "黄桃种植",
    "肉牛养殖",
    "中药材种植",
)
COOPERATIVE_SUFFIX = "专业合作社"

# Document serial numbers (the n in "长市监处罚〔2024〕123号"): where an issuer's series starts in a year, and the
# largest step between two documents of ours (the issuer also decides cases not in the demo data).
DOCUMENT_SERIAL_START = (1, 300)
DOCUMENT_SERIAL_STEP = (1, 12)

# Fine amounts (yuan) by severity of an administrative penalty.
FINE_AMOUNTS_BY_SEVERITY = {
    "MINOR": (200, 500, 1000, 2000, 3000, 5000),
    "GENERAL": (5000, 10000, 20000, 30000, 50000, 80000),
    "SERIOUS": (100000, 200000, 300000, 500000, 1000000),
}

DATE = {"type": "string", "format": "date"}


def _person(title: str) -> dict[str, Any]:
    """A property that names a natural person: masked for viewers who may not know the record's people."""
    return {**_text(title), "x-personal": True}


def _text(title: str, *examples: str) -> dict[str, Any]:
    """A Chinese-titled string property; the examples are what the generator draws from."""
    schema: dict[str, Any] = {"type": "string", "title": title, "minLength": 1}
    if examples:
        schema["examples"] = list(examples)
    return schema


def _date(title: str) -> dict[str, Any]:
    return {**DATE, "title": title}


def _choice(title: str, *values: str) -> dict[str, Any]:
    return {"type": "string", "title": title, "enum": list(values)}


def _amount(title: str, maximum: float) -> dict[str, Any]:
    return {"type": "number", "title": title, "description": "单位：元", "minimum": 0, "maximum": maximum}


YEAR = {"type": "string", "pattern": "^[0-9]{4}$"}

# Catalog items (Art. 10). Keys besides the catalog fields tell the generator how to fill a record:
#   provider: role of the provincial provider (the catalog is published province-wide)
#   weights: relative frequency per subject kind (absent: never about that kind)
#   natures / severities: relative frequency; documents are cited only by DISHONEST records
#   documents: (type, issuer role, number pattern, days before confirmation (min, max), content fields it fills)
#   formats: property -> pattern over region, code, seq, year, previous_year
#   authorities: property -> role of the provider whose name it holds
#   dateOffsets: property -> days after confirmation (min, max); other dates are the confirmation date
#   cases: alternatives of properties that belong together (a violation and its legal basis)
#   natureContent: properties fixed by the record's nature
#   once: at most one such record per subject
# What every administrative penalty decision states, whoever the agency.
PENALTY_DECISION_PROPERTIES = {
    "decisionNumber": _text("处罚决定书文号"),
    "violation": _text("违法行为"),
    "legalBasis": _text("处罚依据"),
    "fineAmount": _amount("罚款金额", 10000000),
    "decisionDate": _date("处罚决定日期"),
    "decisionAuthority": _text("处罚机关"),
}

CATALOG: tuple[dict[str, Any], ...] = (
    {
        "id": "CAT-430000-REG-001",
        "name": "企业登记信息",
        "provider": "market",
        "category": "REGISTRATION",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "{enterpriseType}登记信息",
        "weights": {"LEGAL_PERSON": 10.0},
        "natures": {"NEUTRAL": 1.0},
        "once": True,
        "properties": {
            "enterpriseType": _text(
                "企业类型",
                "有限责任公司（自然人投资或控股）",
                "有限责任公司（自然人独资）",
                "有限责任公司（法人独资）",
                "股份有限公司（非上市、自然人投资或控股）",
            ),
            "legalRepresentative": _person("法定代表人"),
            "registeredCapital": {
                "type": "number",
                "title": "注册资本",
                "description": "单位：万元",
                "minimum": 0,
                "examples": [10, 50, 100, 200, 300, 500, 1000, 2000, 5000],
            },
            "establishedOn": _date("成立日期"),
            "businessScope": _text(
                "经营范围",
                "技术服务、技术开发、技术咨询",
                "建设工程施工；建筑劳务分包",
                "食品销售；日用百货销售",
                "普通货物道路运输；仓储服务",
                "农产品初加工；农副产品销售",
                "房地产开发经营；物业管理",
                "软件开发；信息系统集成服务",
                "通用设备制造；五金产品批发",
            ),
            "registrationAuthority": _text("登记机关"),
            "registrationStatus": _choice("登记状态", "存续", "在业"),
        },
        "authorities": {"registrationAuthority": "city:market"},
        "dateOffsets": {"establishedOn": (-3650, 0)},
    },
    {
        "id": "CAT-430000-REG-002",
        "name": "个体工商户和农民专业合作社登记信息",
        "provider": "market",
        "category": "REGISTRATION",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "{organizationForm}登记信息",
        "weights": {"UNINCORPORATED_ORG": 10.0},
        "natures": {"NEUTRAL": 1.0},
        "once": True,
        "properties": {
            "organizationForm": _choice("组成形式", "个体工商户", "农民专业合作社"),
            "operatorName": _person("经营者或负责人"),
            "businessScope": _text(
                "经营范围",
                "餐饮服务",
                "预包装食品销售",
                "五金产品零售",
                "理发及美容服务",
                "机动车维修",
                "农作物种植；农产品销售",
                "牲畜饲养",
                "农业机械服务",
            ),
            "establishedOn": _date("成立日期"),
            "registrationAuthority": _text("登记机关"),
        },
        "authorities": {"registrationAuthority": "city:market"},
        "dateOffsets": {"establishedOn": (-3650, 0)},
    },
    {
        "id": "CAT-430000-TAX-001",
        "name": "纳税信用A级纳税人名单",
        "provider": "tax",
        "category": "TAX_AND_SOCIAL_INSURANCE",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "{taxYear}年度纳税信用A级纳税人",
        "weights": {"LEGAL_PERSON": 4.0, "UNINCORPORATED_ORG": 1.0},
        "natures": {"TRUSTWORTHY": 1.0},
        "properties": {
            "taxYear": {**YEAR, "title": "评价年度"},
            "creditLevel": _choice("纳税信用级别", "A"),
            "evaluatedBy": _text("评价机关"),
            "publishedOn": _date("发布日期"),
        },
        "formats": {"taxYear": "{previous_year}"},
        "authorities": {"evaluatedBy": "province:tax"},
    },
    {
        "id": "CAT-430000-TAX-002",
        "name": "欠税公告信息",
        "provider": "tax",
        "category": "TAX_AND_SOCIAL_INSURANCE",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "欠税公告（{taxType}）",
        "weights": {"LEGAL_PERSON": 1.5, "UNINCORPORATED_ORG": 1.0},
        "natures": {"DISHONEST": 1.0},
        "severities": {"GENERAL": 6.0, "SERIOUS": 4.0},
        "documents": (
            (
                "OTHER",
                "city:tax",
                "{abbr}税欠公〔{year}〕{n}号",
                (0, 20),
                {"number": "announcementNumber", "issuedAt": "announcedOn"},
            ),
        ),
        "properties": {
            "announcementNumber": _text("公告文号"),
            "taxType": _text("欠缴税种", "增值税", "企业所得税", "城镇土地使用税", "房产税", "印花税", "个人所得税"),
            "arrearsAmount": _amount("欠税金额", 2000000),
            "announcedOn": _date("公告日期"),
        },
    },
    {
        "id": "CAT-430000-TAX-003",
        "name": "社会保险费缴纳信息",
        "provider": "hrss",
        "category": "TAX_AND_SOCIAL_INSURANCE",
        "disclosureMode": "GOVERNMENT_SHARING",
        "title": "社会保险费缴纳情况",
        "weights": {"LEGAL_PERSON": 3.0, "UNINCORPORATED_ORG": 1.0, "NATURAL_PERSON": 3.0},
        "natures": {"NEUTRAL": 1.0},
        "properties": {
            "insuranceTypes": _text(
                "参保险种",
                "企业职工基本养老保险、失业保险、工伤保险",
                "企业职工基本养老保险",
                "城乡居民基本养老保险",
                "工伤保险",
            ),
            "paymentStatus": _choice("缴费状态", "正常缴纳"),
            "paidMonths": {"type": "integer", "title": "累计缴费月数", "minimum": 1, "maximum": 360},
            "paidUntil": _date("缴费截至日期"),
        },
    },
    {
        "id": "CAT-430000-TAX-004",
        "name": "个人所得税纳税信息",
        "provider": "tax",
        "category": "TAX_AND_SOCIAL_INSURANCE",
        "disclosureMode": "AUTHORIZED_QUERY",
        "title": "{taxYear}年度个人所得税纳税记录",
        "weights": {"NATURAL_PERSON": 2.0},
        "natures": {"NEUTRAL": 1.0},
        "properties": {
            "taxYear": {**YEAR, "title": "纳税年度"},
            "annualReconciliation": _choice("年度汇算", "已办理", "无需办理"),
            "taxPaid": _amount("已缴税额", 50000),
        },
        "formats": {"taxYear": "{previous_year}"},
    },
    {
        "id": "CAT-430000-LIC-001",
        "name": "食品经营许可信息",
        "provider": "market",
        "category": "ADMINISTRATIVE_LICENCE",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "食品经营许可（{licenceNumber}）",
        "weights": {"LEGAL_PERSON": 2.0, "UNINCORPORATED_ORG": 3.0},
        "natures": {"NEUTRAL": 1.0},
        "properties": {
            "licenceNumber": _text("许可证编号"),
            "licenceName": _choice("许可证名称", "食品经营许可证"),
            "businessItems": _text(
                "经营项目",
                "预包装食品销售（含冷藏冷冻食品）",
                "热食类食品制售",
                "散装食品销售（含散装熟食）",
                "糕点类食品制售（不含裱花蛋糕）",
                "自制饮品制售",
            ),
            "validFrom": _date("有效期自"),
            "validUntil": _date("有效期至"),
            "licensingAuthority": _text("许可机关"),
        },
        "formats": {"licenceNumber": "JY1{region}{seq:07d}"},
        "authorities": {"licensingAuthority": "city:market"},
        "dateOffsets": {"validUntil": (1825, 1825)},
    },
    {
        "id": "CAT-430000-LIC-002",
        "name": "建筑业企业资质信息",
        "provider": "housing",
        "category": "ADMINISTRATIVE_LICENCE",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "建筑业企业资质（{qualification}）",
        "weights": {"LEGAL_PERSON": 2.0},
        "natures": {"NEUTRAL": 4.0, "TRUSTWORTHY": 1.0},
        "properties": {
            "certificateNumber": _text("资质证书编号"),
            "qualification": _text(
                "资质类别及等级",
                "建筑工程施工总承包二级",
                "建筑工程施工总承包三级",
                "市政公用工程施工总承包三级",
                "建筑装修装饰工程专业承包二级",
                "地基基础工程专业承包三级",
                "施工劳务不分等级",
            ),
            "validFrom": _date("有效期自"),
            "validUntil": _date("有效期至"),
            "licensingAuthority": _text("发证机关"),
        },
        "formats": {"certificateNumber": "D2{region}{seq:07d}"},
        "authorities": {"licensingAuthority": "province:housing"},
        "dateOffsets": {"validUntil": (1825, 1825)},
    },
    {
        "id": "CAT-430000-LIC-003",
        "name": "排污许可信息",
        "provider": "ecology",
        "category": "ADMINISTRATIVE_LICENCE",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "排污许可证（{licenceNumber}）",
        "weights": {"LEGAL_PERSON": 1.0},
        "natures": {"NEUTRAL": 1.0},
        "properties": {
            "licenceNumber": _text("许可证编号"),
            "industry": _text(
                "行业类别",
                "水泥制造",
                "化学原料制造",
                "有色金属冶炼",
                "屠宰及肉类加工",
                "污水处理及其再生利用",
            ),
            "managementClass": _choice("管理类别", "重点管理", "简化管理"),
            "validFrom": _date("有效期自"),
            "validUntil": _date("有效期至"),
            "licensingAuthority": _text("发证机关"),
        },
        "formats": {"licenceNumber": "{code}001V"},
        "authorities": {"licensingAuthority": "city:ecology"},
        "dateOffsets": {"validUntil": (1825, 1825)},
        "once": True,
    },
    {
        "id": "CAT-430000-LIC-004",
        "name": "安全生产许可信息",
        "provider": "emergency",
        "category": "ADMINISTRATIVE_LICENCE",
        "disclosureMode": "GOVERNMENT_SHARING",
        "title": "安全生产许可证（{scope}）",
        "weights": {"LEGAL_PERSON": 1.0},
        "natures": {"NEUTRAL": 1.0},
        "properties": {
            "licenceNumber": _text("许可证编号"),
            "scope": _text("许可范围", "非煤矿矿山开采", "危险化学品生产", "烟花爆竹生产", "建筑施工"),
            "validFrom": _date("有效期自"),
            "validUntil": _date("有效期至"),
            "licensingAuthority": _text("发证机关"),
        },
        "formats": {"licenceNumber": "（湘）FM安许证字〔{year}〕{seq:06d}"},
        "authorities": {"licensingAuthority": "province:emergency"},
        "dateOffsets": {"validUntil": (1095, 1095)},
    },
    {
        "id": "CAT-430000-LIC-005",
        "name": "注册建造师执业资格信息",
        "provider": "housing",
        "category": "ADMINISTRATIVE_LICENCE",
        "disclosureMode": "AUTHORIZED_QUERY",
        "title": "注册建造师执业资格（{registrationNumber}）",
        "weights": {"NATURAL_PERSON": 1.0},
        "natures": {"NEUTRAL": 1.0},
        "once": True,
        "properties": {
            "registrationNumber": _text("注册编号"),
            "qualification": _text(
                "资格类别",
                "一级建造师（建筑工程）",
                "一级建造师（机电工程）",
                "二级建造师（建筑工程）",
                "二级建造师（市政公用工程）",
            ),
            "validFrom": _date("有效期自"),
            "validUntil": _date("有效期至"),
            "licensingAuthority": _text("注册机关"),
        },
        "formats": {"registrationNumber": "湘1{region}{seq:07d}"},
        "authorities": {"licensingAuthority": "province:housing"},
        "dateOffsets": {"validUntil": (1095, 1095)},
    },
    {
        "id": "CAT-430000-PEN-001",
        "name": "市场监管行政处罚信息",
        "provider": "market",
        "category": "ADMINISTRATIVE_PENALTY",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "行政处罚决定书 {decisionNumber}",
        "weights": {"LEGAL_PERSON": 3.0, "UNINCORPORATED_ORG": 4.0, "NATURAL_PERSON": 0.4},
        "natures": {"DISHONEST": 1.0},
        "severities": {"MINOR": 3.0, "GENERAL": 5.0, "SERIOUS": 2.0},
        "documents": (
            (
                "PENALTY_DECISION",
                "city:market",
                "{abbr}市监处罚〔{year}〕{n}号",
                (3, 30),
                {"number": "decisionNumber", "issuedAt": "decisionDate", "issuer": "decisionAuthority"},
            ),
        ),
        "properties": {
            **PENALTY_DECISION_PROPERTIES,
            "penaltyType": _text("处罚类别", "罚款", "没收违法所得、罚款", "没收违法物品、罚款"),
        },
        "cases": (
            {"violation": "经营不符合食品安全标准的食品", "legalBasis": "《中华人民共和国食品安全法》第一百二十四条"},
            {"violation": "经营超过保质期的食品", "legalBasis": "《中华人民共和国食品安全法》第一百二十四条"},
            {"violation": "发布虚假广告", "legalBasis": "《中华人民共和国广告法》第五十五条"},
            {
                "violation": "对商品作虚假或者引人误解的商业宣传",
                "legalBasis": "《中华人民共和国反不正当竞争法》第二十条",
            },
            {"violation": "销售不合格产品", "legalBasis": "《中华人民共和国产品质量法》第四十九条"},
            {"violation": "不执行政府指导价、明码标价规定", "legalBasis": "《中华人民共和国价格法》第四十二条"},
            {"violation": "使用未经检验的特种设备", "legalBasis": "《中华人民共和国特种设备安全法》第八十四条"},
        ),
    },
    {
        "id": "CAT-430000-PEN-002",
        "name": "税务行政处罚信息",
        "provider": "tax",
        "category": "ADMINISTRATIVE_PENALTY",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "税务行政处罚决定书 {decisionNumber}",
        "weights": {"LEGAL_PERSON": 2.0, "UNINCORPORATED_ORG": 1.0},
        "natures": {"DISHONEST": 1.0},
        "severities": {"MINOR": 3.0, "GENERAL": 4.0, "SERIOUS": 3.0},
        "documents": (
            (
                "PENALTY_DECISION",
                "city:tax",
                "{abbr}税稽罚〔{year}〕{n}号",
                (3, 30),
                {"number": "decisionNumber", "issuedAt": "decisionDate", "issuer": "decisionAuthority"},
            ),
        ),
        "properties": PENALTY_DECISION_PROPERTIES,
        "cases": (
            {
                "violation": "未按照规定期限办理纳税申报和报送纳税资料",
                "legalBasis": "《中华人民共和国税收征收管理法》第六十二条",
            },
            {
                "violation": "进行虚假的纳税申报，少缴应纳税款",
                "legalBasis": "《中华人民共和国税收征收管理法》第六十三条",
            },
            {
                "violation": "未按照规定设置、保管账簿或者保管记账凭证",
                "legalBasis": "《中华人民共和国税收征收管理法》第六十条",
            },
            {"violation": "虚开增值税普通发票", "legalBasis": "《中华人民共和国发票管理办法》第三十五条"},
        ),
    },
    {
        "id": "CAT-430000-PEN-003",
        "name": "生态环境行政处罚信息",
        "provider": "ecology",
        "category": "ADMINISTRATIVE_PENALTY",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "生态环境行政处罚决定书 {decisionNumber}",
        "weights": {"LEGAL_PERSON": 1.5},
        "natures": {"DISHONEST": 1.0},
        "severities": {"MINOR": 1.0, "GENERAL": 5.0, "SERIOUS": 4.0},
        "documents": (
            (
                "PENALTY_DECISION",
                "city:ecology",
                "{abbr}环罚〔{year}〕{n}号",
                (5, 40),
                {"number": "decisionNumber", "issuedAt": "decisionDate", "issuer": "decisionAuthority"},
            ),
        ),
        "properties": PENALTY_DECISION_PROPERTIES,
        "cases": (
            {
                "violation": "超过大气污染物排放标准排放大气污染物",
                "legalBasis": "《中华人民共和国大气污染防治法》第九十九条",
            },
            {
                "violation": "建设项目环境影响评价文件未经批准擅自开工建设",
                "legalBasis": "《中华人民共和国环境影响评价法》第三十一条",
            },
            {
                "violation": "通过暗管逃避监管的方式排放水污染物",
                "legalBasis": "《中华人民共和国水污染防治法》第八十三条",
            },
            {
                "violation": "未按照规定贮存危险废物",
                "legalBasis": "《中华人民共和国固体废物污染环境防治法》第一百一十二条",
            },
        ),
    },
    {
        "id": "CAT-430000-PEN-004",
        "name": "安全生产行政处罚信息",
        "provider": "emergency",
        "category": "ADMINISTRATIVE_PENALTY",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "安全生产行政处罚决定书 {decisionNumber}",
        "weights": {"LEGAL_PERSON": 1.5, "UNINCORPORATED_ORG": 0.5},
        "natures": {"DISHONEST": 1.0},
        "severities": {"MINOR": 3.0, "GENERAL": 5.0, "SERIOUS": 2.0},
        "documents": (
            (
                "PENALTY_DECISION",
                "city:emergency",
                "（{abbr}）应急罚〔{year}〕{n}号",
                (3, 30),
                {"number": "decisionNumber", "issuedAt": "decisionDate", "issuer": "decisionAuthority"},
            ),
        ),
        "properties": PENALTY_DECISION_PROPERTIES,
        "cases": (
            {
                "violation": "未按照规定对从业人员进行安全生产教育和培训",
                "legalBasis": "《中华人民共和国安全生产法》第九十七条",
            },
            {
                "violation": "特种作业人员未按照规定取得相应资格上岗作业",
                "legalBasis": "《中华人民共和国安全生产法》第九十七条",
            },
            {"violation": "未采取措施消除事故隐患", "legalBasis": "《中华人民共和国安全生产法》第一百零二条"},
            {"violation": "未建立事故隐患排查治理制度", "legalBasis": "《中华人民共和国安全生产法》第一百零一条"},
        ),
    },
    {
        "id": "CAT-430000-PEN-005",
        "name": "劳动保障监察行政处罚信息",
        "provider": "hrss",
        "category": "ADMINISTRATIVE_PENALTY",
        "disclosureMode": "GOVERNMENT_SHARING",
        "title": "劳动保障监察行政处罚决定书 {decisionNumber}",
        "weights": {"LEGAL_PERSON": 1.0},
        "natures": {"DISHONEST": 1.0},
        "severities": {"MINOR": 2.0, "GENERAL": 5.0, "SERIOUS": 3.0},
        "documents": (
            (
                "PENALTY_DECISION",
                "city:hrss",
                "{abbr}人社监罚〔{year}〕{n}号",
                (3, 30),
                {"number": "decisionNumber", "issuedAt": "decisionDate", "issuer": "decisionAuthority"},
            ),
        ),
        "properties": PENALTY_DECISION_PROPERTIES,
        "cases": (
            {"violation": "拖欠农民工工资", "legalBasis": "《保障农民工工资支付条例》第五十五条"},
            {"violation": "违反规定延长劳动者工作时间", "legalBasis": "《劳动保障监察条例》第二十五条"},
            {"violation": "未按时足额缴纳社会保险费", "legalBasis": "《中华人民共和国社会保险法》第八十六条"},
        ),
    },
    {
        "id": "CAT-430000-INS-001",
        "name": "“双随机、一公开”抽查检查结果信息",
        "provider": "market",
        "category": "ADMINISTRATIVE_INSPECTION",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "抽查检查结果（{taskName}）",
        "weights": {"LEGAL_PERSON": 3.0, "UNINCORPORATED_ORG": 2.0},
        "natures": {"NEUTRAL": 8.0, "DISHONEST": 2.0},
        "severities": {"MINOR": 1.0},
        "documents": (("OTHER", "city:market", "{abbr}市监责改〔{year}〕{n}号", (0, 15), {}),),
        "properties": {
            "taskName": _text(
                "抽查任务",
                "企业公示信息抽查",
                "食品经营者监督检查",
                "产品质量监督抽查",
                "广告发布行为检查",
                "特种设备使用单位检查",
            ),
            "inspectionDate": _date("检查日期"),
            "inspectionAuthority": _text("检查机关"),
            "result": _choice("检查结果", "未发现问题", "发现问题已责令改正"),
        },
        "authorities": {"inspectionAuthority": "city:market"},
        "natureContent": {"NEUTRAL": {"result": "未发现问题"}, "DISHONEST": {"result": "发现问题已责令改正"}},
    },
    {
        "id": "CAT-430000-INS-002",
        "name": "安全生产监督检查信息",
        "provider": "emergency",
        "category": "ADMINISTRATIVE_INSPECTION",
        "disclosureMode": "GOVERNMENT_SHARING",
        "title": "安全生产监督检查（{inspectionItem}）",
        "weights": {"LEGAL_PERSON": 1.5},
        "natures": {"NEUTRAL": 7.0, "DISHONEST": 3.0},
        "severities": {"MINOR": 2.0, "GENERAL": 1.0},
        "documents": (("OTHER", "city:emergency", "（{abbr}）应急责改〔{year}〕{n}号", (0, 15), {}),),
        "properties": {
            "inspectionItem": _text(
                "检查事项",
                "安全生产主体责任落实",
                "有限空间作业",
                "危险化学品储存",
                "粉尘涉爆作业",
                "消防通道与应急疏散",
            ),
            "inspectionDate": _date("检查日期"),
            "inspectionAuthority": _text("检查机关"),
            "result": _choice("检查结果", "未发现事故隐患", "发现事故隐患已责令限期整改"),
        },
        "authorities": {"inspectionAuthority": "city:emergency"},
        "natureContent": {
            "NEUTRAL": {"result": "未发现事故隐患"},
            "DISHONEST": {"result": "发现事故隐患已责令限期整改"},
        },
    },
    {
        "id": "CAT-430000-JUD-001",
        "name": "失信被执行人信息",
        "provider": "court",
        "category": "JUDGMENT_DEFAULT",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "失信被执行人 {caseNumber}",
        "weights": {"LEGAL_PERSON": 1.0, "UNINCORPORATED_ORG": 0.8, "NATURAL_PERSON": 1.2},
        "natures": {"DISHONEST": 1.0},
        "severities": {"GENERAL": 2.0, "SERIOUS": 8.0},
        "documents": (
            ("JUDGMENT", "district:court", "（{year}）{court}民初{n}号", (150, 900), {"number": "executionBasis"}),
            (
                "RULING",
                "district:court",
                "（{year}）{court}执{n}号",
                (0, 90),
                {"number": "caseNumber", "issuedAt": "decidedOn", "issuer": "court"},
            ),
        ),
        "properties": {
            "caseNumber": _text("执行案号"),
            "court": _text("执行法院"),
            "executionBasis": _text("执行依据文号"),
            "obligation": _text(
                "生效法律文书确定的义务",
                "偿还借款本金及利息",
                "支付货款及违约金",
                "支付工程款",
                "支付劳动报酬",
                "赔偿经济损失",
                "返还租金及占用费",
            ),
            "performedPart": _choice("履行情况", "全部未履行", "部分未履行"),
            "defaultCircumstance": _text(
                "失信情形",
                "有履行能力而拒不履行生效法律文书确定义务",
                "违反财产报告制度",
                "违反限制消费令",
                "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
            ),
            "unperformedAmount": _amount("未履行金额", 5000000),
            "decidedOn": _date("纳入失信名单日期"),
        },
    },
    {
        "id": "CAT-430000-JUD-002",
        "name": "限制消费人员信息",
        "provider": "court",
        "category": "JUDGMENT_DEFAULT",
        "disclosureMode": "GOVERNMENT_SHARING",
        "title": "限制消费令 {caseNumber}",
        "weights": {"LEGAL_PERSON": 0.5, "UNINCORPORATED_ORG": 0.3, "NATURAL_PERSON": 0.6},
        "natures": {"DISHONEST": 1.0},
        "severities": {"GENERAL": 7.0, "SERIOUS": 3.0},
        "documents": (
            (
                "RULING",
                "district:court",
                "（{year}）{court}执{n}号",
                (0, 30),
                {"number": "caseNumber", "issuedAt": "orderDate", "issuer": "court"},
            ),
        ),
        "properties": {
            "caseNumber": _text("执行案号"),
            "court": _text("执行法院"),
            "obligation": _text("执行标的", "偿还借款本金及利息", "支付货款", "支付工程款", "支付劳动报酬"),
            "orderDate": _date("限制消费令发布日期"),
        },
    },
    {
        "id": "CAT-430000-COM-001",
        "name": "守合同重信用企业名单",
        "provider": "market",
        "category": "COMMENDATION",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "{awardYear}年度{honourTitle}",
        "weights": {"LEGAL_PERSON": 1.2},
        "natures": {"TRUSTWORTHY": 1.0},
        "properties": {
            "honourTitle": _text("荣誉称号", "湖南省守合同重信用企业"),
            "awardYear": {**YEAR, "title": "公示年度"},
            "awardingBody": _text("认定机关"),
            "publishedOn": _date("公示日期"),
        },
        "formats": {"awardYear": "{year}"},
        "authorities": {"awardingBody": "province:market"},
    },
    {
        "id": "CAT-430000-COM-002",
        "name": "劳动模范和先进工作者信息",
        "provider": "hrss",
        "category": "COMMENDATION",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "{honourTitle}（{awardYear}年）",
        "weights": {"NATURAL_PERSON": 0.5},
        "natures": {"TRUSTWORTHY": 1.0},
        "once": True,
        "properties": {
            "honourTitle": _text("荣誉称号", "湖南省劳动模范", "湖南省先进工作者"),
            "awardYear": {**YEAR, "title": "表彰年度"},
            "awardingBody": _text("表彰机关", "湖南省人民政府"),
            "awardedOn": _date("表彰日期"),
        },
        "formats": {"awardYear": "{year}"},
    },
    {
        "id": "CAT-430000-COM-003",
        "name": "道德模范和“湖南好人”信息",
        "provider": "civilization",
        "category": "COMMENDATION",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "{honourTitle}（{deedType}）",
        "weights": {"NATURAL_PERSON": 0.7},
        "natures": {"TRUSTWORTHY": 1.0},
        "properties": {
            "honourTitle": _text("荣誉称号", "湖南好人", "湖南省道德模范", "湖南省道德模范提名奖"),
            "deedType": _text("事迹类别", "助人为乐", "见义勇为", "诚实守信", "敬业奉献", "孝老爱亲"),
            "awardingBody": _text("发布机关"),
            "awardedOn": _date("发布日期"),
        },
        "authorities": {"awardingBody": "province:civilization"},
    },
    {
        "id": "CAT-430000-COM-004",
        "name": "建筑业企业行业信用评价信息",
        "provider": "construction_association",
        "category": "COMMENDATION",
        "disclosureMode": "SUBJECT_PUBLISHED",
        "title": "建筑业企业信用评价{evaluationLevel}级（{evaluationYear}年）",
        "weights": {"LEGAL_PERSON": 0.8},
        "natures": {"TRUSTWORTHY": 1.0},
        "properties": {
            "certificateNumber": _text("证书编号"),
            "evaluationLevel": _choice("信用等级", "AAA", "AA"),
            "evaluationYear": {**YEAR, "title": "评价年度"},
            "evaluatedOn": _date("评价日期"),
            "validUntil": _date("有效期至"),
        },
        "formats": {"certificateNumber": "HNJX-{year}-{seq:07d}", "evaluationYear": "{year}"},
        "dateOffsets": {"validUntil": (1095, 1095)},
    },
    {
        "id": "CAT-430000-OTH-001",
        "name": "公共资源交易不良行为信息",
        "provider": "trading_center",
        "category": "OTHER",
        "disclosureMode": "PUBLIC_NOTICE",
        "title": "公共资源交易不良行为（{misconduct}）",
        "weights": {"LEGAL_PERSON": 0.8},
        "natures": {"DISHONEST": 1.0},
        "severities": {"GENERAL": 6.0, "SERIOUS": 4.0},
        "documents": (
            (
                "OTHER",
                "province:trading_center",
                "湘公资交处〔{year}〕{n}号",
                (0, 20),
                {"number": "handlingNumber", "issuedAt": "handledOn"},
            ),
        ),
        "properties": {
            "projectCode": _text("项目编号"),
            "projectName": _text(
                "项目名称",
                "城市道路提质改造工程施工",
                "农村安全饮水巩固提升工程",
                "中小学校舍维修改造工程",
                "高标准农田建设项目",
                "保障性安居工程配套基础设施建设",
                "政务服务中心信息化系统采购",
            ),
            "misconduct": _text(
                "不良行为",
                "串通投标",
                "以他人名义投标",
                "提供虚假材料谋取中标",
                "中标后无正当理由放弃中标",
            ),
            "handlingMeasure": _text("处理措施", "记不良行为记录一次", "取消中标资格并记不良行为记录"),
            "handlingNumber": _text("处理决定文号"),
            "handledOn": _date("处理日期"),
        },
        "formats": {"projectCode": "HNGG-{year}-{seq:07d}"},
    },
    {
        "id": "CAT-430000-OTH-002",
        "name": "志愿服务记录信息",
        "provider": "civilization",
        "category": "OTHER",
        "disclosureMode": "AUTHORIZED_QUERY",
        "title": "志愿服务记录（累计{serviceHours}小时）",
        "weights": {"NATURAL_PERSON": 1.2},
        "natures": {"TRUSTWORTHY": 1.0},
        "once": True,
        "properties": {
            "serviceHours": {
                "type": "integer",
                "title": "累计服务时长",
                "description": "单位：小时",
                "minimum": 1,
                "maximum": 3000,
            },
            "serviceOrganization": _text(
                "志愿服务组织",
                "青年志愿者协会",
                "社区志愿服务站",
                "应急救援志愿服务队",
                "文明交通志愿服务队",
                "助老志愿服务队",
            ),
            "recordedOn": _date("记录日期"),
        },
    },
    {
        "id": "CAT-430000-OTH-003",
        "name": "企业信用评级信息",
        "provider": "credit_rating",
        "category": "OTHER",
        "disclosureMode": "AUTHORIZED_QUERY",
        "title": "企业信用评级报告（{ratingLevel}级）",
        "weights": {"LEGAL_PERSON": 1.0},
        "natures": {"NEUTRAL": 1.0},
        "properties": {
            "reportNumber": _text("报告编号"),
            "ratingLevel": _choice("信用等级", "AAA", "AA", "A", "BBB", "BB", "B"),
            "ratedOn": _date("评级日期"),
            "validUntil": _date("有效期至"),
        },
        "formats": {"reportNumber": "XH-{year}-{seq:07d}"},
        "dateOffsets": {"validUntil": (365, 365)},
    },
    {
        "id": "CAT-430000-OTH-004",
        "name": "个人信用评估信息",
        "provider": "credit_management",
        "category": "OTHER",
        "disclosureMode": "AUTHORIZED_QUERY",
        "title": "个人信用评估报告（{reportNumber}）",
        "weights": {"NATURAL_PERSON": 1.0},
        "natures": {"NEUTRAL": 1.0},
        "properties": {
            "reportNumber": _text("报告编号"),
            "creditScore": {"type": "integer", "title": "信用评分", "minimum": 350, "maximum": 950},
            "evaluatedOn": _date("评估日期"),
            "validUntil": _date("有效期至"),
        },
        "formats": {"reportNumber": "ZL-{year}-{seq:07d}"},
        "dateOffsets": {"validUntil": (365, 365)},
    },
    {
        "id": "CAT-430000-OTH-005",
        "name": "建筑业行业自律惩戒信息",
        "provider": "construction_association",
        "category": "OTHER",
        "disclosureMode": "AUTHORIZED_QUERY",
        "title": "行业自律惩戒（{disciplinaryAction}）",
        "weights": {"LEGAL_PERSON": 0.3},
        "natures": {"DISHONEST": 1.0},
        "severities": {"MINOR": 2.0, "GENERAL": 1.0},
        "documents": (
            (
                "OTHER",
                "province:construction_association",
                "湘建协〔{year}〕{n}号",
                (0, 20),
                {"number": "noticeNumber", "issuedAt": "noticeDate"},
            ),
        ),
        "properties": {
            "misconduct": _text(
                "违约行为",
                "违反行业自律公约低于成本价恶性竞争",
                "拖欠分包单位工程款",
                "发生质量安全责任事故",
            ),
            "disciplinaryAction": _text("惩戒措施", "行业内通报批评", "取消年度评优评先资格"),
            "noticeNumber": _text("通报文号"),
            "noticeDate": _date("通报日期"),
        },
    },
    {
        "id": "CAT-430000-OTH-006",
        "name": "电力缴费信息",
        "provider": "grid",
        "category": "OTHER",
        "disclosureMode": "AUTHORIZED_QUERY",
        "title": "电费缴纳情况（{paymentStatus}）",
        "weights": {"NATURAL_PERSON": 0.8, "LEGAL_PERSON": 1.0, "UNINCORPORATED_ORG": 1.0},
        "natures": {"NEUTRAL": 8.0, "DISHONEST": 2.0},
        "severities": {"MINOR": 1.0},
        "once": True,
        "documents": (("OTHER", "province:grid", "国网湘电催〔{year}〕{n}号", (30, 120), {}),),
        "properties": {
            "accountNumber": _text("用电户号"),
            "paymentStatus": _choice("缴费状态", "按期足额缴纳", "欠费逾期三个月以上"),
            "arrearsAmount": _amount("欠费金额", 50000),
            "statementDate": _date("统计截至日期"),
        },
        "formats": {"accountNumber": "07{seq:09d}"},
        "natureContent": {
            "NEUTRAL": {"paymentStatus": "按期足额缴纳", "arrearsAmount": 0},
            "DISHONEST": {"paymentStatus": "欠费逾期三个月以上"},
        },
    },
)

# Measures (Arts. 22, 23, 25): implementer role, item, means, basis, duration in days (min, max), record categories
# that may ground it (empty: any), subject kinds it applies to (empty: any).
PUNITIVE_MEASURES: tuple[dict[str, Any], ...] = (
    {
        "implementer": "district:court",
        "item": "限制高消费及非生活和工作必需的消费行为",
        "means": "限制乘坐飞机、列车软卧、G字头动车组列车全部座位，限制在星级以上宾馆、酒店消费，限制购买不动产",
        "basis": "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第三条",
        "days": (730, 1825),
        "categories": ("JUDGMENT_DEFAULT",),
        "kinds": (),
    },
    {
        "implementer": "province:finance",
        "item": "限制参与政府采购活动",
        "means": "依法限制其作为供应商参加政府采购活动",
        "basis": "《中华人民共和国政府采购法》第二十二条；《湖南省社会信用信息管理办法》第二十五条第（三）项",
        "days": (1095, 1825),
        "categories": (),
        "kinds": ("LEGAL_PERSON", "UNINCORPORATED_ORG"),
    },
    {
        "implementer": "province:drc",
        "item": "限制申请财政性资金项目",
        "means": "不予受理其财政性资金项目申请，已受理的暂停审核",
        "basis": "《湖南省社会信用信息管理办法》第二十五条第（二）项",
        "days": (365, 1825),
        "categories": (),
        "kinds": ("LEGAL_PERSON", "UNINCORPORATED_ORG"),
    },
    {
        "implementer": "city:drc",
        "item": "限制参与基础设施和公用事业特许经营活动",
        "means": "在特许经营者选择中依法限制其参与",
        "basis": "《基础设施和公用事业特许经营管理办法》第十七条；《湖南省社会信用信息管理办法》第二十五条第（四）项",
        "days": (1095, 1825),
        "categories": (),
        "kinds": ("LEGAL_PERSON",),
    },
    {
        "implementer": "province:hrss",
        "item": "限制参加评先评优",
        "means": "在表彰奖励、评先评优中实行一票否决",
        "basis": "《湖南省社会信用信息管理办法》第二十五条第（五）项",
        "days": (365, 1460),
        "categories": (),
        "kinds": ("NATURAL_PERSON",),
    },
)
REGULATORY_MEASURES: tuple[dict[str, Any], ...] = (
    {
        "implementer": "city:market",
        "item": "列为重点监督检查对象",
        "means": "在“双随机、一公开”监管中提高抽查比例和频次，加强现场检查",
        "basis": "《湖南省社会信用信息管理办法》第二十三条第一款第（三）项",
        "days": (180, 730),
        "categories": (),
        "kinds": ("LEGAL_PERSON", "UNINCORPORATED_ORG"),
    },
    {
        "implementer": "city:drc",
        "item": "限制享受行政便利措施",
        "means": "在行政管理中不适用告知承诺制、容缺受理等便利措施",
        "basis": "《湖南省社会信用信息管理办法》第二十三条第一款第（二）项",
        "days": (180, 730),
        "categories": (),
        "kinds": (),
    },
    {
        "implementer": "city:housing",
        "item": "列为行政许可重点审查对象",
        "means": "在办理行政许可时对申请材料实行重点审查",
        "basis": "《湖南省社会信用信息管理办法》第二十三条第一款第（一）项",
        "days": (180, 730),
        "categories": (),
        "kinds": ("LEGAL_PERSON",),
    },
)
INCENTIVE_MEASURES: tuple[dict[str, Any], ...] = (
    {
        "implementer": "city:drc",
        "item": "行政审批“绿色通道”",
        "means": "在办理行政审批事项时给予优先办理、容缺受理、告知承诺等便利措施",
        "basis": "《湖南省社会信用信息管理办法》第二十二条第（一）项",
        "days": (365, 1095),
        "categories": (),
        "kinds": (),
    },
    {
        "implementer": "city:market",
        "item": "优化检查频次",
        "means": "在“双随机、一公开”监管中适当降低抽查比例和频次",
        "basis": "《湖南省社会信用信息管理办法》第二十二条第（四）项",
        "days": (365, 1095),
        "categories": (),
        "kinds": ("LEGAL_PERSON", "UNINCORPORATED_ORG"),
    },
    {
        "implementer": "province:drc",
        "item": "财政资金支持优先",
        "means": "在财政资金支持和表彰奖励中，在同等条件下列为优先选择对象",
        "basis": "《湖南省社会信用信息管理办法》第二十二条第（二）项",
        "days": (365, 1095),
        "categories": (),
        "kinds": (),
    },
)

# Consents granted for queries (purpose from the query application catalog): grantee role, purpose, categories,
# subject kinds that grant it.
QUERY_CONSENTS: tuple[dict[str, Any], ...] = (
    {
        "grantee": "province:credit_rating",
        "purpose": "CREDIT_EVALUATION",
        "categories": (
            "REGISTRATION",
            "TAX_AND_SOCIAL_INSURANCE",
            "ADMINISTRATIVE_PENALTY",
            "JUDGMENT_DEFAULT",
            "COMMENDATION",
        ),
        "kinds": ("LEGAL_PERSON", "UNINCORPORATED_ORG"),
    },
    {
        "grantee": "province:credit_management",
        "purpose": "CREDIT_EVALUATION",
        "categories": ("TAX_AND_SOCIAL_INSURANCE", "JUDGMENT_DEFAULT", "OTHER"),
        "kinds": ("NATURAL_PERSON",),
    },
    {
        "grantee": "province:trading_center",
        "purpose": "PUBLIC_RESOURCE_TRADING",
        "categories": ("ADMINISTRATIVE_PENALTY", "JUDGMENT_DEFAULT", "OTHER"),
        "kinds": ("LEGAL_PERSON",),
    },
    {
        "grantee": "province:hrss",
        "purpose": "CIVIL_SERVANT_RECRUITMENT",
        "categories": ("TAX_AND_SOCIAL_INSURANCE", "JUDGMENT_DEFAULT", "ADMINISTRATIVE_LICENCE", "OTHER"),
        "kinds": ("NATURAL_PERSON",),
    },
    {
        "grantee": "province:finance",
        "purpose": "FINANCIAL_SUPPORT_REVIEW",
        "categories": ("TAX_AND_SOCIAL_INSURANCE", "ADMINISTRATIVE_PENALTY", "JUDGMENT_DEFAULT"),
        "kinds": ("LEGAL_PERSON",),
    },
)

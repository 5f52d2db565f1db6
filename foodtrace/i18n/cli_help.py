"""The command line's help in Chinese, per command path ("" the root, "report", "keys create"): the command's
text (its first sentence is its summary in a group's list of commands) and each option's and argument's help,
keyed by the parameter's name. The English is the commands' docstrings and ``help=`` strings; a help said the
same in English by several commands is translated once (``SHARED``, keyed by the English). The Chinese texts of
click's usage errors: ``cli_usage``."""

from __future__ import annotations

import re

HEADINGS = {"usage": "用法：", "options": "选项", "arguments": "参数", "commands": "命令"}
USAGE_PIECES = {"[OPTIONS]": "[选项]", "COMMAND [ARGS]...": "命令 [参数]..."}
METAVARS = {"TEXT": "文本", "INTEGER": "整数", "INTEGER RANGE": "整数", "FLOAT": "数值", "FLOAT RANGE": "数值",
            "PATH": "路径", "FILE": "文件", "FILENAME": "文件名", "DIRECTORY": "目录", "DATE": "日期", "TIME": "时间",
            "BOOLEAN": "是否"}
EXTRAS = {"envvars": "环境变量：{}", "default": "默认：{}", "required": "必填"}

_AT = "发生时间，ISO 8601 格式，须带时区（默认：当前时间）。"
_JSON = "输出 JSON。"
_CAMPAIGN = "所属的专项整治。"

SHARED: dict[str, str] = {
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Print JSON.": _JSON,
    "When it happened, ISO 8601 with a time zone (default now).": _AT,
    "The recording office (a party id).": "记录的监管部门（主体编号）。",
    "The record's id (default: made from the time).": "记录编号（默认：按时间生成）。",
    "The special campaign it belongs to.": _CAMPAIGN,
    "Why (kept in the log).": "原因（记入事件日志）。",
}

COMMANDS: dict[str, tuple[str, dict[str, str]]] = {
    "": ("foodtrace：肉类蔬菜流通追溯体系，从农场到餐桌。", {
        "store": "存储库地址：sqlite:///路径.db（默认 ./foodtrace.db）、memory://、bolt://主机:7687、neo4j://…",
        "lang": "输出的语言：zh 中文（默认）或 en 英文；也可用环境变量 FOODTRACE_LANG。"}),
    "serve": ("提供 HTTP 接口和页面服务。", {
        "host": "监听的网络接口（默认 127.0.0.1）。",
        "port": "端口（默认 8000）。",
        "workers": "工作进程数（每个进程各自打开存储库；内置存储库从共享文件跟上最新记录）。"}),
    "demo": ("生成并载入一个演示辖区，然后提供服务。", {
        "size": "大约生成的记录条数。",
        "seed": "随机数种子（种子相同，辖区相同）。",
        "clean": "不设置任何问题。",
        "complaints": "另为一家养殖场（SF001）的猪肉提交消费者投诉举报。",
        "do_serve": "载入后提供服务（默认），或只载入。",
        "host": "监听的网络接口（默认 127.0.0.1）。",
        "port": "端口（默认 8000）。"}),
    "ingest": ("从文件 FILE 采集记录：.jsonl（每行一条记录）、.csv / .xlsx（UTF-8 或 GB18030/GBK 编码、中文或英文表头的"
               "台账，或 CSV 格式的记录；不带时区的时间按 FOODTRACE_TZ 理解）、.jsonld / .json（EPCIS 2.0 文档）。", {
        "file": "要导入的文件。",
        "batch_size": "仅限 JSON 行文件：0 表示整个文件为一批，全部存入或全不存入；N 表示每 N 条记录提交一次。",
        "dry_run": "全部检查并显示将存入的内容，但不存入任何记录。",
        "ledger": "电子表格：每个工作表都按此台账读取（默认：按工作表名称或表头判断）。",
        "party": "电子表格：台账所属的主体（即其本主体列的默认值：进货台账的收货方、销售台账的销售方……）。",
        "partial": "仅限 EPCIS：存入所有能存入的记录并列出其余记录（默认：全部存入或全不存入）。"}),
    "trace": ("按批次的追溯码 CODE（追溯码、小票码或二维码链接）追溯。", {
        "code": "追溯码、小票码或二维码链接。",
        "forward": "顺向追踪（流向何处），而不是逆向溯源（来自何处）。",
        "as_json": "输出 JSON，而不是树形结构。",
        "limit": "最多包含的批次数。",
        "as_of": "按存储库在此记录时间所知的情况（ISO 8601 格式，须带时区），用于争议处理。"}),
    "export": ("导出批次的记录：EPCIS 2.0 或 FSMA 204 可排序电子表格。", {}),
    "export fsma": ("与批次 CODE 相关的每个关键追溯事件的 FSMA 204 可排序电子表格。", {
        "code": "批次的追溯码。", "output": "file.xlsx 或 file.csv"}),
    "export epcis": ("批次 CODE 的追溯结果，导出为 EPCIS 2.0 JSON-LD 文档。", {
        "code": "批次的追溯码。", "output": "file.jsonld"}),
    "keys": ("接口密钥：创建（只显示一次）、列出、吊销。", {}),
    "keys create": ("签发一个密钥并显示——仅此一次；只保存其 SHA-256 摘要。", {
        "party": "密钥所代表的主体编号。",
        "role": "operator：本主体的记录和批次；inspector：可读全部；admin：主体和密钥；viewer：只看辖区统计报告。",
        "label": "密钥用途的备注。"}),
    "keys list": ("已签发的每个密钥：编号、主体、角色、签发时间、是否吊销（从不显示密钥本身）。", {}),
    "keys revoke": ("自即刻起吊销密钥 KEY_ID（k_…）。", {
        "key_id": "密钥编号（k_…）。",
        "by": "吊销方的主体编号（默认：密钥所属主体）。"}),
    "audit": ("谁在何时采集了什么：主体 PARTY 的每条记录，按事件日志顺序（已撤销的另加标注）。", {
        "party": "要列出其记录的主体。",
        "since": "记录时间不早于此时间（未给时区时按协调世界时）。",
        "as_json": _JSON}),
    "db": ("存储库管理：初始化、复制、备份、统计报告数据、检索索引、消费者查询页、校验。", {}),
    "db init": ("创建存储库的约束和索引（Neo4j；SQLite 无需此操作）。", {}),
    "db copy": ("把存储库 SRC 的全部事件日志复制到存储库 DST（均为地址），保留编号和记录时间。", {
        "src": "源存储库地址。", "dst": "目标存储库地址。"}),
    "db backup": ("把存储库备份到新的 SQLite 文件 PATH（SQLite 存储库可在服务时在线备份；Neo4j 则逻辑导出事件日志）。"
                  "恢复：直接用它提供服务，或运行 foodtrace db copy sqlite:///PATH 地址。", {
        "path": "新的 SQLite 备份文件。"}),
    "db report-facts": ("为统计报告数据出现之前写入的存储库记录建立索引（否则由第一次统计报告完成，但没有进度条）。"
                        "完成后再运行不做任何事；Neo4j 也无需此操作。", {}),
    "db search-index": ("为检索索引出现之前写入的存储库中的批次和主体建立索引（否则由第一次检索启动的后台线程完成，"
                        "其间检索逐条比对）。完成后再运行不做任何事；Neo4j 也无需此操作。", {
                            "rebuild": "先清空索引，再为每个批次和主体重新建立索引。"}),
    "db views": ("把每张零售小票的消费者查询页保存到存储库文件中，使第一次扫码即可从文件作答（可中断后继续："
                 "已保存的查询页会跳过；新的和有变化的查询页在被扫码时保存）。Neo4j 无需此操作。", {
                     "clear": "改为清除存储库中保存的全部消费者查询页。",
                     "every": "每隔这么多秒再保存一遍，直到被停止（服务在后台运行的就是这一命令）。",
                     "parent": "与 --every 同用：此编号的进程（服务）结束时即停止。"}),
    "db verify": ("重新计算每条已存记录的摘要和由事件日志得出的数据；列出所有差异和本版本无法读取的每条记录。"
                  "有任何差异时退出状态为 1。", {"as_json": _JSON}),
    "db check": ("与 db verify 相同：列出本版本无法读取的每条记录，以及事件日志与由其得出的数据之间的每处差异。",
                 {"as_json": _JSON}),
    "report": ("某一期间的辖区统计报告：Markdown、带图表的 HTML 页面、JSON，或可提交的文档——Word（docx）或 PDF——"
               "使用 FOODTRACE_DISTRICT_NAME 和 FOODTRACE_OFFICE_NAME 所设的辖区和单位名称。", {
        "first": "首日，例如 2025-01-01（默认：--to 所在年份的 1 月 1 日）。",
        "last": "末日，例如 2025-12-31（默认：今天）。",
        "tz": "日期所在的时区（默认 FOODTRACE_TZ 或 +08:00）。",
        "fmt": "报告格式：md（Markdown）、html、json、docx（Word）或 pdf；docx 和 pdf 须用 -o 写入文件。",
        "lang": "报告的语言（默认 zh 中文）。",
        "output": "写入文件 FILE，而不是直接输出。"}),
    "check": ("列出辖区内的每项异常，以及各主体的违规分值。", {"as_json": _JSON}),
    "entry": ("市场准入查验：收货方 RECEIVER 能否接收批次 CODE 的 QUANTITY 数量？", {
        "code": "批次的追溯码。",
        "receiver": "收货主体的编号。",
        "quantity": "收货数量，以批次的计量单位计。"}),
    "recall": ("召回批次 CODE...：每个受影响的批次和持有者，记为一条召回记录。", {
        "codes": "要召回的批次的追溯码，可给多个。",
        "reason": "召回原因（默认：“监管人员发起的召回”，中英文）。",
        "by": "发起召回的主体。",
        "recall_id": "召回编号（默认：按日期和批次生成）。",
        "dry_run": "只显示召回将涉及的范围，不作记录。"}),
    "recall-show": ("显示召回 RECALL_ID 的现状：持有者、数量、确认情况。", {"recall_id": "召回编号。"}),
    "recall-confirm": ("记录持有者 PARTY 已执行召回 RECALL_ID。", {
        "recall_id": "召回编号。", "party": "已执行召回的持有者（主体编号）。", "note": "备注。"}),
    "investigate": ("为问题批次 CODE... 共同的上游批次和主体排序。", {
        "codes": "问题批次的追溯码，可给多个。",
        "complaints": "一件投诉举报的编号，其批次即为问题批次；可重复。",
        "case": "一个调查案件：与其关联的投诉举报所涉的批次。"}),
    "complaints": ("列出投诉举报及其受理、关联和办结情况。", {
        "status": "open：未办结（已收到或已受理）。"}),
    "complaint-accept": ("受理投诉举报 COMPLAINT_ID：此后计入风险排序。", {
        "complaint_id": "投诉举报编号。",
        "by": "受理的监管部门（主体编号）。",
        "note": "受理理由，记录在案。"}),
    "template": ("生成台账 KIND 的空白模板工作簿：purchase（进货台账）、sales（销售台账）、tests（快检记录）、"
                 "compliance（合格证开具）或 settlement（结算记录）。", {
        "kind": "台账种类。", "output": "file.xlsx", "lang": "表头的语言（默认 zh 中文）。"}),
    "settlement-demo": ("生成已载入的演示辖区中一个批发市场的结算终端导出文件（其场内经营者就所持批次的销售及价格），"
                        "可用 foodtrace ingest FILE 导入。", {
        "output": "file.csv 或 file.xlsx",
        "market": "批发市场（默认：演示辖区的第一个）。",
        "rows": "行数。"}),
    "qr": ("生成批次的二维码（其 GS1 数字链接，否则为短链接 /l/CODE）。", {
        "codes": "批次的追溯码，可给多个。",
        "output": "label.png 或 label.svg（一个追溯码）；加 --sheet 时为 labels.html",
        "sheet": "为给出的每个追溯码生成一张 A4 标签页（供打印的 HTML）。",
        "base_url": "追溯码指向的基础地址（默认：所配置的公开基础地址）。"}),
    "doctor": ("在为用户提供服务之前检查配置：存储库、规则文件、基础地址、时区、可信代理、管理员密钥。"
               "有会影响用户的问题时退出状态为 1。", {"as_json": "输出 JSON：配置和检查结果。"}),
    "users": ("登录页面的人员：创建、列出、停用、启用、重设密码。", {}),
    "users create": ("为登录名 LOGIN 开设账户。", {
        "login": "登录名。",
        "name": "页面上显示的姓名。",
        "party": "此人所代表的主体（监管部门、某家超市……）。",
        "role": "operator（经营者的店员）、inspector（监管人员）、admin（管理员）或 viewer（只看统计报告）。",
        "areas": "监管人员负责的地区代码（可重复；前缀如 3301 涵盖其下各县区）。不给：整个辖区。",
        "password_stdin": "从标准输入读取密码（一行）。"}),
    "users list": ("每个账户：登录名、姓名、主体、角色、地区、启用或停用（从不显示密码摘要）。", {}),
    "users disable": ("登录名 LOGIN 不能再登录；其会话在下一次请求时结束。", {"login": "登录名。"}),
    "users enable": ("先前停用的登录名 LOGIN 可再次登录（其旧会话仍已结束）。", {"login": "登录名。"}),
    "users reset-password": ("为登录名 LOGIN 设置新密码；其会话结束。", {
        "login": "登录名。", "password_stdin": "从标准输入读取新密码（一行）。"}),
    "warnings": ("消费警示和召回公告：公开页面 /warnings 所显示的内容。", {}),
    "warnings publish": ("以 --by 所指的监管部门名义发布一条消费警示。", {
        "title": "标题（中文）。",
        "text": "正文（中文）。",
        "title_en": "英文标题（如也以英文发布）。",
        "text_en": "英文正文（如也以英文发布）。",
        "products": "所涉及的产品；可重复。",
        "lots": "所涉及的批次（追溯码）；可重复。",
        "at": "发布时间，ISO 8601 格式，须带时区（默认：当前时间）。",
        "warning_id": "消费警示编号（默认：按日期和正文生成）。",
        "by": "发布的监管部门（主体编号）。"}),
    "warnings list": ("公开的公告，最新的在前。", {}),
    "supervise": ("监督管理记录：监督检查、专项整治、案件、培训、承诺书、公开销毁、风险。", {}),
    "supervise inspect": ("记录对经营主体 PARTY 的一次监督检查。", {
        "party": "被检查的经营主体。",
        "outcome": "检查结果。",
        "inspectors": "一名执法人员；可重复。",
        "findings": "一项发现的问题；可重复。",
        "mode": "检查方式。",
        "notice": "文书编号。",
        "rectify_by": "整改期限（YYYY-MM-DD）。",
        "campaign": _CAMPAIGN,
        "lots": "所涉及的批次；可重复。"}),
    "supervise inspections": ("列出监督检查记录。", {
        "party": "只列出对此主体的检查。", "campaign": "只列出此专项整治中的检查。", "outcome": "只列出此结果的检查。"}),
    "supervise campaign": ("专项整治：启动、查看、列出。", {}),
    "supervise campaign start": ("启动一项专项整治。", {
        "name": "专项整治的名称。",
        "start": "首日（YYYY-MM-DD）。",
        "end": "末日（YYYY-MM-DD）。",
        "kinds": "纳入范围的主体类型；可重复。",
        "areas": "纳入范围的地区代码（默认：全部）；可重复。",
        "description": "说明。"}),
    "supervise campaign show": ("一项专项整治：已检查的经营主体、文书、停业整顿、尚未检查的主体。", {
        "campaign_id": "专项整治编号。"}),
    "supervise campaign list": ("每项专项整治及其开展情况。", {}),
    "supervise case": ("案件：立案、办结、移交、查看、列出。", {}),
    "supervise case open": ("立案；其所涉批次的追溯结果作为证据保存。", {
        "source": "案件来源。",
        "refs": "anomaly：KIND:LOT；complaint：投诉举报编号；failed_test：检测记录的编号；inspection：检查编号。",
        "lots": "所涉及的批次；可重复。",
        "subjects": "案件当事主体（默认：由案件来源得出）。",
        "summary": "案由（默认：由案件来源得出）。"}),
    "supervise case close": ("办结案件，并记录罚款和没收金额。", {
        "case_id": "案件编号。",
        "fine": "罚款金额（元）。",
        "confiscated": "没收金额（元）。",
        "decision": "行政处罚决定书编号。",
        "note": "备注。"}),
    "supervise case hand-over": ("将案件移交公安机关。", {
        "case_id": "案件编号。",
        "handed_to": "接收的公安机关。",
        "confiscated": "没收金额（元）。",
        "note": "备注。"}),
    "supervise case show": ("一件案件的现状。", {
        "case_id": "案件编号。", "evidence": "另显示随案保存的追溯结果，以及此后的变化。"}),
    "supervise case list": ("各案件的现状。", {
        "status": "只列出此状态的案件。", "party": "只列出针对此主体的案件。"}),
    "supervise training": ("记录一次培训及参加者。", {
        "topic": "培训主题。",
        "attendees": "一家参加培训的经营主体；可重复。",
        "hours": "培训时长（小时）。",
        "campaign": _CAMPAIGN}),
    "supervise commitment": ("记录主体 PARTY 签署的一份承诺书。", {
        "party": "签署承诺书的主体。",
        "title": "承诺书的标题。",
        "valid_until": "有效期至（YYYY-MM-DD）。",
        "campaign": _CAMPAIGN}),
    "supervise destroy": ("记录一次公开销毁。", {
        "goods": "销毁的物品。",
        "value": "货值（元）。",
        "reason": "销毁原因。",
        "quantity": "数量。",
        "unit": "计量单位。",
        "subjects": "物品所属的主体；可重复。",
        "lots": "销毁的批次；可重复。",
        "case_id": "查扣物品所属的案件。"}),
    "supervise list": ("列出培训、承诺书或公开销毁记录。", {
        "kind": "trainings（培训）、commitments（承诺书）或 destructions（公开销毁）。",
        "party": "只列出此主体的记录。"}),
    "supervise risk": ("按风险分值排序的经营主体——下一步检查谁——及其原因。", {
        "top": "列出的主体数。",
        "as_of": "按此时间排序（ISO 8601 格式，须带时区；默认：当前时间）。"}),
    "supervise figures": ("某一期间的监督管理数据，用于统计报告。", {
        "start": "首日（YYYY-MM-DD）。", "end": "末日（YYYY-MM-DD）。"}),
    "supervise lot": ("批次 CODE 逆向溯源和顺向追踪所及各批次的监督管理记录。", {"code": "批次的追溯码。"}),
    "supervise publicity": ("记录一次宣传活动。", {
        "title": "活动名称（例如“3·15”宣传）。",
        "materials": "发放的宣传材料份数。",
        "media_posts": "媒体发布的条数。",
        "people": "覆盖人数（如有统计）。"}),
    "supervise interview": ("记录对经营主体 PARTY 的一次约谈。", {
        "party": "被约谈的经营主体。",
        "reason": "约谈该经营主体负责人的原因。"}),
    "supervise sample": ("记录在经营主体 PARTY 的一次抽检抽样。", {
        "party": "被抽样的经营主体。",
        "program": "tableware（餐饮具洁净度抽检）或 special（专项抽检）。",
        "item": "抽样的物品（餐具、猪肉……）。",
        "result": "当即可知的结果；否则为待检。",
        "lots": "抽样的批次；可重复。"}),
    "supervise sample-result": ("记录抽样 SAMPLE_ID 的检验结果 RESULT（pass 合格或 fail 不合格）。", {
        "sample_id": "抽样编号。",
        "result": "检验结果：pass（合格）或 fail（不合格）。",
        "at": "检验机构报告的时间，ISO 8601 格式，须带时区（默认：当前时间）。"}),
    "supervise incident": ("记录一起食品安全事故。", {
        "description": "事故经过。", "people_affected": "涉及人数。"}),
    "supervise office-records": ("列出监管部门的宣传活动、约谈、抽检和事故记录。", {
        "kind": "只列出此种记录：publicity（宣传活动）、interview（约谈）、sampling（抽检）或 incident（事故）。"}),
}


def command_text(key: str) -> str | None:
    entry = COMMANDS.get(key)
    return entry[0] if entry else None


def command_summary(key: str) -> str | None:
    """The first sentence of the command's text (a group's list of commands); of a long one, its head (before the
    first colon, bracket or comma)."""
    text = command_text(key)
    if not text:
        return None
    first = text.split("。")[0]
    return re.split("[：（，]", first)[0] if len(first) > 30 else first


def param_text(key: str, name: str | None, english: str | None) -> str | None:
    """The Chinese help of parameter ``name`` of command ``key`` (or of its English help said elsewhere too)."""
    entry = COMMANDS.get(key)
    found = entry[1].get(name or "") if entry else None
    return found or (SHARED.get(english) if english else None)

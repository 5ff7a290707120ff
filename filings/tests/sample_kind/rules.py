from filings.rules import Finding, Verdict, is_blank


def name_given(filing) -> list[Finding]:
    if is_blank(filing.sample_detail.name):
        return [Finding("SK-1", Verdict.FAIL, "请填写项目名称。", "示例通知 一", step="basic")]
    return [Finding("SK-1", Verdict.PASS, "已填写项目名称。", "示例通知 一", step="basic")]


def declared(filing) -> list[Finding]:
    verdict = Verdict.PASS if filing.sample_detail.declaration_accepted else Verdict.FAIL
    return [Finding("SK-2", verdict, "请勾选真实性声明。", "示例通知 二", step="basic")]


RULES = [name_given, declared]

from filings import kinds


class SampleKindConfig(kinds.KindAppConfig):
    name = "filings.tests.sample_kind"
    label = "sample_kind"
    verbose_name = "示例备案（仅用于测试）"

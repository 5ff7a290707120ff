from filings import kinds


class AllianceConfig(kinds.KindAppConfig):
    name = "filings.kinds.alliance"
    label = "alliance"
    verbose_name = "产业知识产权联盟备案"

from filings import kinds


class ConsortiumConfig(kinds.KindAppConfig):
    name = "filings.kinds.consortium"
    label = "consortium"
    verbose_name = "产学研运营联合体"

from filings import kinds


class ProductConfig(kinds.KindAppConfig):
    name = "filings.kinds.product"
    label = "product"
    verbose_name = "专利产品备案"

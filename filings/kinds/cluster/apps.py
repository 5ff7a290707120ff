from filings import kinds


class ClusterConfig(kinds.KindAppConfig):
    name = "filings.kinds.cluster"
    label = "cluster"
    verbose_name = "知识产权运营服务集聚区"

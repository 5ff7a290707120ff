from filings import kinds


def kind_links(request) -> dict:
    """The navigation links of the kinds' own pages (e.g. the product's 备案主体)."""
    specs = kinds.all_specs()
    return {
        "kind_links": {
            "applicant": [link for spec in specs for link in spec.applicant_links],
            "staff": [link for spec in specs for link in spec.staff_links],
        }
    }

from django.apps import AppConfig


class DossierConfig(AppConfig):
    name = "review.dossier"
    label = "dossier"
    verbose_name = "申报档案"

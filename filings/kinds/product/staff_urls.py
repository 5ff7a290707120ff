from django.urls import path

from filings.kinds.product import views

# Included under /review/ in the `review` namespace.
urlpatterns = [
    path("product-subjects/", views.staff_subjects, name="product-subjects"),
    path("product-subjects/<int:pk>/pledge/", views.staff_subject_pledge, name="product-subject-pledge"),
    path("product-subjects/<int:pk>/review/", views.staff_subject_review, name="product-subject-review"),
    path("product-yearly-missing/", views.staff_yearly_missing, name="product-yearly-missing"),
]

from django.urls import path

from filings.kinds.product import views

# Included under /filings/ in the `filings` namespace.
urlpatterns = [
    path("product-subject/", views.subject_page, name="product-subject"),
    path("product-subject/pledge/", views.subject_pledge, name="product-subject-pledge"),
    path("product-subject/for/<int:pk>/", views.subject_for_filing, name="product-subject-for"),
    path("<int:pk>/product-yearly/", views.yearly_page, name="product-yearly"),
]

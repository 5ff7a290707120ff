from django.utils.cache import add_never_cache_headers


class SignedInNoStoreMiddleware:
    """A signed-in page is never kept by the browser or a proxy: after signing out,
    the back button or a shared computer's cache must not show it again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response

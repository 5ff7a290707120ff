import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# What a started web process holds (modules, settings, the URLconf and every view it imports) lives
# as long as the process. Frozen, the garbage collector stops walking those objects on each of its
# full passes: a page that builds many objects (a form step of 40 rows builds some 40 forms) spent
# a fifth of its time in the collector.
get_resolver().url_patterns  # noqa: B018 -- imports the views now rather than on the first request
gc.freeze()

"""Signing in by e-mail and password, and the signed-in user of each request read from the cache.

Every page of a signed-in user starts by reading their row (ModelBackend.get_user): a query and a
model on each request, for a row that seldom changes. The row is kept in the cache instead, and
forgotten whenever it changes: by `save()` or `delete()` (signals, accounts.apps) and by a
queryset's `update()` (accounts.models.UserQuerySet). Besides, a kept row lives at most
USER_CACHE_SECONDS, which bounds what a request racing a change could keep.
"""

from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

USER_CACHE_SECONDS = 60


def user_cache_key(pk) -> str:
    return f"accounts:user:{pk}"


def forget_users(pks) -> None:
    """The kept rows of these users are dropped now, and again once the change is committed (a
    request that read the row before the commit may have kept it meanwhile)."""
    keys = [user_cache_key(pk) for pk in pks]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def forget_user(sender, instance, **kwargs) -> None:
    forget_users([instance.pk])


class CachedModelBackend(ModelBackend):
    def get_user(self, user_id):
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)  # None for a missing or inactive user: not kept
            if user is not None:
                cache.set(key, user, USER_CACHE_SECONDS)
        return user

"""Personal API tokens stay out of the admin.

django-rest-knox registers its token model in the admin, where site staff could create a
token for anyone and act as that person through the API. A token is made only by its
owner; this module runs after knox's own admin module (``api`` comes after ``knox`` in
INSTALLED_APPS) and takes the registration back.
"""

from django.contrib import admin
from knox.models import AuthToken

if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)

from django.contrib import admin

from accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("public_name", "username", "is_staff", "is_active", "date_joined")
    search_fields = ("public_name", "username")
    readonly_fields = ("public_id", "date_joined", "last_login", "password")
    exclude = ("user_permissions",)

"""An admin site of its own, so a real admin inline formset (prefix, __prefix__ row, MAX_NUM_FORMS)
is there to test against without models of the test project's own."""

from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

site = admin.AdminSite(name="widgets_admin")


class PermissionInline(admin.TabularInline):
    model = Permission
    fields = ["name", "codename"]
    extra = 0
    max_num = 5


@admin.register(ContentType, site=site)
class ContentTypeAdmin(admin.ModelAdmin):
    fields = ["app_label", "model"]
    inlines = [PermissionInline]

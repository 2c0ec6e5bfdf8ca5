from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dialogues.models import Forum, Invitation, Meeting, Observation
from municipality.admin import ArchiveAdmin, SafeAdmin


@admin.register(Forum)
class ForumAdmin(SafeAdmin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "owner", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["members", "target_groups", "areas"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ArchiveAdmin, SimpleHistoryAdmin):
    list_display = ["title", "forum", "start", "status"]
    list_filter = ["status", "forum__kind"]
    search_fields = ["title"]
    date_hierarchy = "start"
    inlines = [InvitationInline]


@admin.register(Observation)
class ObservationAdmin(SafeAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "organisation", "forwarded_to", "status", "feedback_due"]
    list_filter = ["status"]

import datetime

import pytest

from devdata.demo import dialogues as demo
from devdata.demo import municipality as municipality_demo
from devdata.demo import partners as partners_demo
from dialogues.models import Meeting


@pytest.mark.parametrize(
    "today",
    [datetime.date(2025, 6, 2), datetime.date(2026, 12, 7), datetime.date(2028, 1, 17)],
)
def test_the_demo_representative_has_meetings_ahead_whatever_the_day(db, today):
    """An organisationsföreträdare trying the demo finds a next meeting to take into their
    calendar (from December 2026 the demo once had none), and none further ahead than
    four months."""
    municipality_demo.build()
    partners_demo.build()
    demo.build(today=today)
    invited = Meeting.objects.filter(invitations__organisation__name="Röda Korset Malmö krets")
    ahead = [m.start.date() for m in invited.filter(status="planned")]
    assert any(day > today for day in ahead)
    assert max(ahead) <= today + demo.AHEAD
    assert not invited.filter(status="held", start__date__gte=today).exists()
    assert invited.filter(start__year=2025).exists()

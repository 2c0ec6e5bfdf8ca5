"""The meeting form's data as a browser posts it."""


def as_posted(data):
    """`start` and `end` written as "2026-09-10 09:00" become the date and time parts the
    form's split fields post (start_0, start_1); everything else is as given."""
    posted = dict(data)
    for name in ("start", "end"):
        if name in posted:
            day, _space, time = posted.pop(name).partition(" ")
            posted[f"{name}_0"], posted[f"{name}_1"] = day, time
    return posted

"""Demo and scale data for development and measuring (`load_demo`, `seed_scale`).

Like `overview` it sits above the features and may write into every app; no app imports
it, and the running service never needs it.
"""

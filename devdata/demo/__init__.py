"""The demo data of `load_demo`, one module per feature, from the seed papers. Each
builds on those before it, and building again creates only what is missing."""

from devdata.demo import dialogues, grants, municipality, partners

# In the order they build on each other.
FEATURES = [municipality, partners, dialogues, grants]

"""The warehouse SQL: staging views, models, marts and assertions, shipped with the package and run by warehouse/build.py."""

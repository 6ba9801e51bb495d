"""(being written: see app/api/events/__init__.py)"""

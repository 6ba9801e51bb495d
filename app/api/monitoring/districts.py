"""(being written: see app/api/monitoring/__init__.py)"""

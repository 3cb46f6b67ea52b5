"""Administration pages: users and roles, org units, leader↔unit links, the audit log.

Only 系统管理员 (admin) may use them. Public names: none (views only).
"""

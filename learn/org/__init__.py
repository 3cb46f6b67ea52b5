"""Org structure: the tree of units (县纪委监委机关, 纪检监察室, 派驻纪检监察组, 镇纪委, 机关纪委)
and 片区协作组 (a cluster grouping several units), plus leaders' 挂联 links to units.

Public names: OrgUnit, UnitType, LeaderUnitLink, services.
"""

from learn.org.models import LeaderUnitLink, OrgUnit, UnitType

__all__ = ["LeaderUnitLink", "OrgUnit", "UnitType"]

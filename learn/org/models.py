"""Org units and leader↔unit links."""

from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learn.extensions import db


class UnitType(StrEnum):
    """Kinds of unit; 片区协作组 groups township commissions into a cluster."""

    COMMISSION = "县纪委监委机关"
    OFFICE = "纪检监察室"
    RESIDENT_GROUP = "派驻纪检监察组"
    TOWNSHIP = "镇纪委"
    ORGAN = "机关纪委"
    CLUSTER = "片区协作组"


_TYPES_SQL = ", ".join(f"'{t.value}'" for t in UnitType)


class OrgUnit(db.Model):
    __tablename__ = "org_units"
    __table_args__ = (CheckConstraint(f"unit_type IN ({_TYPES_SQL})", name="unit_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    unit_type: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    sort_order: Mapped[int] = mapped_column(default=0)

    parent: Mapped["OrgUnit | None"] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="children"
    )
    children: Mapped[list["OrgUnit"]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="OrgUnit.sort_order"
    )
    cluster: Mapped["OrgUnit | None"] = relationship(remote_side=[id], foreign_keys=[cluster_id])

    @property
    def is_cluster(self) -> bool:
        return self.unit_type == UnitType.CLUSTER

    def __repr__(self) -> str:
        return f"<OrgUnit {self.name}>"


class LeaderUnitLink(db.Model):
    """挂联指导: a leadership member linked to a unit they guide."""

    __tablename__ = "leader_unit_links"

    leader_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_units.id", ondelete="CASCADE"), primary_key=True
    )
    unit: Mapped[OrgUnit] = relationship()

"""The 帮带协议: complete before signing, both sign, a change voids signatures."""

import pytest
from sqlalchemy import select

from learn.errors import Conflict, LearnError, PermissionDenied
from learn.extensions import db
from learn.mentorship.services import agreements
from learn.mentorship.states import PairingState
from learn.notifications import Notification
from tests.mentorship.factories import make_pairing, make_programme


def _pending(p, goals=True):
    return make_pairing(p.mentor, p.mentee, state=PairingState.PENDING, goals=goals)


def _titles(user):
    return list(
        db.session.scalars(select(Notification.title).where(Notification.user_id == user.id))
    )


def test_an_incomplete_agreement_cannot_be_signed(app):
    p = make_programme()
    pairing = _pending(p, goals=False)
    with pytest.raises(LearnError) as refused:
        agreements.sign(p.mentor, pairing)
    for needed in ("业务指导", "思想关注", "生活关爱", "帮带措施"):
        assert needed in refused.value.message


def test_both_sign_and_the_pairing_starts(app):
    p = make_programme()
    pairing = _pending(p)
    agreements.sign(p.mentor, pairing)
    db.session.commit()
    assert pairing.state == PairingState.PENDING
    assert pairing.agreement.mentor_signed_at is not None
    assert "帮带协议待您签订" in _titles(p.mentee)
    with pytest.raises(Conflict, match="您已签订"):
        agreements.sign(p.mentor, pairing)
    agreements.sign(p.mentee, pairing)
    db.session.commit()
    assert pairing.state == PairingState.ACTIVE
    assert pairing.activated_on is not None
    assert "帮带协议已签订，帮带正式开始" in _titles(p.mentor)


def test_a_change_voids_the_signatures_given(app):
    p = make_programme()
    pairing = _pending(p)
    agreements.sign(p.mentor, pairing)
    agreements.save_goal(p.mentee, pairing, None, "work", "学会制作谈话笔录", "")
    db.session.commit()
    assert pairing.agreement.mentor_signed_at is None
    assert "帮带协议已修改，需重新签订" in _titles(p.mentor)


def test_saving_the_same_terms_keeps_the_signatures(app):
    p = make_programme()
    pairing = _pending(p)
    agreements.sign(p.mentor, pairing)
    agreements.update_terms(p.mentee, pairing, pairing.agreement.measures, "monthly")
    assert pairing.agreement.mentor_signed_at is not None


def test_a_signed_agreement_is_frozen(app):
    p = make_programme()
    pairing = make_pairing(p.mentor, p.mentee)
    with pytest.raises(Conflict, match="不能再修改"):
        agreements.update_terms(p.mentor, pairing, "新措施", "weekly")
    with pytest.raises(Conflict):
        agreements.delete_goal(p.mentor, pairing, pairing.goals[0])


def test_only_the_pair_fills_and_signs(app):
    p = make_programme()
    pairing = _pending(p)
    for outsider in (p.trainer, p.admin):
        with pytest.raises(PermissionDenied):
            agreements.sign(outsider, pairing)
        with pytest.raises(PermissionDenied):
            agreements.update_terms(outsider, pairing, "x", "weekly")

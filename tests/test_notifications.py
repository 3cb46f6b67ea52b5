from learn.extensions import db
from learn.notifications import notify, unread_count
from tests.conftest import login, post_form
from tests.factories import make_user


def test_bell_shows_unread_count_and_marking_read_clears_it(client):
    user = make_user("zhang")
    linked = notify(user.id, "新课程已分配", "请在年底前完成。", "/account")
    notify(user.id, "讲堂提醒")
    db.session.commit()
    login(client, "zhang")
    assert "2 条未读" in client.get("/").get_data(as_text=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert "新课程已分配" in page
    note_id = linked.id
    assert f"/notifications/{note_id}/read" in page
    response = post_form(client, f"/notifications/{note_id}/read", token_from="/notifications")
    assert response.headers["Location"] == "/account"
    assert unread_count(user.id) == 1
    post_form(client, "/notifications/read-all", token_from="/notifications")
    assert unread_count(user.id) == 0


def test_cannot_read_someone_elses_notification(client):
    owner = make_user("owner")
    note = notify(owner.id, "私人通知")
    db.session.commit()
    make_user("zhang")
    login(client, "zhang")
    assert "私人通知" not in client.get("/notifications").get_data(as_text=True)
    response = post_form(client, f"/notifications/{note.id}/read", token_from="/")
    assert response.status_code == 404
    assert unread_count(owner.id) == 1

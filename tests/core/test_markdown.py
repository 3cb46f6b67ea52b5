from hypothesis import given
from hypothesis import strategies as st

from learn.core.markdown import render_markdown


def test_scripts_and_handlers_are_removed():
    html = render_markdown(
        "# 标题\n\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
        "[点我](javascript:alert(1))\n\n<a href='java&#115;cript:alert(1)'>x</a>"
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html.lower()
    assert "alert(1)</a>" not in html


def test_ordinary_markdown_survives():
    html = render_markdown("## 基本案情\n\n**重点**内容\n\n- 一\n- 二\n\n> 引文")
    assert "<h2" in html and "<strong>重点</strong>" in html and "<blockquote>" in html


@given(st.text())
def test_any_text_renders_without_error(text):
    assert "<script" not in render_markdown(text).lower()

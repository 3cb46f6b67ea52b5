from xml.etree import ElementTree

from learn.core.charts import bar_chart, line_chart


def test_bar_chart_is_valid_svg_with_escaped_labels():
    svg = bar_chart("学时<对比>", [("东岭镇纪委", 40), ("河湾&镇", 72.5)], target=90)
    root = ElementTree.fromstring(str(svg))
    assert root.tag.endswith("svg")
    assert root.get("aria-label") == "学时<对比>"
    assert "目标 90" in str(svg)
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == 2


def test_line_chart_draws_each_series_and_skips_gaps():
    svg = line_chart(
        "得分趋势", ["1月", "2月", "3月"], {"政策把握": [60, None, 80], "笔录": [70, 75, 90]}
    )
    root = ElementTree.fromstring(str(svg))
    polylines = root.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(polylines) == 2
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) == 5

"""step_through: real SVG frames per backward step and an offline HTML page that plays them."""

import math
import re
import xml.etree.ElementTree as ElementTree

import pytest

from autograd import GraphvizNotFoundError, Value, step_through

SVG = "{http://www.w3.org/2000/svg}"


def node_texts(svg_path):
    root = ElementTree.parse(svg_path).getroot()
    texts = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            title = group.find(f"{SVG}title").text
            texts[title] = [element.text or "" for element in group.iter(f"{SVG}text")]
    return texts


def highlighted_edges(svg_path):
    """Return the titles of edges drawn in the highlight colour."""
    root = ElementTree.parse(svg_path).getroot()
    titles = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "edge":
            path = group.find(f"{SVG}path")
            if path.get("stroke") == "#d6336c":
                titles.append(group.find(f"{SVG}title").text)
    return titles


def fan_out_graph():
    """y = x·x + tanh(x): x is used three times, so its gradient adds up over two steps."""
    x = Value(0.5, label="x")
    y = x * x + x.tanh()
    y.label = "y"
    return x, y


def test_one_frame_per_step(tmp_path):
    _, y = fan_out_graph()

    page = step_through(y, tmp_path)

    assert page == tmp_path / "index.html"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "frame_000.svg",
        "frame_001.svg",
        "frame_002.svg",
        "frame_003.svg",
        "index.html",
    ]


def test_frames_fill_in_gradients(tmp_path):
    x, y = fan_out_graph()

    step_through(y, tmp_path)

    # Topological order: x (#0), x·x (#1), tanh x (#2), y (#3).
    seed = node_texts(tmp_path / "frame_000.svg")
    assert seed["v3"][-1] == "grad 1.0000"
    assert seed["v0"][-1] == "grad ?"
    assert seed["v1"][-1] == "grad ?"

    # Step 1, the sum, passes 1 to both terms.
    step1 = node_texts(tmp_path / "frame_001.svg")
    assert step1["v1"][-1] == "grad 1.0000"
    assert step1["v2"][-1] == "grad 1.0000"
    assert step1["v0"][-1] == "grad ?"

    # Step 2, tanh: x receives 1 - tanh²(0.5).
    tanh_grad = 1.0 - math.tanh(0.5) ** 2
    step2 = node_texts(tmp_path / "frame_002.svg")
    assert step2["v0"][-1] == f"grad {tanh_grad:.4f}"

    # Step 3, the product: x receives 0.5 twice more, so the total is 1 - tanh² + 2·0.5.
    step3 = node_texts(tmp_path / "frame_003.svg")
    assert step3["v0"][-1] == f"grad {tanh_grad + 1.0:.4f}"
    assert x.grad == 0.0


def test_active_step_is_highlighted(tmp_path):
    _, y = fan_out_graph()

    step_through(y, tmp_path)

    assert highlighted_edges(tmp_path / "frame_000.svg") == []
    assert highlighted_edges(tmp_path / "frame_002.svg") == ["v0->op_v2", "op_v2->v2"]
    # The product uses x twice: both of its input edges are highlighted.
    assert highlighted_edges(tmp_path / "frame_003.svg") == [
        "v0->op_v1",
        "v0->op_v1",
        "op_v1->v1",
    ]


def test_page_references_every_frame(tmp_path):
    _, y = fan_out_graph()

    page = step_through(y, tmp_path).read_text(encoding="utf-8")

    for index in range(4):
        assert f'href="frame_{index:03d}.svg"' in page
        assert f'id="frame-{index}"' in page
    assert page.count("<svg") == 4
    assert page.count('<figure class="frame"') == 4
    assert 'id="previous"' in page
    assert 'id="next"' in page


def test_page_loads_nothing_from_network(tmp_path):
    _, y = fan_out_graph()

    page = step_through(y, tmp_path).read_text(encoding="utf-8")

    links = re.findall(r"""(?:src|href)\s*=\s*["']?([^"'\s>]*)""", page, flags=re.IGNORECASE)
    assert links == [f"frame_{index:03d}.svg" for index in range(4)]
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?\s*(?:https?:)?//", page, flags=re.IGNORECASE)
    assert "<!DOCTYPE svg" not in page
    assert "@import" not in page


def test_page_inline_frames_have_unique_ids(tmp_path):
    _, y = fan_out_graph()

    page = step_through(y, tmp_path).read_text(encoding="utf-8")

    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids))


def test_page_captions_describe_steps(tmp_path):
    _, y = fan_out_graph()

    page = step_through(y, tmp_path).read_text(encoding="utf-8")

    assert "Seed: dy/dy = 1.0000" in page
    assert "Step 1 of 3: y (+ of #1, #2) passes back its gradient 1.0000" in page
    assert "Step 3 of 3: #1 (* of x, x)" in page
    assert "<title>Backward pass of y</title>" in page


def test_labels_are_escaped_in_page(tmp_path):
    x = Value(1.0, label="<script>alert(1)</script>")

    page = step_through(x.exp(), tmp_path).read_text(encoding="utf-8")

    assert "<script>alert" not in page
    assert page.count("<script>") == 1


def test_stale_frames_are_removed(tmp_path):
    _, y = fan_out_graph()
    step_through(y, tmp_path)
    (tmp_path / "notes.txt").write_text("kept")

    step_through(Value(2.0, label="z").exp(), tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "frame_000.svg",
        "frame_001.svg",
        "index.html",
        "notes.txt",
    ]


def test_only_linked_frames_are_removed(tmp_path):
    _, y = fan_out_graph()
    step_through(y, tmp_path)
    (tmp_path / "frame_010.svg").write_text("user's drawing")

    step_through(Value(2.0, label="z").exp(), tmp_path)

    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "frame_000.svg",
        "frame_001.svg",
        "frame_010.svg",
        "index.html",
    ]
    assert (tmp_path / "frame_010.svg").read_text() == "user's drawing"


def test_unrelated_frame_files_are_kept(tmp_path):
    (tmp_path / "frame_007.svg").write_text("user's frame 7")
    (tmp_path / "frame_1234.svg").write_text("user's frame 1234")

    step_through(Value(2.0, label="z").exp(), tmp_path)

    assert (tmp_path / "frame_007.svg").read_text() == "user's frame 7"
    assert (tmp_path / "frame_1234.svg").read_text() == "user's frame 1234"
    assert (tmp_path / "frame_001.svg").exists()


def test_current_folder_keeps_user_frames(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "frame_009.svg").write_text("user's frame 9")
    _, y = fan_out_graph()

    page = step_through(y, ".")

    assert page.resolve() == tmp_path / "index.html"
    assert (tmp_path / "frame_009.svg").read_text() == "user's frame 9"


def test_foreign_index_is_not_replaced(tmp_path):
    (tmp_path / "index.html").write_text("<html>user's page</html>")
    _, y = fan_out_graph()

    with pytest.raises(FileExistsError, match=r"index\.html exists and was not written by"):
        step_through(y, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["index.html"]
    assert (tmp_path / "index.html").read_text() == "<html>user's page</html>"


def test_foreign_frame_is_not_overwritten(tmp_path):
    (tmp_path / "frame_001.svg").write_text("user's frame 1")
    _, y = fan_out_graph()

    with pytest.raises(FileExistsError, match=r"contains frame_001\.svg, which no step_through"):
        step_through(y, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["frame_001.svg"]
    assert (tmp_path / "frame_001.svg").read_text() == "user's frame 1"


def test_frame_unlinked_by_earlier_page_is_not_overwritten(tmp_path):
    step_through(Value(2.0, label="z").exp(), tmp_path)
    (tmp_path / "frame_002.svg").write_text("user's frame 2")
    _, y = fan_out_graph()

    with pytest.raises(FileExistsError, match=r"contains frame_002\.svg, which no step_through"):
        step_through(y, tmp_path)
    assert (tmp_path / "frame_002.svg").read_text() == "user's frame 2"


def test_page_is_marked_as_generated(tmp_path):
    page = step_through(Value(2.0, label="z").exp(), tmp_path).read_text(encoding="utf-8")

    assert '<meta name="generator" content="gradiente step_through">' in page


def test_collapse_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="step_through draws every node, so `collapse` must be"):
        step_through(Value(1.0), tmp_path, collapse="layer")


def test_size_limit_applies(tmp_path):
    y = Value(1.0)
    for _ in range(30):
        y = y.exp()

    with pytest.raises(ValueError, match="the graph has 31 nodes, more than max_nodes=10"):
        step_through(y, tmp_path, max_nodes=10)
    assert list(tmp_path.iterdir()) == []


def node_shapes(svg_path):
    """Return {node id: the points or centre of its first shape}, which fix its place and size."""
    root = ElementTree.parse(svg_path).getroot()
    shapes = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            title = group.find(f"{SVG}title").text
            shape = next(e for e in group if e.tag in (f"{SVG}polygon", f"{SVG}ellipse"))
            shapes[title] = shape.get("points") or (shape.get("cx"), shape.get("cy"))
    return shapes


def test_layout_stays_fixed_across_frames(tmp_path):
    w = [Value(0.3, label="w0"), Value(-12.5, label="w1")]
    x = Value(-0.25, label="x")
    hidden = [(wi * x).tanh() for wi in w]
    y = (hidden[0] * hidden[1] + hidden[0]) ** 2
    y.label = "y"

    step_through(y, tmp_path)

    frames = sorted(tmp_path.glob("frame_*.svg"))
    assert len(frames) == 8
    first = node_shapes(frames[0])
    for frame in frames[1:]:
        assert node_shapes(frame) == first, frame.name


def test_default_limit_is_fifty_nodes(tmp_path):
    y = Value(1.0)
    for _ in range(50):
        y = y * 1.01

    with pytest.raises(ValueError) as raised:
        step_through(y, tmp_path / "page")

    message = str(raised.value)
    assert "step_through: the graph has 51 nodes, more than max_nodes=50" in message
    assert "max_nodes=None for no limit" in message
    assert "collapse='layer'" in message
    assert "intermediate Value as the root" in message
    assert list(tmp_path.iterdir()) == []


def test_max_nodes_none_means_no_limit(tmp_path):
    _, y = fan_out_graph()

    page = step_through(y, tmp_path, max_nodes=None)

    assert page == tmp_path / "index.html"


def test_html_directory_is_rejected(tmp_path):
    _, y = fan_out_graph()

    with pytest.raises(ValueError, match="`directory` must be a folder for the frames"):
        step_through(y, tmp_path / "step.html")
    assert list(tmp_path.iterdir()) == []


def test_missing_program_creates_nothing(tmp_path):
    _, y = fan_out_graph()

    with pytest.raises(GraphvizNotFoundError, match="no-such-dot was not found"):
        step_through(y, tmp_path / "page", dot=tmp_path / "no-such-dot")
    assert list(tmp_path.iterdir()) == []

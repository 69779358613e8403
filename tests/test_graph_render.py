"""render and find_dot: real Graphviz rendering (system dot or graphviz-pure), parsed back."""

import os
import stat
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from autograd import GraphvizNotFoundError, Value, draw_graph, find_dot, render
from autograd.render import pipe

SVG = "{http://www.w3.org/2000/svg}"


def node_texts(svg_path):
    """Return {node id: [text, ...]} from a rendered SVG, reading each node's <title>."""
    root = ElementTree.parse(svg_path).getroot()
    texts = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        title = group.find(f"{SVG}title").text
        texts[title] = [element.text or "" for element in group.iter(f"{SVG}text")]
    return texts


def product_graph():
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    c.backward()
    return c


def test_svg_has_labels_data_and_grads(tmp_path):
    path = render(product_graph(), tmp_path / "graph.svg")

    texts = node_texts(path)

    assert texts["v0"] == ["a", "data 2.0000", "grad -3.0000"]
    assert texts["v1"] == ["b", "data -3.0000", "grad 2.0000"]
    assert texts["v2"] == ["c", "data -6.0000", "grad 1.0000"]
    assert texts["op_v2"] == ["*"]
    assert texts["legend_parameter"] == ["parameter"]
    assert texts["legend_output"] == ["output"]


def test_svg_shows_constant_and_dot_factor(tmp_path):
    w, b = Value(0.5, label="w"), Value(0.1, label="b")
    from autograd import dot

    y = dot([w], [4.0], b) * 3

    texts = node_texts(render(y, tmp_path / "graph.svg"))
    root = ElementTree.parse(tmp_path / "graph.svg").getroot()
    edge_texts = [
        element.text
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "edge"
        for element in group.iter(f"{SVG}text")
    ]

    assert texts["op_v3"] == ["* 3"]
    assert edge_texts == ["× 4"]


@pytest.mark.parametrize(
    "label",
    [
        'say "hi"',
        "{braces}",
        "a|b",
        "<tag>",
        "back\\slash \\N \\n \\l",
        "pérdida",
        "a & b &amp;",
        "x[0]; y=1",
        "tab\there",
        "bell\x07",
    ],
)
def test_special_label_round_trip(tmp_path, label):
    x = Value(1.5, label=label)

    texts = node_texts(render(x, tmp_path / "graph.svg", legend=False))

    expected = label.replace("\t", "\\t").replace("\x07", "\\x07")
    assert texts["v0"] == [expected, "data 1.5000", "grad 0.0000"]


def test_multiline_and_mixed_label_round_trip(tmp_path):
    label = 'pérdida "total" {a|b}\n<c> \\ & ü'
    x = Value(1.0, label=label)

    texts = node_texts(render(x.exp(), tmp_path / "graph.svg", legend=False))

    assert texts["v0"][:2] == ['pérdida "total" {a|b}', "<c> \\ & ü"]
    assert texts["v0"][2:] == ["data 1.0000", "grad 0.0000"]


def test_png_is_written(tmp_path):
    path = render(product_graph(), tmp_path / "nested" / "graph.png", format="png")

    assert path == tmp_path / "nested" / "graph.png"
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert [p.name for p in path.parent.iterdir()] == ["graph.png"]


def test_render_accepts_drawing(tmp_path):
    drawing = draw_graph(product_graph(), rankdir="TB", legend=False)

    texts = node_texts(render(drawing, tmp_path / "graph.svg"))

    assert set(texts) == {"v0", "v1", "v2", "op_v2"}


def test_render_rejects_drawing_with_options(tmp_path):
    drawing = draw_graph(product_graph())

    with pytest.raises(TypeError, match=r"got GraphDrawing and options \['legend'\]"):
        render(drawing, tmp_path / "graph.svg", legend=False)


def test_render_rejects_pdf(tmp_path):
    with pytest.raises(ValueError, match="`format` must be one of svg, png, got 'pdf'"):
        render(product_graph(), tmp_path / "graph.pdf", format="pdf")


def test_jupyter_display_renders_svg():
    bundle = draw_graph(product_graph())._repr_mimebundle_()

    assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
    assert "data 2.0000" in bundle["image/svg+xml"]


def test_failed_layout_raises_with_program_output():
    with pytest.raises(RuntimeError, match="failed with exit code"):
        pipe("digraph { a -> }", "svg")


def interpreter_graphviz_pure():
    folder = Path(sys.executable).parent
    candidates = [folder / "graphviz-pure", folder / "graphviz-pure.exe"]
    found = [path for path in candidates if path.exists()]
    if not found:
        pytest.skip("graphviz-pure is not installed beside this interpreter")
    return found[0]


def test_find_dot_prefers_system_dot(tmp_path):
    # A real `dot` on the search path: a script that runs graphviz-pure.
    program = interpreter_graphviz_pure()
    dot = tmp_path / "dot"
    dot.write_text(f'#!/bin/sh\nexec "{program}" "$@"\n')
    dot.chmod(dot.stat().st_mode | stat.S_IXUSR)

    found = find_dot(search_path=os.pathsep.join([str(tmp_path), str(program.parent)]))

    assert found == dot
    assert pipe("digraph { a -> b }", "svg", found).startswith(b"<?xml")


def test_find_dot_uses_graphviz_pure_on_path(tmp_path):
    program = interpreter_graphviz_pure()

    found = find_dot(search_path=str(program.parent), interpreter_dir=tmp_path)

    assert found == program


def test_find_dot_falls_back_to_interpreter_folder(tmp_path):
    program = interpreter_graphviz_pure()

    assert find_dot(search_path=str(tmp_path)) == program
    assert find_dot(search_path="") == program


def test_no_program_error_names_both_installs(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()

    with pytest.raises(GraphvizNotFoundError) as raised:
        find_dot(search_path=str(empty), interpreter_dir=empty)

    message = str(raised.value)
    assert f"missing from PATH ({empty})" in message
    assert f"interpreter's folder ({empty})" in message
    assert "apt-get install graphviz" in message
    assert "pip install graphviz-pure" in message
    assert "pip install gradiente[demos]" in message


def test_missing_explicit_program_error(tmp_path):
    with pytest.raises(GraphvizNotFoundError, match="pip install graphviz-pure"):
        render(product_graph(), tmp_path / "graph.svg", dot=tmp_path / "no-such-dot")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "start"),
    [("graph.png", b"\x89PNG\r\n\x1a\n"), ("graph.svg", b"<?xml"), ("graph.PNG", b"\x89PNG")],
)
def test_format_follows_suffix(tmp_path, name, start):
    path = render(product_graph(), tmp_path / name)

    assert path == tmp_path / name
    assert path.read_bytes().startswith(start)


@pytest.mark.parametrize(
    ("format", "name", "start"),
    [
        (None, "graph.svg", b"<?xml"),
        ("svg", "graph.svg", b"<?xml"),
        ("png", "graph.png", b"\x89PNG"),
    ],
)
def test_missing_suffix_is_added(tmp_path, format, name, start):
    path = render(product_graph(), tmp_path / "graph", format=format)

    assert path == tmp_path / name
    assert path.read_bytes().startswith(start)
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_format_and_suffix_must_agree(tmp_path):
    with pytest.raises(ValueError, match=r"`format` is 'svg' but the path .* ends in '\.png'"):
        render(product_graph(), tmp_path / "graph.png", format="svg")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["graph.pdf", "graph.txt", "graph.gv"])
def test_unsupported_suffix_is_rejected(tmp_path, name):
    with pytest.raises(ValueError, match=r"render writes svg or png files, but the path"):
        render(product_graph(), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def only_graphviz_pure(tmp_path, monkeypatch):
    """Leave only graphviz-pure, beside the interpreter, for the drawing to find."""
    program = interpreter_graphviz_pure()
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert find_dot() == program
    return program


def test_drawing_pipe_uses_graphviz_pure(only_graphviz_pure):
    drawing = draw_graph(product_graph())

    assert drawing.pipe().startswith(b"<?xml")
    assert drawing.pipe("png").startswith(b"\x89PNG\r\n\x1a\n")
    assert "data 2.0000" in drawing.pipe(format="svg", encoding="utf-8")


def test_drawing_render_uses_graphviz_pure(only_graphviz_pure, tmp_path):
    drawing = draw_graph(product_graph())
    folder = tmp_path / "out"

    written = drawing.render("graph", directory=folder, format="png")

    assert written == str(folder / "graph.png")
    assert (folder / "graph.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert (folder / "graph").read_text(encoding="utf-8") == drawing.source


def test_drawing_render_default_format_is_svg(only_graphviz_pure, tmp_path):
    written = draw_graph(product_graph()).render(tmp_path / "graph.gv", cleanup=True)

    assert written == str(tmp_path / "graph.gv.svg")
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["graph.gv.svg"]
    assert "data -3.0000" in node_texts(written)["v1"]


def test_drawing_render_outfile(only_graphviz_pure, tmp_path):
    written = draw_graph(product_graph()).render(outfile=tmp_path / "graph.png")

    assert written == str(tmp_path / "graph.png")
    assert (tmp_path / "graph.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "graph.gv").read_text(encoding="utf-8").startswith("digraph")


def test_drawing_render_unsupported_options(tmp_path):
    drawing = draw_graph(product_graph())

    with pytest.raises(NotImplementedError, match=r"cannot open a viewer \(view=True\)"):
        drawing.render(tmp_path / "graph", view=True)
    with pytest.raises(NotImplementedError, match=r"does not support \['engine'\]"):
        drawing.pipe(engine="neato")
    with pytest.raises(ValueError, match="`format` must be one of svg, png, got 'pdf'"):
        drawing.render(tmp_path / "graph", format="pdf")
    with pytest.raises(TypeError, match=r"unexpected arguments \['colour'\]"):
        drawing.pipe(colour="red")
    assert list(tmp_path.iterdir()) == []

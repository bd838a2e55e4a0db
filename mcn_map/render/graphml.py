"""``graph.graphml``, written straight to text: the same bytes networkx's ``generate_graphml`` gives for the seat
graph, without building an XML tree of a million elements first (about ten times faster on a national landscape).

What networkx does, and so what this does: keys are numbered in the order first met (graph, then nodes, then edges)
and listed newest first; a node's or edge's data follow in attribute order and the graph's own data come after its
edges; text is escaped as ElementTree escapes it and anything outside ASCII becomes a character reference; the lines
are split and re-joined with ``\\n``. ``tests/test_speed.py`` compares the two byte for byte.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..graphs import seat_graph
from ..privacy.scrub import CONTROL_CHARACTERS, without_control_characters
from ..memo import Memo
from ..model import Landscape

__all__ = ["graphml_text", "graphml_bytes"]

_NS = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
       'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
       'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">')
# networkx's GraphMLWriter.xml_type
_XML_TYPE = {**{t: "float" for t in (np.float64, np.float32, np.float16)},
             **{t: "int" for t in (np.int64, np.int8, np.int16, np.int32, np.uint8, np.uint16, np.uint32, np.uint64)},
             int: "long", str: "string", float: "double", bool: "boolean"}


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return (_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


class _Keys:
    def __init__(self):
        self.ids: dict[tuple, str] = {}

    def __call__(self, name, value, scope: str) -> str:
        try:
            kind = _XML_TYPE[type(value)]
        except KeyError:
            raise TypeError(f"GraphML does not support type {type(value)} as data values.") from None
        key = (str(name), kind, scope)
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = f"d{len(self.ids)}"
        return found

    def lines(self) -> list[str]:
        return [f'  <key id="{i}" for="{scope}" attr.name="{_attribute(name)}" attr.type="{kind}" />'
                for (name, kind, scope), i in reversed(self.ids.items())]


def _element(out: list, indent: str, opening: str, tag: str, data: dict, scope: str, keys: _Keys) -> None:
    if not data:
        out.append(f"{indent}{opening} />")
        return
    out.append(f"{indent}{opening}>")
    inner = indent + "  "
    for name, value in data.items():
        text = str(value)
        key = keys(name, value, scope)
        out.append(f'{inner}<data key="{key}">{_text(text)}</data>' if text else f'{inner}<data key="{key}" />')
    out.append(f"{indent}</{tag}>")


def graphml_text(graph: nx.Graph) -> str:
    """The GraphML document for ``graph``, as ``"\\n".join(nx.generate_graphml(graph, prettyprint=True))``."""
    keys = _Keys()
    graph_data = {k: v for k, v in graph.graph.items() if k not in ("node_default", "edge_default", "id")}
    for name, value in graph_data.items():  # the graph's keys are numbered first, though its data are written last
        keys(name, value, "graph")
    body = []
    for node, data in graph.nodes(data=True):
        _element(body, "    ", f'<node id="{_attribute(str(node))}"', "node", data, "node", keys)
    edges = graph.edges(data=True, keys=True) if graph.is_multigraph() else graph.edges(data=True)
    for edge in edges:
        u, v, data = edge[0], edge[1], edge[-1]
        ident = f' id="{_attribute(str(edge[2]))}"' if graph.is_multigraph() else ""
        _element(body, "    ", f'<edge source="{_attribute(str(u))}" target="{_attribute(str(v))}"{ident}', "edge", data,
                 "edge", keys)
    for name, value in graph_data.items():
        text = str(value)
        key = keys(name, value, "graph")
        body.append(f'    <data key="{key}">{_text(text)}</data>' if text else f'    <data key="{key}" />')
    graph_id = graph.graph.get("id")
    opening = f'<graph edgedefault="{"directed" if graph.is_directed() else "undirected"}"' + (
        f' id="{_attribute(str(graph_id))}"' if graph_id is not None else "")
    if body:
        lines = [_NS, *keys.lines(), f"  {opening}>", *body, "  </graph>", "</graphml>"]
    else:
        lines = [_NS, *keys.lines(), f"  {opening} />", "</graphml>"]
    document = "\n".join(lines).encode("ascii", "xmlcharrefreplace").decode("ascii")
    return "\n".join(document.splitlines())


def graphml_bytes(landscape: Landscape, memo: Memo | None = None) -> bytes:
    """``graph.graphml``: the seat graph (:func:`mcn_map.graphs.seat_graph`) as GraphML."""
    graph = seat_graph(landscape, memo)
    # The loader removes control characters; a landscape made in a notebook may still hold them, and XML cannot.
    if _holds_control_characters(graph):
        graph = nx.MultiGraph(graph)
        for _, data in graph.nodes(data=True):
            _xml_safe(data)
        for _, _, data in graph.edges(data=True):
            _xml_safe(data)
        _xml_safe(graph.graph)
    return graphml_text(graph).encode("utf-8") + b"\n"


def _xml_safe(data: dict) -> None:
    for name, value in data.items():
        if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
            data[name] = without_control_characters(value)


def _holds_control_characters(graph) -> bool:
    values = [graph.graph.values()] + [d.values() for _, d in graph.nodes(data=True)] + [
        d.values() for _, _, d in graph.edges(data=True)]
    return any(isinstance(v, str) and CONTROL_CHARACTERS.search(v) for group in values for v in group)

"""Synthetic inputs for the benchmark: a large citation store and many citing pages."""

from __future__ import annotations

import random
from pathlib import Path

DESIGNS = ("rct", "open-label", "retrospective", "case-report", "review", "meta-analysis")


def entry(index: int, number: int) -> str:
    return (
        f"@article{{synth{index:05d}study,\n"
        f"  author = {{Author{index}, A. and Second, B. C. and Third, D. and others}},\n"
        f"  title = {{Synthetic study {index} of immunoglobulin in myositis: a {{IVIG}} report}},\n"
        f"  journal = {{J Synth Med}},\n  year = {{{1990 + index % 35}}},\n"
        f"  volume = {{{index % 90 + 1}}},\n  number = {{{index % 12 + 1}}},\n"
        f"  pages = {{{index % 900 + 1}--{index % 900 + 9}}},\n"
        f"  doi = {{10.5555/synth.{index}}},\n  design = {{{DESIGNS[index % len(DESIGNS)]}}},\n"
        f"  guideref = {{{number}}}\n}}\n"
    )


def write_store(path: Path, count: int, first_number: int = 1) -> list[str]:
    """Write `count` synthetic entries numbered from `first_number`; return their keys."""
    keys = [f"synth{i:05d}study" for i in range(count)]
    path.write_text("\n".join(entry(i, first_number + i) for i in range(count)), encoding="utf-8")
    return keys


def write_pages(docs: Path, keys: list[str], count: int, seed: int = 7) -> None:
    """`count` pages of prose, each citing a few random keys in several brackets."""
    rng = random.Random(seed)
    for n in range(count):
        folder = docs / f"section{n % 10}"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"# Synthetic page {n}\n"]
        for para in range(8):
            cited = "; ".join(f"@{k}" for k in rng.sample(keys, 3))
            lines.append(f"Paragraph {para} about dosing and response, with `code [@x]` [{cited}].\n")
        (folder / f"page{n}.md").write_text("\n".join(lines), encoding="utf-8")

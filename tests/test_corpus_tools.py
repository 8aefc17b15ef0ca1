"""Near-duplicate detection, corpus statistics and the audit of labelled data."""

from __future__ import annotations

from textclass.corpus import audit, corpus_stats, near_duplicates, shingles
from textclass.data import LabelledData

from .conftest import TINY, run_cli


def test_near_duplicates_use_character_5gram_jaccard():
    texts = [
        "海关总署公布前十个月外贸进出口数据，出口同比增长百分之五",
        "海关总署公布前十个月外贸进出口数据，出口同比增长百分之六",
        "法院一审判决一起电信诈骗案",
        "短句",
        "短句",
    ]
    pairs = near_duplicates(texts)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1), (3, 4)]
    a, b = shingles(texts[0]), shingles(texts[1])
    assert pairs[0][2] == len(a & b) / len(a | b) >= 0.8
    assert near_duplicates(texts, threshold=0.95) == [(3, 4, 1.0)]


def test_corpus_stats_counts_subtopics_and_lengths(tmp_path):
    (tmp_path / "trade").mkdir()
    (tmp_path / "trade" / "tariffs.tsv").write_text("label\ttext\ntrade\t欧盟加征关税\ntrade\t" + "出口" * 40 + "\n", encoding="utf-8")
    (tmp_path / "lexicon").mkdir()
    (tmp_path / "lexicon" / "t.tsv").write_text("label\tterm\ntrade\t关税\n", encoding="utf-8")
    stats = corpus_stats(tmp_path)
    assert stats.label_counts() == {"trade": 2}
    assert stats.subtopics == {"trade": {"trade/tariffs": 2}}
    assert stats.headline_share() == 0.5
    assert "| trade | 2 | 1 | 1 |" in stats.to_markdown()


def test_audit_flags_a_confidently_mislabelled_example():
    texts = [t for _, t in TINY] * 3
    labels = [l for l, _ in TINY] * 3
    texts.append("海关统计显示出口额同比增长，关税清单缩短")
    labels.append("health")
    data = LabelledData(texts=texts, labels=labels, sources=[f"x.tsv:{i + 2}" for i in range(len(texts))])
    suspects = audit(data, threshold=0.5, cv=3)
    flagged = {s.source: s for s in suspects}
    assert f"x.tsv:{len(texts) + 1}" in flagged
    s = flagged[f"x.tsv:{len(texts) + 1}"]
    assert s.label == "health" and s.predicted == "trade" and s.score >= 0.5


def test_audit_cli(tmp_path):
    data = tmp_path / "d.tsv"
    rows = TINY * 3 + [("health", "海关统计显示出口额同比增长，关税清单缩短")]
    data.write_text("label\ttext\n" + "".join(f"{l}\t{t}\n" for l, t in rows), encoding="utf-8")
    out = run_cli("audit", str(data), "--threshold", "0.5", "--cv", "3")
    assert out.returncode == 0, out.stderr
    assert f"{data}:{len(rows) + 1}\tlabel=health\tpredicted=trade" in out.stdout
    assert "near-duplicate pairs" in out.stdout

"""Labelling a Dask DataFrame on a real LocalCluster with two worker processes."""

from __future__ import annotations

import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import textclass  # noqa: E402
import textclass.dask  # noqa: E402

TEXTS = ["海关公布上月进出口数据", "法院判决一起诈骗案", "", "东部战区开展联合演训", None, "医生提醒：秋冬季节注意预防流感"]


def test_label_dataframe_on_local_cluster(shipped):
    frame = pd.DataFrame({"id": range(len(TEXTS) * 10), "text": TEXTS * 10})
    ddf = dd.from_pandas(frame, npartitions=4)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            result = textclass.dask.label_dataframe(ddf, column="text").compute()
    assert list(result["id"]) == list(frame["id"])
    for i, text in enumerate(TEXTS * 10):
        row = result.iloc[i]
        if text:
            p = shipped.classify(text)
            assert row["label"] == p.label and row["score"] == pytest.approx(p.score)
            assert pd.isna(row["error"])
        else:
            assert pd.isna(row["label"]) and pd.isna(row["score"])
            assert row["error"] == ("text is missing" if text is None else "text is empty or only whitespace")


def test_missing_column_is_a_clear_error():
    ddf = dd.from_pandas(pd.DataFrame({"title": ["关税"]}), npartitions=1)
    with pytest.raises(KeyError, match="no column 'text'"):
        textclass.dask.label_dataframe(ddf)

"""Shared fixtures: the shipped model, and a tiny model trained in seconds on texts written here."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import textclass

ROOT = Path(__file__).resolve().parent.parent

# Short original texts, two topics per label, enough for a 2-fold calibrated model.
TINY = [
    ("trade", "欧盟对进口电动汽车加征反补贴关税"),
    ("trade", "海关统计显示本月出口额同比增长百分之九"),
    ("trade", "两国贸易谈判重启 关税清单有望缩短"),
    ("trade", "大豆进口量创下年内新高 港口卸货繁忙"),
    ("policy", "市政府工作报告提出全年经济增长目标"),
    ("policy", "省里出台优化营商环境若干措施"),
    ("policy", "重点项目集中开工 总投资超过五百亿元"),
    ("policy", "国务院常务会议部署稳就业政策"),
    ("crime", "男子盗窃电动车被警方刑事拘留"),
    ("crime", "法院一审判决受贿案 被告人获刑十年"),
    ("crime", "电信诈骗团伙落网 涉案金额上千万"),
    ("crime", "检察院对故意伤害案提起公诉"),
    ("health", "医生提醒冬季注意预防流感和肺炎"),
    ("health", "长期失眠可能增加高血压风险"),
    ("health", "多吃蔬菜水果有助于控制血糖"),
    ("health", "儿童近视防控要从小学开始"),
]


@pytest.fixture(scope="session")
def shipped() -> textclass.Classifier:
    return textclass.load()


@pytest.fixture(scope="session")
def tiny_model() -> textclass.Classifier:
    texts = [t for _, t in TINY]
    labels = [l for l, _ in TINY]
    return textclass.train(texts, labels, cv=2)


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m textclass ARGS`` in a subprocess and capture its output as text."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "textclass", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd or ROOT,
        env=full_env,
        timeout=300,
    )

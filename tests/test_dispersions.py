"""Scenario validation and the random draws of Monte Carlo campaigns.

Statistical checks use a fixed seed (so they are reproducible) and tolerances of 5 standard
errors of the estimator: a correct sampler fails one such check with probability ~6e-7; a
Kolmogorov-Smirnov test against scipy.stats (an independent implementation of each
distribution) is required to have p > 1e-6.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats as st

from marsprobe.analysis.dispersions import parse_scenario
from marsprobe.analysis.draws import DrawPlan, draw, uniforms
from marsprobe.analysis.montecarlo import load_scenario, register_model
from marsprobe.errors import ScenarioError

N = 100_000
FIELDS = ["entry.fpa_deg", "entry.heading_deg", "vehicle.mass_kg", "radar.failed", "x.t_s"]
BASE = {"entry.fpa_deg": -10.0, "entry.heading_deg": 90.0, "vehicle.mass_kg": 1210.0,
        "radar.failed": False, "x.t_s": math.inf}  # fmt: skip


def _null_model(draws, info):
    return {"ok": np.ones(info.size, dtype=bool)}


register_model("disp-toy", _null_model, FIELDS, BASE)


def plan_for(dispersions=None, correlated=None, seed=1971, fixed=None):
    data = {"campaign": {"model": "disp-toy", "runs": N, "seed": seed}}
    data["dispersions"] = dispersions or {}
    data["correlated"] = correlated or []
    data["fixed"] = fixed or {}
    return DrawPlan.build(parse_scenario(data), FIELDS, BASE)


def sample(disp, n=N, seed=1971):
    return draw(plan_for({"entry.fpa_deg": disp}, seed=seed), 0, n)["entry.fpa_deg"]


def assert_mean_var(x, mean, var):
    n = x.size
    m = x.mean()
    # standard error of the mean sqrt(var/n); of the variance sqrt((mu4 - var^2)/n)
    assert abs(m - mean) < 5 * math.sqrt(var / n), (m, mean)
    mu4 = np.mean((x - m) ** 4)
    assert abs(x.var(ddof=1) - var) < 5 * math.sqrt((mu4 - var**2) / n), (x.var(), var)


# --- distributions -------------------------------------------------------------------------


def test_uniforms_open_interval_and_uniform():
    u = uniforms(1971, "t", 0, N, 3)
    assert u.shape == (N, 3)
    assert u.min() > 0.0 and u.max() < 1.0
    for j in range(3):
        assert st.kstest(u[:, j], "uniform").pvalue > 1e-6
    # the three variates of one sample are independent: correlation within 5 SE (1/sqrt(n))
    assert abs(np.corrcoef(u[:, 0], u[:, 1])[0, 1]) < 5 / math.sqrt(N)


def test_normal():
    x = sample({"dist": "normal", "mean": -10.0, "sd": 0.5})
    assert_mean_var(x, -10.0, 0.25)
    assert st.kstest(x, st.norm(-10.0, 0.5).cdf).pvalue > 1e-6


def test_uniform():
    x = sample({"dist": "uniform", "low": 1190.0, "high": 1230.0})
    assert x.min() >= 1190.0 and x.max() <= 1230.0
    assert_mean_var(x, 1210.0, 40.0**2 / 12)
    assert st.kstest(x, st.uniform(1190.0, 40.0).cdf).pvalue > 1e-6


@pytest.mark.parametrize(
    ("mean", "sd", "low", "high"),
    [
        (3.5, 0.3, 3.0, 4.0),  # both cuts near the middle
        (0.0, 1.0, 6.0, 8.0),  # far upper tail: uses the survival-function branch
        (0.0, 1.0, -9.0, -7.0),  # far lower tail
    ],
)
def test_truncnormal(mean, sd, low, high):
    x = sample({"dist": "truncnormal", "mean": mean, "sd": sd, "low": low, "high": high})
    assert x.min() >= low and x.max() <= high
    ref = st.truncnorm((low - mean) / sd, (high - mean) / sd, loc=mean, scale=sd)
    assert_mean_var(x, ref.mean(), ref.var())
    assert st.kstest(x, ref.cdf).pvalue > 1e-6


def test_lognormal():
    x = sample({"dist": "lognormal", "median": 2.0, "sigma_ln": 0.3})
    assert x.min() > 0
    assert_mean_var(np.log(x), math.log(2.0), 0.09)
    assert st.kstest(x, st.lognorm(0.3, scale=2.0).cdf).pvalue > 1e-6


def test_weibull_failure_rates():
    k, lam = 1.5, 3.0e7
    x = draw(plan_for({"x.t_s": {"dist": "weibull", "shape": k, "scale": lam}}), 0, N)["x.t_s"]
    for t in (0.1 * lam, lam, 2 * lam):
        p = 1 - math.exp(-((t / lam) ** k))  # Weibull CDF
        rate = np.mean(x <= t)
        assert abs(rate - p) < 5 * math.sqrt(p * (1 - p) / N)  # 5 binomial SE
    assert st.kstest(x, st.weibull_min(k, scale=lam).cdf).pvalue > 1e-6


def test_bernoulli_rate():
    x = draw(plan_for({"radar.failed": {"dist": "bernoulli", "p": 0.05}}), 0, N)["radar.failed"]
    assert x.dtype == np.bool_
    assert abs(x.mean() - 0.05) < 5 * math.sqrt(0.05 * 0.95 / N)  # 5 binomial SE


def test_correlated_covariance_reproduced():
    cov = [[0.25, 0.3], [0.3, 4.0]]
    d = draw(
        plan_for(
            correlated=[
                {
                    "fields": ["entry.fpa_deg", "entry.heading_deg"],
                    "mean": [-10.0, 90.0],
                    "cov": cov,
                }
            ]
        ),  # fmt: skip
        0,
        N,
    )
    x = np.stack([d["entry.fpa_deg"], d["entry.heading_deg"]])
    c = np.cov(x)
    for i in range(2):
        assert abs(x[i].mean() - [-10.0, 90.0][i]) < 5 * math.sqrt(cov[i][i] / N)
        for j in range(2):
            # SE of a normal sample covariance: sqrt((s_ii s_jj + s_ij^2) / n)
            se = math.sqrt((cov[i][i] * cov[j][j] + cov[i][j] ** 2) / N)
            assert abs(c[i, j] - cov[i][j]) < 5 * se, (i, j, c[i, j])


def test_singular_covariance_is_accepted():
    # perfectly correlated fields: positive semi-definite, not definite (eigen-factor path)
    d = draw(
        plan_for(
            correlated=[
                {
                    "fields": ["entry.fpa_deg", "entry.heading_deg"],
                    "mean": [0.0, 0.0],
                    "cov": [[1.0, 2.0], [2.0, 4.0]],
                }
            ]
        ),  # fmt: skip
        0,
        1000,
    )
    # heading = 2 fpa exactly in theory; rounding of the factor leaves ~1e-15 relative
    np.testing.assert_allclose(d["entry.heading_deg"], 2 * d["entry.fpa_deg"], atol=1e-12)
    assert d["entry.fpa_deg"].std() > 0.5


# --- reproducibility -----------------------------------------------------------------------

ALL = {
    "vehicle.mass_kg": {"dist": "uniform", "low": 1190.0, "high": 1230.0},
    "radar.failed": {"dist": "bernoulli", "p": 0.3},
    "x.t_s": {"dist": "weibull", "shape": 1.5, "scale": 10.0},
}
GROUP = [{"fields": ["entry.fpa_deg", "entry.heading_deg"], "mean": [-10.0, 90.0],
          "cov": [[0.25, 0.01], [0.01, 4.0]]}]  # fmt: skip


def test_any_slice_equals_the_same_samples_drawn_alone():
    plan = plan_for(ALL, GROUP)
    whole = draw(plan, 0, 1000)
    for a, b in [(0, 1), (300, 700), (999, 1000), (17, 18)]:
        part = draw(plan, a, b)
        for name in whole:
            assert whole[name][a:b].tobytes() == part[name].tobytes(), name


def test_draws_of_a_field_do_not_depend_on_other_fields():
    alone = draw(plan_for({"vehicle.mass_kg": ALL["vehicle.mass_kg"]}), 0, 500)
    together = draw(plan_for(ALL, GROUP), 0, 500)
    assert alone["vehicle.mass_kg"].tobytes() == together["vehicle.mass_kg"].tobytes()


def test_seed_changes_the_draws():
    a = draw(plan_for(ALL, seed=1), 0, 100)["vehicle.mass_kg"]
    b = draw(plan_for(ALL, seed=2), 0, 100)["vehicle.mass_kg"]
    assert not np.any(a == b)


def test_fixed_values_reach_the_plan():
    plan = plan_for({}, fixed={"vehicle.mass_kg": 1000.0, "radar.failed": True})
    assert plan.constants["vehicle.mass_kg"] == 1000.0
    assert plan.constants["radar.failed"] is True
    assert plan.constants["entry.fpa_deg"] == -10.0


# --- validation errors ---------------------------------------------------------------------

HEAD = '[campaign]\nmodel = "disp-toy"\nruns = 10\nseed = 1\n'


def load_text(tmp_path, text):
    p = tmp_path / "bad.toml"
    p.write_text(HEAD + text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    msg = str(info.value)
    assert "\n" not in msg and str(p) in msg
    return msg


def test_good_file_loads(tmp_path):
    p = tmp_path / "ok.toml"
    p.write_text(HEAD + '[dispersions."entry.fpa_deg"]\ndist = "normal"\nmean = -10.0\nsd = 0.5\n')
    sc = load_scenario(p)
    assert sc.campaign.chunk_size == 1000
    assert sc.dispersed_fields() == ["entry.fpa_deg"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[dispersions."entry.fpa_deg"]\ndist = "gauss"\nmean = 1.0\n',
         ['dispersions."entry.fpa_deg"', "'gauss' is not accepted", "normal, uniform"]),
        ('[dispersions."entry.fpa_deg"]\ndist = "normal"\nmean = -10.0\nsd = -0.5\n',
         ['dispersions."entry.fpa_deg".sd', "greater than or equal to 0", "-0.5"]),
        ('[dispersions."entry.fpx_deg"]\ndist = "normal"\nmean = -10.0\nsd = 0.5\n',
         ['dispersions."entry.fpx_deg"', "did you mean 'entry.fpa_deg'", "Accepted:"]),
        ('[dispersions."entry.fpa_deg"]\ndist = "normal"\nmean = -10.0\nsigma = 0.5\n',
         ['"entry.fpa_deg".sigma', "unknown key", "dist, mean, sd"]),
        ('[dispersions."radar.failed"]\ndist = "normal"\nmean = 0.0\nsd = 1.0\n',
         ['"radar.failed"', "accepted: bernoulli"]),
        ('[dispersions."vehicle.mass_kg"]\ndist = "bernoulli"\np = 0.5\n',
         ['"vehicle.mass_kg"', "but bernoulli"]),
        ('[dispersions."vehicle.mass_kg"]\ndist = "uniform"\nlow = 2.0\nhigh = 1.0\n',
         ['"vehicle.mass_kg"', "must not exceed"]),
        ('[dispersions."x.t_s"]\ndist = "truncnormal"\nmean = 0.0\nsd = 1.0\nlow = 50.0\n'
         "high = 60.0\n", ['"x.t_s"', "no probability"]),
        ('[dispersions."x.t_s"]\ndist = "bernoulli"\np = 1.5\n', ['"x.t_s".p', "less than"]),
        ('[[correlated]]\nfields = ["entry.fpa_deg", "entry.heading_deg"]\nmean = [0.0, 0.0]\n'
         "cov = [[1.0, 0.5], [0.4, 1.0]]\n", ["correlated[0]", "symmetric"]),
        ('[[correlated]]\nfields = ["entry.fpa_deg", "entry.heading_deg"]\nmean = [0.0, 0.0]\n'
         "cov = [[1.0, 2.0], [2.0, 1.0]]\n", ["correlated[0]", "positive semi-definite"]),
        ('[[correlated]]\nfields = ["entry.fpa_deg", "entry.nope_deg"]\nmean = [0.0, 0.0]\n'
         "cov = [[1.0, 0.0], [0.0, 1.0]]\n", ["correlated[0]", "entry.nope_deg"]),
        ('[fixed]\n"vehicle.mass_kg" = 1.0\n[dispersions."vehicle.mass_kg"]\ndist = "normal"\n'
         "mean = 1.0\nsd = 1.0\n", ["'vehicle.mass_kg' is set twice"]),
        ("[extras]\na = 1\n", ["extras", "unknown key", "campaign, fixed, dispersions"]),
        ("[campaign.more]\na = 1\n", ["campaign.more", "unknown key", "model, runs, seed"]),
    ],
)  # fmt: skip
def test_bad_files_name_the_field(tmp_path, text, expected):
    msg = load_text(tmp_path, text)
    for part in expected:
        assert part in msg, msg


def test_negative_runs_and_unknown_model(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text('[campaign]\nmodel = "disp-toy"\nruns = -3\nseed = 1\n')
    with pytest.raises(ScenarioError, match=r"campaign\.runs: .*greater than or equal to 1"):
        load_scenario(p)
    p.write_text('[campaign]\nmodel = "nope"\nruns = 3\nseed = 1\n')
    with pytest.raises(ScenarioError, match=r"campaign\.model: model 'nope' is not registered"):
        load_scenario(p)


def test_missing_file(tmp_path):
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path / "absent.toml")


def test_field_without_base_value_must_be_set(tmp_path):
    register_model("disp-nobase", _null_model, ["a.b_m"], {})
    p = tmp_path / "s.toml"
    p.write_text('[campaign]\nmodel = "disp-nobase"\nruns = 3\nseed = 1\n')
    with pytest.raises(ScenarioError, match="'a.b_m' .* has no base value"):
        load_scenario(p)

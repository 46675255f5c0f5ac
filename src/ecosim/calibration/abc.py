"""Approximate Bayesian computation: the pieces of adaptive population Monte Carlo ABC.

The algorithm is APMC (Lenormand, Jabot & Deffuant 2013, "Adaptive approximate Bayesian
computation for complex models", Computational Statistics 28: 2777-2796), made for costly
stochastic simulation models and batches of runs:

1. Draw N particles from the prior (here: a Latin hypercube over the uniform bounds),
   simulate them, keep the ``N_a = alpha N`` closest; the tolerance is the largest kept
   distance. Weights are 1.
2. Each further generation draws ``N - N_a`` new particles around the kept ones (pick one
   by weight, perturb it with a normal kernel of twice their weighted covariance, redraw
   outside the prior's bounds), weights each new particle by prior / proposal density,
   simulates them, and keeps the ``N_a`` closest of old and new: the tolerance shrinks.
3. Stop when the share of new particles that beat the previous tolerance falls below
   ``min_acceptance``: further generations would buy little.

With one generation this is plain rejection ABC with a quantile tolerance. Every function
here is pure (inputs in, result out) so that a test can pin it without running the model.
"""

from __future__ import annotations

import numpy as np


def weighted_quantile(values: np.ndarray, q: float | np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """Quantile(s) ``q`` of ``values`` with ``weights``: numpy's weighted quantile (inverted CDF).

    Missing values and particles of weight zero are left out first.
    """
    v = np.asarray(values, dtype=float)
    w = np.ones_like(v) if weights is None else np.asarray(weights, dtype=float)
    keep = np.isfinite(v) & (w > 0)
    if not keep.any():
        return np.full(np.shape(q), np.nan)
    return np.quantile(v[keep], q, weights=w[keep], method="inverted_cdf")


def weighted_cov(theta: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted covariance of particles (rows) with unnormalised weights: ``np.cov(aweights=, ddof=0)``."""
    return np.atleast_2d(np.cov(theta, rowvar=False, aweights=np.asarray(weights, dtype=float), ddof=0))


def proposal_cov(theta: np.ndarray, weights: np.ndarray, bounds: np.ndarray, scale: float = 2.0) -> np.ndarray:
    """The perturbation kernel's covariance: ``scale`` x the weighted covariance of the kept particles.

    A tiny ridge (relative to the prior's width) keeps it positive definite when particles
    coincide in some dimension (integer parameters, or a posterior collapsed on a bound).
    """
    width = bounds[:, 1] - bounds[:, 0]
    return scale * weighted_cov(theta, weights) + np.diag((1e-6 * width) ** 2)


def propose(
    rng: np.random.Generator,
    theta: np.ndarray,
    weights: np.ndarray,
    cov: np.ndarray,
    n: int,
    bounds: np.ndarray,
    max_draws: int = 10_000_000,
) -> tuple[np.ndarray, float]:
    """``n`` new particles: pick a kept particle by weight, perturb it, redraw if outside the bounds.

    Redrawing both the parent and the perturbation makes the proposal density the kernel
    mixture inside the bounds divided by one constant, the chance that a draw falls inside.
    Returns the particles and that chance, estimated from every draw made.
    """
    p = np.asarray(weights, dtype=float) / np.sum(weights)
    chol = np.linalg.cholesky(cov)
    out = np.empty((n, theta.shape[1]))
    got = drawn = inside_total = 0
    while got < n:
        m = max(1_000, 4 * (n - got))
        if drawn + m > max_draws:
            raise RuntimeError("could not propose particles inside the bounds; is the kernel far wider than the prior?")
        parents = rng.choice(len(theta), size=m, p=p)
        cand = theta[parents] + rng.standard_normal((m, theta.shape[1])) @ chol.T
        inside = np.all((cand >= bounds[:, 0]) & (cand <= bounds[:, 1]), axis=1)
        # Every draw counts toward the inside chance; only the first n inside ones are used.
        drawn += m
        inside_total += int(inside.sum())
        take = cand[inside][: n - got]
        out[got : got + len(take)] = take
        got += len(take)
    return out, inside_total / drawn


def importance_weights(
    new: np.ndarray, theta: np.ndarray, weights: np.ndarray, cov: np.ndarray, bounds: np.ndarray, inside: float
) -> np.ndarray:
    """Importance weights prior / proposal of new particles under the uniform prior on ``bounds``.

    The proposal density is the normal-kernel mixture around the kept particles divided by
    ``inside`` (the chance a draw falls inside the bounds). Weights are on the scale where a
    particle drawn from the prior itself has weight 1, so particles of different generations
    can be pooled.
    """
    p = np.asarray(weights, dtype=float) / np.sum(weights)
    k = theta.shape[1]
    inv = np.linalg.inv(cov)
    _, logdet = np.linalg.slogdet(cov)
    diff = new[:, None, :] - theta[None, :, :]
    maha = np.einsum("ijk,kl,ijl->ij", diff, inv, diff)
    log_terms = np.log(p)[None, :] - 0.5 * maha
    top = log_terms.max(axis=1)
    log_mix = top + np.log(np.exp(log_terms - top[:, None]).sum(axis=1)) - 0.5 * (k * np.log(2 * np.pi) + logdet)
    log_volume = float(np.sum(np.log(bounds[:, 1] - bounds[:, 0])))
    return np.exp(np.log(inside) - log_volume - log_mix)


def keep_closest(distances: np.ndarray, n_keep: int) -> np.ndarray:
    """Indices of the ``n_keep`` smallest distances (ties: the earlier particle first)."""
    return np.argsort(distances, kind="stable")[:n_keep]


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of weighted particles."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / (w**2).sum()) if w.sum() > 0 else 0.0

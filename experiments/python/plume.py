"""Smoke-plume trajectories with PhiFlow 2.0.1 (the simulator of Wang, Walters & Yu, ICML 2022).

Run by `gm data plume`; writes OUT/sim_NNN.npy (float32 [T, 2, 64, 64]; channel 0 = x-velocity,
channel 1 = y-velocity, rows = y) and OUT/meta.json. Physics and parameters: docs/experiments.md.
Translation and rotation simulations run together along a batch dimension; scale runs one by one
(grid sizes differ).
"""
import argparse
import collections
import collections.abc
import json
import os
import time

collections.Callable = collections.abc.Callable  # PhiFlow 2.0.1 predates Python 3.10
import numpy as np  # noqa: E402
from phi.flow import *  # noqa: E402,F401,F403
from phi import math  # noqa: E402

STEPS = 310
N = 64


def translation_setups():
    return [dict(inflow=(x, y)) for x in range(8, 57, 8) for y in range(5, 26, 5)]


def rotation_setups():
    centres = [(32, 5), (59, 32), (32, 59), (5, 32)]
    dirs = [(0.0, 0.01), (-0.01, 0.0), (0.0, -0.011), (0.01, 0.0)]
    return [dict(inflow=centres[(k - 1) % 4], buoyancy=tuple(k * d for d in dirs[(k - 1) % 4]), k=k)
            for k in range(1, 37)]


def scale_setups():
    return [dict(factor=float(f)) for f in np.linspace(1, 5, 41)[:38]]


def staggered_frames(velocity, res):
    """[sim, 2, y, x] of the staggered velocity, cropped to res x res."""
    t = velocity.staggered_tensor().numpy('sim,vector,y,x')
    return t[:, :, :res, :res].astype(np.float32)


def run_batched(setups, kind, steps):
    n = len(setups)
    sim = math.batch(sim=n)
    domain = dict(x=N, y=N, bounds=Box[0:N, 0:N])
    centres = math.tensor([s['inflow'] for s in setups], sim, math.channel('vector'))
    inflow = CenteredGrid(Sphere(center=centres, radius=5), extrapolation.BOUNDARY, **domain)
    smoke = CenteredGrid(0, extrapolation.BOUNDARY, **domain)
    velocity = StaggeredGrid(0, extrapolation.ZERO, **domain)
    if kind == 'translation':
        right = CenteredGrid(Box[N // 2:N, 0:N], extrapolation.ZERO, **domain)
        dt = 0.5

        def force(s):
            return s * (0, 0.1) + s * right * (0, 0.1)
    else:
        buoy = math.tensor([s['buoyancy'] for s in setups], sim, math.channel('vector'))
        dt = 1.0

        def force(s):
            return s * buoy
    frames = []
    for _ in range(steps):
        smoke = advect.mac_cormack(smoke, velocity, dt=1) + inflow
        velocity = advect.semi_lagrangian(velocity, velocity, dt=dt) + (force(smoke) @ velocity)
        velocity, _ = fluid.make_incompressible(velocity, (), Solve('auto', 1e-5, 0, x0=None))
        frames.append(staggered_frames(velocity, N))
    return np.stack(frames, axis=1)  # [sim, T, 2, N, N]


def run_scale(setup, steps):
    f = setup['factor']
    res = int(round(N * f))
    domain = dict(x=res, y=res, bounds=Box[0:res, 0:res])
    one = math.batch(sim=1)
    centre = math.tensor([(N // 2 * f, 5 * f)], one, math.channel('vector'))
    inflow = CenteredGrid(Sphere(center=centre, radius=5 * f), extrapolation.BOUNDARY, **domain)
    smoke = CenteredGrid(0, extrapolation.BOUNDARY, **domain)
    velocity = StaggeredGrid(0, extrapolation.ZERO, **domain)
    frames = []
    for _ in range(steps):
        smoke = advect.mac_cormack(smoke, velocity, dt=1) + inflow
        velocity = advect.semi_lagrangian(velocity, velocity, dt=0.5) + (smoke * (0, 0.1 * f) @ velocity)
        velocity, _ = fluid.make_incompressible(velocity, (), Solve('auto', 1e-5, 0, x0=None))
        v = staggered_frames(velocity, res)[0]  # [2, res, res]
        frames.append(downsample(v, N) / f)
    return np.stack(frames)[None]  # [1, T, 2, N, N]


def downsample(v, n):
    """Bilinear resampling of [C, R, R] to [C, n, n] at cell-aligned positions."""
    r = v.shape[-1]
    pos = (np.arange(n) + 0.5) * r / n - 0.5
    lo = np.clip(np.floor(pos).astype(int), 0, r - 2)
    w = np.clip(pos - lo, 0.0, 1.0)
    rows = v[:, lo, :] * (1 - w)[None, :, None] + v[:, lo + 1, :] * w[None, :, None]
    return rows[:, :, lo] * (1 - w)[None, None, :] + rows[:, :, lo + 1] * w[None, None, :]


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--kind', choices=['translation', 'rotation', 'scale'], required=True)
    p.add_argument('--sims', type=int, default=None)
    p.add_argument('--steps', type=int, default=STEPS)
    p.add_argument('--out', required=True)
    a = p.parse_args()
    setups = {'translation': translation_setups, 'rotation': rotation_setups,
              'scale': scale_setups}[a.kind]()
    if a.sims is not None:
        setups = setups[:a.sims]
    os.makedirs(a.out, exist_ok=True)
    start = time.time()
    if a.kind == 'scale':
        data = [run_scale(s, a.steps) for s in setups]
        data = np.concatenate(data)
    else:
        data = run_batched(setups, a.kind, a.steps)
    if a.kind != 'translation':
        data = data[:, 1:]  # the reference keeps frames 1..309 of rotation and scale
    for i, traj in enumerate(data):
        np.save(os.path.join(a.out, 'sim_%03d.npy' % i), np.ascontiguousarray(traj, dtype=np.float32))
    meta = dict(kind=a.kind, steps=a.steps, frames=int(data.shape[1]), setups=setups,
                phiflow='2.0.1', seconds=round(time.time() - start, 1),
                layout='float32 [T, 2, 64, 64]; channel 0 = x-velocity, 1 = y-velocity')
    with open(os.path.join(a.out, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print('%d simulation(s), %d frames each, %.1f s' % (len(data), data.shape[1], time.time() - start))


if __name__ == '__main__':
    main()

"""A physical check of the quarter-turn action on velocity fields (`gm_nn::field`).

Simulates, with plume.py's PhiFlow physics, three smoke plumes that differ only by a rotation of
the set-up: an inflow at (32, 5) with buoyancy (0, 0.01) (rising along +y), the same set-up
turned a quarter counterclockwise in the (x, y) plane (inflow (59, 32), buoyancy (-0.01, 0)) and
turned clockwise (inflow (5, 32), buoyancy (0.01, 0)), and writes frame STEPS of each as
float32 [2, 64, 64] (channel 0 = x-velocity, rows = y) to OUT/{base,ccw,cw}.npy, the fixture of
`nn/tests/turned_inflow.rs`. Run with the PhiFlow 2.0.1 environment of `gm data plume`:

    ~/.cache/gm-cnn-rs/phiflow-2.0.1/bin/python experiments/python/turned_inflow.py \
        --out nn/tests/fixtures/turned-inflow
"""
import argparse
import os

import numpy as np

import plume  # noqa: E402  (experiments/python/plume.py, the physics of `gm data plume`)

STEPS = 20


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--out', required=True)
    p.add_argument('--steps', type=int, default=STEPS)
    a = p.parse_args()
    setups = [dict(inflow=(32, 5), buoyancy=(0.0, 0.01)),
              dict(inflow=(59, 32), buoyancy=(-0.01, 0.0)),
              dict(inflow=(5, 32), buoyancy=(0.01, 0.0))]
    frames = plume.run_batched(setups, 'rotation', a.steps)  # [3, T, 2, 64, 64]
    os.makedirs(a.out, exist_ok=True)
    for name, sim in zip(['base', 'ccw', 'cw'], frames):
        np.save(os.path.join(a.out, name + '.npy'), np.ascontiguousarray(sim[-1], dtype=np.float32))
    print('wrote frame %d of 3 simulations to %s' % (a.steps, a.out))


if __name__ == '__main__':
    main()

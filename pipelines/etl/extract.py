"""extract: writes the raw orders export, raw.csv, to $SLUICE_OUTPUTS.

The data is generated from a fixed seed, so the same params always give the same bytes (and the
same output hash). --corrupt true slips in a few bad rows of the kinds real exports contain, so
that the validate step has something to catch.
"""
import argparse
import csv
import datetime
import random

import sluice_step as step

COLUMNS = ["order_id", "order_date", "customer_id", "region", "product", "quantity", "unit_price"]
REGIONS = ["north", "south", "east", "west"]
PRODUCTS = {"widget": 4.50, "gadget": 19.90, "gizmo": 74.00, "doohickey": 249.00}
FIRST_DAY = datetime.date(2024, 1, 1)
DAYS = 182  # the first half of 2024


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    # defaults: the run's params, typed (rows is an int, corrupt a bool); the command line wins
    parser.add_argument("--rows", type=int, default=step.param("rows", 1000))
    parser.add_argument("--seed", type=int, default=step.param("seed", 42))
    parser.add_argument("--corrupt", type=step.parse_bool, default=step.param("corrupt", False, bool),
                        help="true: inject bad rows")
    args = parser.parse_args()
    if args.rows < 1:
        step.fail(f"--rows must be at least 1, got {args.rows}")
    corrupt = args.corrupt

    rng = random.Random(args.seed)
    rows = [order(rng, i + 1) for i in range(args.rows)]
    injected = inject_bad_rows(rows, rng) if corrupt else 0

    path = step.output("raw.csv")
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(f"extract: wrote {len(rows)} orders to raw.csv (seed {args.seed})")
    if corrupt:
        print(f"extract: corrupt=true, injected {injected} bad rows on purpose")
    step.metrics(rows=len(rows), injected_bad_rows=injected)


def order(rng, order_id):
    product = rng.choice(list(PRODUCTS))
    price = PRODUCTS[product] * rng.uniform(0.9, 1.1)  # list price, give or take a discount
    return [
        str(order_id),
        (FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS))).isoformat(),
        f"C{rng.randrange(1, 301):04d}",
        rng.choice(REGIONS),
        product,
        str(max(1, min(50, int(rng.expovariate(1 / 3)) + 1))),
        f"{price:.2f}",
    ]


# Each kind of damage breaks one rule that validate checks.
DAMAGE = [
    lambda row: row.__setitem__(3, ""),              # null region
    lambda row: row.__setitem__(5, "-3"),            # negative quantity
    lambda row: row.__setitem__(6, "12,50"),         # price with a decimal comma
    lambda row: row.__setitem__(1, "2024-02-30"),    # impossible date
    lambda row: row.__setitem__(5, "5000"),          # quantity out of range
    lambda row: row.__setitem__(4, "sprocket"),      # unknown product
]


def inject_bad_rows(rows, rng):
    count = min(len(rows), max(len(DAMAGE), len(rows) // 100))
    positions = sorted(rng.sample(range(len(rows)), count))
    for n, position in enumerate(positions):
        DAMAGE[n % len(DAMAGE)](rows[position])
    damaged = set(positions)
    intact = [i for i in range(1, len(rows)) if i not in damaged]
    if intact:  # and one order id used twice
        rows[intact[-1]][0] = rows[0][0]
        count += 1
    return count


if __name__ == "__main__":
    main()

"""transform: revenue per month and region, from the validated orders.

Reads $SLUICE_INPUTS/validate/orders.csv and writes revenue.csv with one row per (month, region):
orders, units, revenue and average order value. Money is summed as Decimal, so the totals are
exact and the output is byte-for-byte the same on every run.
"""
import csv
from collections import defaultdict
from decimal import Decimal

import sluice_step as step

CENT = Decimal("0.01")
COLUMNS = ["month", "region", "orders", "units", "revenue", "avg_order_value"]


def main():
    groups = defaultdict(lambda: [0, 0, Decimal(0)])
    orders = 0
    with open(step.input("validate", "orders.csv"), newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            group = groups[(row["order_date"][:7], row["region"])]
            quantity = int(row["quantity"])
            group[0] += 1
            group[1] += quantity
            group[2] += quantity * Decimal(row["unit_price"])
            orders += 1

    total = Decimal(0)
    with open(step.output("revenue.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(COLUMNS)
        for (month, region), (count, units, revenue) in sorted(groups.items()):
            writer.writerow([month, region, count, units, revenue.quantize(CENT),
                             (revenue / count).quantize(CENT)])
            total += revenue
    print(f"transform: {orders} orders -> {len(groups)} rows (month x region) in revenue.csv")
    step.metrics(input_rows=orders, groups=len(groups), revenue_total=float(total.quantize(CENT)))


if __name__ == "__main__":
    main()

"""load: puts the revenue table into a SQLite warehouse file and prints a summary.

Reads $SLUICE_INPUTS/transform/revenue.csv and writes warehouse.sqlite (table given by --table,
created fresh) to $SLUICE_OUTPUTS. The summary is read back from the database, so it also checks
that the load worked. Open the result with: sqlite3 warehouse.sqlite 'select * from revenue'.
"""
import argparse
import csv
import os
import sqlite3

import sluice_step as step


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--table", default=step.param("table", "revenue"))
    args = parser.parse_args()
    if not args.table.isidentifier():
        step.fail(f"--table must be a plain SQL name (letters, digits, _), got {args.table!r}")

    with open(step.input("transform", "revenue.csv"), newline="", encoding="utf-8") as f:
        rows = [(r["month"], r["region"], int(r["orders"]), int(r["units"]),
                 float(r["revenue"]), float(r["avg_order_value"])) for r in csv.DictReader(f)]

    path = step.output("warehouse.sqlite")
    if os.path.exists(path):  # a step may run again: start from nothing
        os.remove(path)
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute(f"""CREATE TABLE {args.table} (
                month TEXT NOT NULL, region TEXT NOT NULL, orders INTEGER NOT NULL,
                units INTEGER NOT NULL, revenue REAL NOT NULL, avg_order_value REAL NOT NULL,
                PRIMARY KEY (month, region))""")
            db.executemany(f"INSERT INTO {args.table} VALUES (?, ?, ?, ?, ?, ?)", rows)
        summary = db.execute(f"""SELECT region, SUM(orders), SUM(units), ROUND(SUM(revenue), 2)
                                 FROM {args.table} GROUP BY region ORDER BY region""").fetchall()
        loaded, months, total = db.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT month), ROUND(SUM(revenue), 2) FROM {args.table}").fetchone()
    finally:
        db.close()

    print(f"load: {loaded} rows into table {args.table} of warehouse.sqlite ({months} months)")
    print(f"{'region':<8} {'orders':>7} {'units':>7} {'revenue':>12}")
    for region, orders, units, revenue in summary:
        print(f"{region:<8} {orders:>7} {units:>7} {revenue:>12.2f}")
    print(f"{'total':<8} {sum(r[1] for r in summary):>7} {sum(r[2] for r in summary):>7} {total:>12.2f}")
    step.metrics(rows_loaded=loaded, months=months, revenue_total=total)


if __name__ == "__main__":
    main()

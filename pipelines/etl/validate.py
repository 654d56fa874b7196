"""validate: the data-quality gate between extract and transform.

Reads $SLUICE_INPUTS/extract/raw.csv and checks the schema (exact header), nulls, types, ranges,
known categories and unique order ids. Every problem is reported with its line; when any row is
bad the step exits 1, so Sluice marks it FAILED and skips transform and load. When the data is
good it writes the rows, typed and sorted by order id, as orders.csv.
"""
import csv
import datetime
import sys

import sluice_step as step

SHOWN = 20  # problems printed in full; the rest are counted
REGIONS = {"north", "south", "east", "west"}
PRODUCTS = {"widget", "gadget", "gizmo", "doohickey"}
FIRST_DAY, LAST_DAY = datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)


def integer(low, high):
    def check(text):
        try:
            value = int(text)
        except ValueError:
            raise ValueError("not an integer") from None
        if not low <= value <= high:
            raise ValueError(f"outside {low}..{high}")
        return value
    return check


def price(text):
    try:
        value = float(text)
    except ValueError:
        raise ValueError("not a number (decimals take a dot)") from None
    if not 0.01 <= value <= 10000:
        raise ValueError("outside 0.01..10000")
    return f"{value:.2f}"


def date(text):
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError("not a valid date (YYYY-MM-DD)") from None
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"outside {FIRST_DAY}..{LAST_DAY}")
    return value.isoformat()


def one_of(allowed):
    def check(text):
        if text not in allowed:
            raise ValueError(f"not one of {', '.join(sorted(allowed))}")
        return text
    return check


def customer(text):
    if len(text) != 5 or text[0] != "C" or not text[1:].isdigit():
        raise ValueError("not of the form C0001")
    return text


SCHEMA = {
    "order_id": integer(1, 10**9),
    "order_date": date,
    "customer_id": customer,
    "region": one_of(REGIONS),
    "product": one_of(PRODUCTS),
    "quantity": integer(1, 100),
    "unit_price": price,
}


def main():
    source = step.input("extract", "raw.csv")
    problems, bad_lines, nulls, good, seen = [], set(), 0, [], {}
    with open(source, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header != list(SCHEMA):
            step.fail(f"raw.csv: unexpected header {header}; expected {list(SCHEMA)}")
        for line, row in enumerate(reader, start=2):
            if len(row) != len(SCHEMA):
                problems.append(f"raw.csv:{line}: {len(row)} fields, expected {len(SCHEMA)}")
                bad_lines.add(line)
                continue
            typed = []
            for (column, check), text in zip(SCHEMA.items(), row):
                if text.strip() == "":
                    nulls += 1
                    problems.append(f"raw.csv:{line}: {column} is empty")
                    bad_lines.add(line)
                    continue
                try:
                    typed.append(check(text))
                except ValueError as e:
                    problems.append(f"raw.csv:{line}: {column} {text!r}: {e}")
                    bad_lines.add(line)
            if line in bad_lines:
                continue
            order_id = typed[0]
            if order_id in seen:
                problems.append(f"raw.csv:{line}: order_id {order_id} already used on line {seen[order_id]}")
                bad_lines.add(line)
                continue
            seen[order_id] = line
            good.append(typed)

    rows = len(good) + len(bad_lines)
    step.metrics(rows=rows, bad_rows=len(bad_lines), null_cells=nulls)
    if problems:
        for problem in problems[:SHOWN]:
            print(problem, file=sys.stderr)
        if len(problems) > SHOWN:
            print(f"... and {len(problems) - SHOWN} more problems", file=sys.stderr)
        step.fail(f"validate: {len(bad_lines)} of {rows} rows are bad ({len(problems)} problems, "
                  "listed above); transform and load will not run on this data")
    if not good:
        step.fail("validate: raw.csv has a header but no rows")

    good.sort(key=lambda r: r[0])
    with open(step.output("orders.csv"), "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(list(SCHEMA))
        writer.writerows(good)
    print(f"validate: all {rows} rows are good; wrote orders.csv")


if __name__ == "__main__":
    main()

"""Deterministic benchmark data: the same seed and size always give the same bytes.

Each data set is a folder under bench/out/data/ with a manifest.json that records its parameters and the row
count per table a correct load must produce (table names after dlt's naming: a list `items` of the root
table `orders` becomes the child table `orders__items`). A folder whose manifest matches is reused.

Usage: python bench/generate.py {p1,p3,p4,p6} SIZE [--seed N] [--out DIR]
Only the standard library is used, so any python3 can run it.
"""
import argparse
import datetime
import json
import os
import random
import shutil
import sys

SEED = 20240601
FILES = 4  # split into several files so that tools can read them in parallel
EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)
CITIES = ["Warsaw", "Berlin", "Lisbon", "Oslo", "Porto", "Gdansk", "Leeds", "Turin"]
STATUSES = ["new", "paid", "shipped", "delivered", "returned"]
CATEGORIES = ["books", "garden", "toys", "music", "tools", "food"]
TAGS = ["gift", "express", "fragile", "bulk", "promo", "repeat"]
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]


def timestamp(seconds):
    return (EPOCH + datetime.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _prepare(out, kind, size, seed):
    folder = os.path.join(out, f"{kind}-{size}-{seed}")
    manifest_path = os.path.join(folder, "manifest.json")
    if os.path.exists(manifest_path):
        with open(manifest_path) as handle:
            manifest = json.load(handle)
        if manifest.get("kind") == kind and manifest.get("size") == size and manifest.get("seed") == seed:
            return folder, manifest
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    return folder, None


def _finish(folder, manifest):
    with open(os.path.join(folder, "manifest.json.tmp"), "w") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
    os.replace(os.path.join(folder, "manifest.json.tmp"), os.path.join(folder, "manifest.json"))
    return folder, manifest


def _split(size):
    """Row ranges of the files: FILES nearly equal parts (fewer files for tiny sizes)."""
    files = max(1, min(FILES, size // 1000))
    bounds = [size * part // files for part in range(files + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def nested_order(rng, order_id):
    """One order: 3 levels of nesting (order → items → discounts), a nested object and a list of scalars."""
    items = []
    for line in range(rng.randint(1, 5)):
        discounts = [{"code": f"D{rng.randint(100, 999)}", "amount": round(rng.random() * 20, 2),
                      "reason": rng.choice(WORDS)} for _ in range(rng.randint(0, 3))]
        items.append({"line": line, "sku": f"SKU-{rng.randint(0, 99999):05d}", "quantity": rng.randint(1, 9),
                      "price": round(rng.random() * 200, 2), "category": rng.choice(CATEGORIES),
                      "discounts": discounts})
    return {
        "id": order_id,
        "created_at": timestamp(order_id * 17),
        "status": rng.choice(STATUSES),
        "paid": rng.random() < 0.8,
        "total": round(sum(item["price"] * item["quantity"] for item in items), 2),
        "customer": {"id": rng.randint(1, 50000), "name": f"{rng.choice(WORDS)} {rng.choice(WORDS)}",
                     "address": {"city": rng.choice(CITIES), "zip": f"{rng.randint(0, 99999):05d}"}},
        "tags": rng.sample(TAGS, rng.randint(0, 3)),
        "items": items,
    }


def generate_p1(out, size, seed):
    """P1: nested JSONL, `size` orders."""
    folder, manifest = _prepare(out, "p1", size, seed)
    if manifest:
        return folder, manifest
    counts = {"orders": 0, "orders__tags": 0, "orders__items": 0, "orders__items__discounts": 0}
    for index, (start, end) in enumerate(_split(size)):
        rng = random.Random(seed * 1000 + index)
        with open(os.path.join(folder, f"orders-{index}.jsonl"), "w") as handle:
            for order_id in range(start, end):
                order = nested_order(rng, order_id)
                counts["orders"] += 1
                counts["orders__tags"] += len(order["tags"])
                counts["orders__items"] += len(order["items"])
                counts["orders__items__discounts"] += sum(len(item["discounts"]) for item in order["items"])
                handle.write(json.dumps(order, separators=(",", ":")))
                handle.write("\n")
    return _finish(folder, {"kind": "p1", "size": size, "seed": seed, "glob": "*.jsonl", "resource": "orders",
                            "tables": {name: count for name, count in counts.items() if count}})


def flat_row(rng, row_id):
    return [row_id, f"{rng.choice(WORDS)}-{row_id}", f"user{row_id}@example.com", f"{rng.random() * 1000:.2f}",
            str(rng.randint(0, 999)), "true" if rng.random() < 0.5 else "false", timestamp(row_id * 3),
            rng.choice(CATEGORIES), f"{rng.choice(WORDS)} {rng.choice(WORDS)} {rng.choice(WORDS)}"]


FLAT_HEADER = ["id", "name", "email", "amount", "quantity", "active", "created_at", "category", "note"]


def _write_csv(path, header, rows):
    with open(path, "w") as handle:
        handle.write(",".join(header) + "\n")
        for row in rows:
            handle.write(",".join(str(value) for value in row))
            handle.write("\n")


def generate_p6(out, size, seed):
    """P6: flat CSV, `size` rows."""
    folder, manifest = _prepare(out, "p6", size, seed)
    if manifest:
        return folder, manifest
    for index, (start, end) in enumerate(_split(size)):
        rng = random.Random(seed * 1000 + index)
        _write_csv(os.path.join(folder, f"rows-{index}.csv"), FLAT_HEADER,
                   (flat_row(rng, row_id) for row_id in range(start, end)))
    return _finish(folder, {"kind": "p6", "size": size, "seed": seed, "glob": "*.csv", "resource": "rows",
                            "tables": {"rows": size}})


MERGE_HEADER = ["id", "name", "amount", "version", "updated_at"]


def generate_p4(out, size, seed):
    """P4: a base load of `size` rows (ids 0..size-1), then a merge load of `size` rows keyed by id: half of them
    update the upper half of the base ids, half are new ids. After the merge the table has 1.5 × size rows; the
    manifest's "merged" says what its columns sum to then, so that a check sees the updates, not only the count."""
    folder, manifest = _prepare(out, "p4", size, seed)
    if manifest and "merged" in manifest:
        return folder, manifest
    shutil.rmtree(folder, ignore_errors=True)  # written by a generator that did not sum the merged table
    os.makedirs(folder)
    first_update = size // 2
    cents = {"base": 0, "merge": 0}  # of the rows the merged table keeps from each part

    def kept(part, rows):
        for row in rows:
            if part == "merge" or row[0] < first_update:
                cents[part] += int(row[2].replace(".", ""))
            yield row

    for part, first_id, version in (("base", 0, 1), ("merge", first_update, 2)):
        os.makedirs(os.path.join(folder, part))
        for index, (start, end) in enumerate(_split(size)):
            rng = random.Random(seed * 1000 + index + version * 100)
            rows = ([first_id + offset, f"{rng.choice(WORDS)}-{first_id + offset}", f"{rng.random() * 1000:.2f}",
                     version, timestamp((first_id + offset) * 5 + version * 86400)] for offset in range(start, end))
            _write_csv(os.path.join(folder, part, f"{part}-{index}.csv"), MERGE_HEADER, kept(part, rows))
    updates = size - size // 2
    return _finish(folder, {"kind": "p4", "size": size, "seed": seed, "glob": "*.csv", "resource": "accounts",
                            "primary_key": "id", "updates": updates, "inserts": size // 2,
                            "tables": {"accounts": size + size // 2},
                            "merged": {"rows at version 2": size, "sum(version)": first_update + 2 * size,
                                       "sum(amount) in cents": cents["base"] + cents["merge"]}})


def rest_record(rng, record_id):
    return {"id": record_id, "name": f"{rng.choice(WORDS)} {rng.choice(WORDS)}", "email": f"user{record_id}@example.com",
            "score": round(rng.random() * 100, 3), "active": rng.random() < 0.7, "updated_at": timestamp(record_id * 11),
            "profile": {"city": rng.choice(CITIES), "age": rng.randint(18, 90), "plan": rng.choice(["free", "pro", "team"])}}


def generate_p3(out, size, seed, page_size=1000):
    """P3: the pages a local REST API serves: `size` records, `page_size` per page, one JSON file per page."""
    folder, manifest = _prepare(out, "p3", size, seed)
    if manifest:
        return folder, manifest
    rng = random.Random(seed)
    pages = max(1, -(-size // page_size))
    for page in range(pages):
        records = [rest_record(rng, record_id) for record_id in range(page * page_size, min(size, (page + 1) * page_size))]
        body = {"data": records, "page": page, "total_pages": pages,
                "next": f"/records?page={page + 1}" if page + 1 < pages else None}
        with open(os.path.join(folder, f"page-{page}.json"), "w") as handle:
            json.dump(body, handle, separators=(",", ":"))
    return _finish(folder, {"kind": "p3", "size": size, "seed": seed, "pages": pages, "page_size": page_size,
                            "resource": "records", "tables": {"records": size}})


GENERATORS = {"p1": generate_p1, "p3": generate_p3, "p4": generate_p4, "p6": generate_p6}


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=sorted(GENERATORS))
    parser.add_argument("size", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out", "data"))
    args = parser.parse_args(argv)
    folder, manifest = GENERATORS[args.kind](args.out, args.size, args.seed)
    print(folder)
    print(json.dumps(manifest["tables"]))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Writes the demo's sample data, deterministically (seeded): python3 deploy/samples/generate.py"""
import json
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

here = Path(__file__).parent
rng = random.Random(20261126)
countries = ["PL", "DE", "FR", "US", "GB", "ES", "IT", "NL", "SE", "JP"]
plans = ["free", "team", "business", "enterprise"]

with open(here / "customers.csv", "w") as out:
    out.write("Customer ID,Full Name,Country,Plan,Monthly Spend,Active,Signed Up At\n")
    start = datetime(2023, 1, 1, tzinfo=timezone.utc)
    for i in range(1, 5001):
        signed = start + timedelta(minutes=rng.randrange(0, 900 * 24 * 60))
        name = f"Customer {i:05d}" if i % 97 else f'"Quoted, Name" {i}'
        name = '"' + name.replace('"', '""') + '"' if ("," in name or '"' in name) else name
        spend = "" if i % 53 == 0 else f"{rng.uniform(0, 5000):.2f}"
        out.write(f"{i},{name},{rng.choice(countries)},{rng.choice(plans)},{spend},"
                  f"{'true' if rng.random() < 0.8 else 'false'},{signed.isoformat().replace('+00:00', 'Z')}\n")

kinds = ["page_view", "click", "signup", "purchase", "logout"]
start = datetime(2024, 6, 1, tzinfo=timezone.utc)
for day in range(3):
    with open(here / "events" / f"2024-06-0{day + 1}.jsonl", "w") as out:
        for n in range(6000):
            at = start + timedelta(days=day, seconds=n * 8 + rng.randrange(0, 8))
            event = {
                "eventId": day * 6000 + n + 1,
                "type": rng.choice(kinds),
                "customerId": rng.randrange(1, 5001),
                "occurredAt": at.isoformat().replace("+00:00", "Z"),
                "durationMs": rng.randrange(5, 60000),
                "amount": round(rng.uniform(1, 500), 2) if rng.random() < 0.2 else None,
                "isMobile": rng.random() < 0.55,
                "page": {"path": f"/p/{rng.randrange(1, 200)}", "referrer": rng.choice([None, "search", "ads", "mail"])},
                "tags": rng.sample(["new", "returning", "promo", "beta", "vip"], k=rng.randrange(0, 3)),
            }
            if day == 2 and n % 10 == 0:
                event["campaign"] = rng.choice(["spring", "summer", "autumn"])
            out.write(json.dumps(event) + "\n")

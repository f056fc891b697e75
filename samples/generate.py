"""Random but consistent sample reports: every identity of checks.md holds unless a defect is planted."""

from __future__ import annotations

import random
from datetime import date

from parsers.schema import REQUEST_COLUMNS, REVIEW_COLUMNS, REVIEW_ROWS, rows_of
from samples.model import SampleReport, SampleTemplate, SampleValue

APPLICANTS = [column.key for column in REQUEST_COLUMNS if column.key != "total"]
# Weights of how a request ends: most are granted, a few each of the other results.
_RESULT_WEIGHT = {"granted": 8, "partially_granted": 2, "unavailable.not_held": 3, "not_processed.duplicate": 1}
_APPLICANT_SCALE = {"natural_person": 6, "commercial": 2, "research": 0.3, "public_interest": 0.3,
                    "legal_services": 0.6, "other": 0.5}
DEFECTS = ("row_total", "balance", "results_total", "review_total")


def _small(rng: random.Random, scale: float) -> int:
    """A skewed count: often 0, sometimes a few, rarely many."""
    if scale <= 0 or rng.random() < 0.45:
        return 0
    return int(rng.expovariate(1 / scale))


def _requests(rng: random.Random, template: str, values: dict[str, SampleValue]) -> None:
    result_rows = [row.key for row in rows_of("requests", template)
                   if row.key not in ("received", "carried_over", "results_total", "carried_forward")]
    weights = [_RESULT_WEIGHT.get(key, 0.15) for key in result_rows]
    for column in APPLICANTS:
        received = _small(rng, _APPLICANT_SCALE[column])
        carried_over = _small(rng, _APPLICANT_SCALE[column] / 4)
        carried_forward = rng.randint(0, min(2, received + carried_over)) if rng.random() < 0.3 else 0
        counts = dict.fromkeys(result_rows, 0)
        for _ in range(received + carried_over - carried_forward):
            counts[rng.choices(result_rows, weights)[0]] += 1
        values[f"requests.received.{column}"] = received
        values[f"requests.carried_over.{column}"] = carried_over
        values[f"requests.carried_forward.{column}"] = carried_forward
        for row, count in counts.items():
            values[f"requests.{row}.{column}"] = count
        values[f"requests.results_total.{column}"] = sum(counts.values())
    for template_row in rows_of("requests", template):
        key = template_row.key
        values[f"requests.{key}.total"] = sum(int(values[f"requests.{key}.{c}"] or 0) for c in APPLICANTS)


def _reviews(rng: random.Random, values: dict[str, SampleValue]) -> None:
    for row in REVIEW_ROWS:
        parts = [_small(rng, 1.5) for _ in REVIEW_COLUMNS[:-1]]
        for column, count in zip(REVIEW_COLUMNS[:-1], parts, strict=True):
            values[f"reviews.{row.key}.{column.key}"] = count
        values[f"reviews.{row.key}.total"] = sum(parts)


def _active(rng: random.Random, template: str, values: dict[str, SampleValue]) -> None:
    for row in rows_of("active", template):
        for column in row.columns:
            key = f"active.{row.key}.{column.key}"
            if column.money:
                values[key] = round(rng.uniform(0, 80), 2) if rng.random() < 0.5 else 0
            elif column.signed:
                values[key] = rng.randint(-5, 8)
            elif column.key in ("in_force", "total_published", "prev_year_items"):
                values[key] = rng.randint(0, 60)
            elif row.key == "regulations":
                values[key] = 0
            else:
                values[key] = _small(rng, 40 if column.key == "decisions" else 4)


def plant_defect(report: SampleReport, defect: str) -> None:
    """Break one identity on purpose (row_total, balance, results_total, review_total)."""
    values = report.values
    if defect == "row_total":
        key = "requests.granted.total"
    elif defect == "balance":
        key = "requests.carried_forward.natural_person"
        values["requests.carried_forward.total"] = int(values["requests.carried_forward.total"] or 0) + 1
    elif defect == "results_total":
        key = "requests.results_total.commercial"
        values["requests.results_total.total"] = int(values["requests.results_total.total"] or 0) + 1
    elif defect == "review_total":
        key = "reviews.review.total"
    else:
        raise ValueError(f"unknown defect {defect!r}; one of {', '.join(DEFECTS)}")
    values[key] = int(values[key] or 0) + 1
    report.defects.append(defect)


def random_report(rng: random.Random, agency: str, year: int, template: SampleTemplate,
                  consistent: bool = True) -> SampleReport:
    """A report of `template` whose values satisfy every identity, or break one when consistent=False."""
    values: dict[str, SampleValue] = {}
    _active(rng, template, values)
    _requests(rng, template, values)
    _reviews(rng, values)
    report = SampleReport(
        agency=agency, year=year, template=template, values=values,
        published_on=date(year + 1, 1, rng.randint(10, 31)),
        stated_received=int(values["requests.received.total"] or 0),
    )
    if not consistent:
        plant_defect(report, rng.choice(DEFECTS))
    return report

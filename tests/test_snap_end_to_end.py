"""Play Snap! end to end: three chairs snap their case lists (with lead agencies), the analyst combines them into
the landscape workbook, and `build` reports the contradictory plans and the bouncing case planted in them — with no
raw identifier, name or note in any file written or any line printed."""

from __future__ import annotations

import csv
import json
import shutil

from click.testing import CliRunner

from mcn_map.cli import cli
from test_privacy_support import leaks, spaced, synthetic_nhs
from workbooks import sheets, write_xlsx

NHS = synthetic_nhs(30, start=9300)
SHARED = NHS[:10]  # discussed at all three meetings within two months, under three different lead agencies
NAMES = ["Perpetua Snodgrass", "Ignatius Wimbleby"]
NOTE = "Disclosed at home visit"


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return result


def area_workbook(path):
    data = {k: v for k, v in sheets().items() if k != "cohorts"}
    for forum, name in (("vip", "VIP panel"), ("dual-dx", "Dual Diagnosis Panel")):
        data["forums"].append([forum, name, "operational", "vulnerability", "police", "monthly", "active", "",
                               "2026-10-20", "representative", "Northtown"])
        data["members"].append([forum, "police", "chair", "service manager", f"{name} chair", 10, 9])
        data["members"].append([forum, "mh-trust", "member", "practitioner", f"{name} nurse", 10, 8])
    return write_xlsx(path, data)


def chairs_lists(folder):
    """MARAC's list as CSV; VIP's and Dual Diagnosis's as workbooks, each with the headers that chair uses."""
    with open(folder / "marac.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["NHS No.", "Name", "Date discussed", "Lead agency", "Notes"])
        for i, number in enumerate(SHARED + NHS[10:15]):
            writer.writerow([number, NAMES[i % 2], "03/09/2026", "police", NOTE])
    write_xlsx(folder / "vip.xlsx", {"September": [["NHS Number", "Client name", "Meeting date", "Lead"]]
                                     + [[spaced(n), NAMES[0], "2026-09-24", "council"] for n in SHARED]
                                     # Its own people led by the police: VIP's leads vary, so a lead differing
                                     # from MARAC's is evidence, not just each list naming itself.
                                     + [[n, NAMES[1], "2026-09-24", "police"] for n in NHS[15:20]]})
    write_xlsx(folder / "dual-dx.xlsx", {
        "October": [["NHS_NO", "DOB", "Date discussed", "Lead agency"]]
        + [[spaced(n, "-"), "1979-04-01", "2026-10-14", "mh-trust"] for n in SHARED],
        "Notes": [["Anything else"], [NOTE]]})


def test_three_chairs_snap_the_analyst_combines_and_build_finds_the_planted_risks(tmp_path):
    chairs, shared, analyst = (tmp_path / d for d in ("chairs", "shared", "analyst"))
    for folder in (chairs, shared, analyst):
        folder.mkdir()
    key = chairs / "area.key"
    printed = [run("keygen", key).output]
    area = area_workbook(analyst / "area.xlsx")
    chairs_lists(chairs)
    for forum, case_list, out in (("marac", "marac.csv", "marac-snap.csv"), ("vip", "vip.xlsx", "vip-snap.xlsx"),
                                  ("dual-dx", "dual-dx.xlsx", "dual-dx-snap.xlsx")):
        result = run("snap", chairs / case_list, "--forum", forum, "--key-file", key, "--landscape", area,
                     "-o", shared / out)
        assert "Key fingerprint:" in result.output and "Columns dropped, not shared:" in result.output
        printed.append(result.output)

    before = area.read_bytes()
    combined = analyst / "area-with-cohorts.xlsx"
    printed.append(run("snap", "--combine", *sorted(shared.iterdir()), "--into", area, "-o", combined).output)
    assert area.read_bytes() == before and "the same on every list" in printed[-1]

    outdir = analyst / "outputs"
    printed.append(run("build", combined, "-o", outdir, "--quiet").output)  # no key: the lists are already keyed
    document = json.loads((outdir / "findings.json").read_text(encoding="utf-8"))
    found = {(f["rule"], tuple(f["subjects"])): f for f in document["findings"]}
    # The three lists share the same people, so the pairs are one overlap cluster, each pair in its evidence.
    pairs = {tuple(p["forums"]): p for p in found[("overlap_cluster", ("marac", "vip", "dual-dx"))]["evidence"]["pairs"]}
    assert pairs[("marac", "vip")]["different_leads"] == "10"
    cluster = found[("overlap_cluster", ("marac", "vip", "dual-dx"))]
    (bouncing,) = [f for f in cluster["evidence"]["facets"] if f["rule"] == "bouncing_cases"]  # the same people
    assert bouncing["severity"] == "high" and bouncing["evidence"]["people"] == "10"
    report = (outdir / "report.html").read_text(encoding="utf-8")
    # The bouncing cases are the cluster's people: told by the cluster, their figures in its evidence (above).
    assert "These 3 forums discuss many of the same people" in report and "contradictory action plans" in report

    # Nothing raw anywhere the analyst or a chair could send on: snapped files, the workbook, every output, the console.
    shutil.copy(combined, outdir / "combined-copy.xlsx")
    forbidden = [form for n in NHS for form in (n, spaced(n), spaced(n, "-"))] + NAMES + [NOTE, "1979-04-01",
                                                                                          key.read_text().strip()]
    assert leaks(shared, forbidden) == []
    assert leaks(outdir, forbidden) == []
    console = "\n".join(printed)
    assert [value for value in forbidden if value in console] == []

"""The geo command as a user meets it: one clear line on bad input, never a traceback."""

from click.testing import CliRunner

from omgevingsgeo.cli import main


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_unknown_layer_names_the_known_ones(tmp_path):
    r = run("build", "wegen", "--store", str(tmp_path / "s.gpkg"))
    assert r.exit_code == 1
    assert "unknown layer 'wegen'; known layers: gemeentegebied, pand" in r.output
    assert "Traceback" not in r.output


def test_missing_source_is_one_line(tmp_path):
    r = run("build", "--data", str(tmp_path), "--store", str(tmp_path / "s.gpkg"))
    assert r.exit_code == 1
    last = r.output.strip().splitlines()[-1]
    assert last.startswith("Error: source 'gemeentegrenzen'") and last.endswith("not found")
    assert "Traceback" not in r.output


def test_info_without_store(tmp_path):
    r = run("info", "--store", str(tmp_path / "none.gpkg"))
    assert r.exit_code == 1 and "no store yet; run 'geo build'" in r.output


def test_serve_without_store(tmp_path):
    r = run("serve", "--store", str(tmp_path / "none.gpkg"))
    assert r.exit_code == 1 and "run 'geo build' first" in r.output


def test_serve_with_malformed_coordinate_decimals_names_the_variable(tmp_path):
    r = CliRunner().invoke(main, ["serve", "--store", str(tmp_path / "none.gpkg")],
                           env={"GEO_COORDINATE_DECIMALS": "EPSG:28992=mm"})
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert r.output.strip().splitlines()[-1].startswith("Error: GEO_COORDINATE_DECIMALS: 'EPSG:28992=mm' is not")


def test_bad_source_option():
    r = run("build", "--source", "bag")
    assert r.exit_code == 2 and "expected KEY=PATH" in r.output


def test_info_lists_layers_and_details(store):
    r = run("info", "--store", str(store))
    assert r.exit_code == 0
    for name in ("gemeentegebied", "pand", "verblijfsobject", "natura2000_gebied"):
        assert name in r.output
    r = run("info", "pand", "--store", str(store))
    assert r.exit_code == 0 and "source bag:" in r.output and "public fields" in r.output


def test_build_with_a_real_lvbag_extract_for_another_municipality(data_dir, tmp_path):
    import shutil

    from helpers.paths import TESTDATA

    lvbag = tmp_path / "lvbag"
    shutil.copytree(TESTDATA / "lvbag", lvbag)
    # Assen's boundary comes from CBS' national file, but the shipped Natura 2000 file covers NHN only: the build
    # says so in one line naming that file, and writes nothing
    r = run("build", "--gemeente", "GM0106", "--data", str(data_dir), "--store", str(tmp_path / "s.gpkg"),
            "--source", f"bag={lvbag}")
    assert r.exit_code == 1 and "natura2000_nhn_rd.gpkg" in r.output and "nothing published" in r.output
    assert not (tmp_path / "s.gpkg").exists()

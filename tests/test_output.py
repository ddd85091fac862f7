"""labtui.az.output prints exactly what az (knack 0.11 / tabulate 0.8.9) prints.

Every expected string here was produced by running knack's own formatters
(with azure-cli's yaml formatter) on the same data.
"""

from collections import OrderedDict

import pytest

from labtui.az.output import (
    OUTPUT_FORMATS,
    QUERY_REFERENCE,
    QueryError,
    QueryRuntimeError,
    TableOutputError,
    compile_query,
    render,
)

VM_ID = "/subscriptions/0000/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachines/"


def make_vm1():
    return {
        "id": VM_ID + "vm1",
        "name": "vm1",
        "type": "Microsoft.Compute/virtualMachines",
        "location": "eastus",
        "resourceGroup": "rg1",
        "powerState": "VM running",
        "hardwareProfile": {"vmSize": "Standard_B1s"},
        "tags": {"env": "dev"},
        "zones": ["1"],
        "priority": None,
        "osDiskSizeGb": 30,
        "ultraSsdEnabled": False,
    }


def make_vm2():
    return dict(
        make_vm1(),
        id=VM_ID + "web-02",
        name="web-02",
        powerState="VM deallocated",
        location="westeurope",
        tags={},
        zones=[],
        priority="Spot",
        ultraSsdEnabled=True,
    )


@pytest.fixture
def vm():
    return make_vm1()


@pytest.fixture
def vms():
    return [make_vm1(), make_vm2()]


# ----------------------------------------------------------------------------- json


def test_json_single_dict_sorted_indent_2(vm):
    assert render(vm, "json") == (
        "{\n"
        '  "hardwareProfile": {\n'
        '    "vmSize": "Standard_B1s"\n'
        "  },\n"
        f'  "id": "{VM_ID}vm1",\n'
        '  "location": "eastus",\n'
        '  "name": "vm1",\n'
        '  "osDiskSizeGb": 30,\n'
        '  "powerState": "VM running",\n'
        '  "priority": null,\n'
        '  "resourceGroup": "rg1",\n'
        '  "tags": {\n'
        '    "env": "dev"\n'
        "  },\n"
        '  "type": "Microsoft.Compute/virtualMachines",\n'
        '  "ultraSsdEnabled": false,\n'
        '  "zones": [\n'
        '    "1"\n'
        "  ]\n"
        "}\n"
    )


def test_json_list_with_empty_containers(vms):
    out = render(vms, "json")
    assert out.startswith('[\n  {\n    "hardwareProfile": {\n      "vmSize": "Standard_B1s"\n    },\n')
    assert '    "tags": {},\n' in out
    assert out.endswith('    "ultraSsdEnabled": true,\n    "zones": []\n  }\n]\n')


def test_json_default_format_is_json(vm):
    assert render(vm) == render(vm, "json")


def test_json_query_projection(vms):
    assert render(vms, "json", "[].name") == '[\n  "vm1",\n  "web-02"\n]\n'


def test_json_query_filter(vms):
    assert render(vms, "json", "[?powerState=='VM running'].name") == '[\n  "vm1"\n]\n'


def test_json_scalar_query(vm):
    assert render(vm, "json", "name") == '"vm1"\n'


def test_json_multiselect_hash_is_still_key_sorted(vms):
    assert render(vms, "json", "[].{RG: resourceGroup, Name: name}") == (
        '[\n  {\n    "Name": "vm1",\n    "RG": "rg1"\n  },\n'
        '  {\n    "Name": "web-02",\n    "RG": "rg1"\n  }\n]\n'
    )


def test_json_empty_list():
    assert render([], "json") == "[]\n"


def test_json_non_ascii_is_not_escaped():
    assert render({"contents": "生活很糟糕", "e": "é"}, "json") == (
        '{\n  "contents": "生活很糟糕",\n  "e": "é"\n}\n'
    )


def test_json_floats_and_big_ints_match_pythons_json():
    # orjson would print 0.00001 / 1e16 and refuse the 70-bit integer.
    data = {"a": 1e-05, "b": 1e16, "c": 2**70, "d": 1.5, "e": -0.0}
    assert render(data, "json") == (
        '{\n  "a": 1e-05,\n  "b": 1e+16,\n  "c": 1180591620717411303424,\n'
        '  "d": 1.5,\n  "e": -0.0\n}\n'
    )


def test_jsonc_without_colour_is_json(vm):
    assert render(vm, "jsonc") == render(vm, "json")
    assert render(vm, "yamlc") == render(vm, "yaml")


def test_jsonc_colour_matches_pygments_terminal_formatter():
    small = {"name": "vm1", "ok": True, "size": 2, "zones": ["1"]}
    ws, reset = "\x1b[37m", "\x1b[39;49;00m"
    nl = f"{ws}{reset}\n"
    assert render(small, "jsonc", color=True) == (
        f"{{{nl}"
        f"{ws}  {reset}\x1b[94m\"name\"{reset}:{ws} {reset}\x1b[33m\"vm1\"{reset},{nl}"
        f"{ws}  {reset}\x1b[94m\"ok\"{reset}:{ws} {reset}\x1b[34mtrue{reset},{nl}"
        f"{ws}  {reset}\x1b[94m\"size\"{reset}:{ws} {reset}\x1b[34m2{reset},{nl}"
        f"{ws}  {reset}\x1b[94m\"zones\"{reset}:{ws} {reset}[{nl}"
        f"{ws}    {reset}\x1b[33m\"1\"{reset}{nl}"
        f"{ws}  {reset}]{nl}"
        f"}}{nl}"
    )


# ----------------------------------------------------------------------------- yaml


def test_yaml_single_dict(vm):
    assert render(vm, "yaml") == (
        "hardwareProfile:\n"
        "  vmSize: Standard_B1s\n"
        f"id: {VM_ID}vm1\n"
        "location: eastus\n"
        "name: vm1\n"
        "osDiskSizeGb: 30\n"
        "powerState: VM running\n"
        "priority: null\n"
        "resourceGroup: rg1\n"
        "tags:\n"
        "  env: dev\n"
        "type: Microsoft.Compute/virtualMachines\n"
        "ultraSsdEnabled: false\n"
        "zones:\n"
        "- '1'\n"
    )


def test_yaml_list_and_query(vms):
    assert render(vms, "yaml", "[].name") == "- vm1\n- web-02\n"
    # a multiselect hash builds OrderedDicts: az falls back to a json round trip
    assert render(vms, "yaml", "[].{rg: resourceGroup, name: name}") == (
        "- name: vm1\n  rg: rg1\n- name: web-02\n  rg: rg1\n"
    )
    assert render([], "yaml") == "[]\n"


def test_yaml_scalar_has_document_end_marker(vm):
    assert render(vm, "yaml", "name") == "vm1\n...\n"


def test_yaml_escapes_non_ascii():
    # azure-cli's safe_dump does not pass allow_unicode
    assert render({"u": "é"}, "yaml") == 'u: "\\xE9"\n'


def test_yaml_shared_objects_get_no_anchors_but_query_repeats_do():
    profile = {"vmSize": "Standard_B1s"}
    shared = [{"name": "a", "hardwareProfile": profile}, {"name": "b", "hardwareProfile": profile}]
    assert "&id001" not in render(shared, "yaml")
    assert render(make_vm1(), "yaml", "[hardwareProfile, hardwareProfile]") == (
        "- &id001\n  vmSize: Standard_B1s\n- *id001\n"
    )


def test_yamlc_colour():
    small = {"name": "vm1", "ok": True, "size": 2, "zones": ["1"]}
    ws, reset, tag, s = "\x1b[37m", "\x1b[39;49;00m", "\x1b[94m", "\x1b[33m"
    nl = f"{ws}{reset}\n"
    assert render(small, "yamlc", color=True) == (
        f"{tag}name{reset}:{ws} {reset}vm1{nl}"
        f"{tag}ok{reset}:{ws} {reset}true{nl}"
        f"{tag}size{reset}:{ws} {reset}2{nl}"
        f"{tag}zones{reset}:{nl}"
        f"-{ws} {reset}{s}'{reset}{s}1{reset}{s}'{reset}{nl}"
    )


# ----------------------------------------------------------------------------- tsv


def test_tsv_dict_values_in_key_order_with_nested_and_null(vm):
    # hardwareProfile (dict) -> '', id, location, name, 30, powerState,
    # priority None -> 'None', resourceGroup, tags (dict) -> '', type,
    # False -> 'False', zones (list of 1) -> '1'
    assert render(vm, "tsv") == (
        f"\t{VM_ID}vm1\teastus\tvm1\t30\tVM running\tNone\trg1\t\t"
        "Microsoft.Compute/virtualMachines\tFalse\t1\n"
    )


def test_tsv_one_line_per_list_item(vms):
    assert render(vms, "tsv") == (
        f"\t{VM_ID}vm1\teastus\tvm1\t30\tVM running\tNone\trg1\t\t"
        "Microsoft.Compute/virtualMachines\tFalse\t1\n"
        f"\t{VM_ID}web-02\twesteurope\tweb-02\t30\tVM deallocated\tSpot\trg1\t\t"
        "Microsoft.Compute/virtualMachines\tTrue\t0\n"
    )


def test_tsv_queries(vms, vm):
    assert render(vms, "tsv", "[].name") == "vm1\nweb-02\n"
    assert render(vms, "tsv", "[?powerState=='VM running'].name") == "vm1\n"
    assert render(vm, "tsv", "name") == "vm1\n"
    assert render(vm, "tsv", "osDiskSizeGb") == "30\n"


def test_tsv_booleans_lower_case_only_at_top_level(vm, vms):
    assert render(vm, "tsv", "ultraSsdEnabled") == "false\n"
    assert render(vms, "tsv", "[].ultraSsdEnabled") == "false\ntrue\n"
    assert render(vms, "tsv", "[].[name, priority, ultraSsdEnabled, zones, tags]") == (
        "vm1\tNone\tFalse\t1\t\nweb-02\tSpot\tTrue\t0\t\n"
    )


def test_tsv_multiselect_hash_keeps_query_order(vms):
    assert render(vms, "tsv", "[].{z: name, a: location}") == "vm1\teastus\nweb-02\twesteurope\n"
    # a plain dict is sorted
    assert render({"B": 1, "A": 2}, "tsv") == "2\t1\n"
    assert render(OrderedDict([("B", 1), ("A", 2)]), "tsv") == "1\t2\n"


def test_tsv_empty_list_prints_nothing():
    assert render([], "tsv") == ""


# ----------------------------------------------------------------------------- table


def test_table_single_dict_is_one_row(vm):
    # id/type/etag and nested or null values are dropped, keys sorted,
    # headers capitalised, each column at least header + 2 wide.
    assert render(vm, "table") == (
        "Location    Name    OsDiskSizeGb    PowerState    ResourceGroup    UltraSsdEnabled\n"
        "----------  ------  --------------  ------------  ---------------  -----------------\n"
        "eastus      vm1     30              VM running    rg1              False\n"
    )


def test_table_list_columns_in_first_seen_order(vms):
    # Priority is None for vm1, so it first appears on the second row.
    assert render(vms, "table") == (
        "Location    Name    OsDiskSizeGb    PowerState      ResourceGroup    UltraSsdEnabled    Priority\n"
        "----------  ------  --------------  --------------  ---------------  -----------------  ----------\n"
        "eastus      vm1     30              VM running      rg1              False\n"
        "westeurope  web-02  30              VM deallocated  rg1              True               Spot\n"
    )


def test_table_query_scalars_become_result_column(vms, vm):
    assert render(vms, "table", "[].name") == "Result\n--------\nvm1\nweb-02\n"
    assert render(vms, "table", "[?powerState=='VM running'].name") == "Result\n--------\nvm1\n"
    assert render(vm, "table", "name") == "Result\n--------\nvm1\n"


def test_table_query_keeps_hash_order_and_drops_lists(vms):
    assert render(vms, "table", "[].{Name:name, State:powerState, Zones:zones}") == (
        "Name    State\n"
        "------  --------------\n"
        "vm1     VM running\n"
        "web-02  VM deallocated\n"
    )


def test_table_query_lists_become_numbered_columns(vms):
    assert render(vms, "table", "[].[name, ultraSsdEnabled, priority]") == (
        "Column1    Column2    Column3\n"
        "---------  ---------  ---------\n"
        "vm1        False\n"
        "web-02     True       Spot\n"
    )


TRANSFORMER = "[].{VM:name, Size:hardwareProfile.vmSize}"


def test_table_transformer_used_without_query(vms):
    expected = (
        "VM      Size\n"
        "------  ------------\n"
        "vm1     Standard_B1s\n"
        "web-02  Standard_B1s\n"
    )
    assert render(vms, "table", table_transformer=TRANSFORMER) == expected

    def transform(result):
        return [OrderedDict([("VM", r["name"]), ("Size", r["hardwareProfile"]["vmSize"])]) for r in result]

    assert render(vms, "table", table_transformer=transform) == expected


def test_table_query_wins_over_transformer(vms):
    assert render(vms, "table", "[].{Name:name, Loc:location}", table_transformer=TRANSFORMER) == (
        "Name    Loc\n"
        "------  ----------\n"
        "vm1     eastus\n"
        "web-02  westeurope\n"
    )
    # with a query the raw dicts keep their own key order (no sorting)
    assert render(vms, "table", "[]", table_transformer=TRANSFORMER) == (
        "Name    Location    ResourceGroup    PowerState      OsDiskSizeGb    UltraSsdEnabled    Priority\n"
        "------  ----------  ---------------  --------------  --------------  -----------------  ----------\n"
        "vm1     eastus      rg1              VM running      30              False\n"
        "web-02  westeurope  rg1              VM deallocated  30              True               Spot\n"
    )


def test_table_transformer_ignored_for_other_formats(vms):
    assert render(vms, "tsv", "[].name", table_transformer=TRANSFORMER) == "vm1\nweb-02\n"
    assert render(vms, "json", table_transformer=TRANSFORMER) == render(vms, "json")


def test_table_empty_list_is_a_blank_line():
    # knack: tabulate is skipped for no rows and "" + "\n" is returned
    assert render([], "table") == "\n"


def test_table_wide_characters_and_multiline_cells():
    assert render([{"n": "中文"}, {"n": "a"}], "table") == "N\n----\n中文\na\n"
    assert render([{"n": "a\nbb", "m": "x"}], "table") == "M    N\n---  ---\nx    a\n     bb\n"


def test_table_failure_is_table_output_unavailable(vms):
    def broken(_):
        raise KeyError("x")

    with pytest.raises(TableOutputError) as info:
        render(vms, "table", table_transformer=broken)
    assert str(info.value) == (
        "Table output unavailable. Use the --query option to specify an appropriate "
        "query. Use --debug for more info."
    )
    assert info.value.exit_code == 1


# ----------------------------------------------------------------------------- none / None


@pytest.mark.parametrize("fmt", OUTPUT_FORMATS)
def test_none_result_prints_nothing(fmt, vm):
    assert render(None, fmt) == ""
    assert render(vm, fmt, "missingProperty") == ""
    assert render(vm, fmt, "priority", color=True) == ""


def test_none_format_prints_nothing_but_still_queries(vm):
    assert render(vm, "none") == ""
    with pytest.raises(QueryRuntimeError):
        render(vm, "none", "length(missing)")


def test_falsy_results_are_still_printed():
    assert render([], "json") == "[]\n"
    assert render(False, "json") == "false\n"
    assert render(0, "tsv") == "0\n"
    assert render("", "tsv") == "\n"


def test_output_name_is_case_insensitive(vm):
    assert render(vm, "JSON") == render(vm, "json")
    with pytest.raises(ValueError):
        render(vm, "xml")


# ----------------------------------------------------------------------------- query errors


def test_bad_query_raises_argparse_style_error(vm):
    with pytest.raises(QueryError) as info:
        render(vm, "json", "[?name=='")
    # argparse formats the value with repr(): double quotes when it holds a '
    assert str(info.value) == "argument --query: invalid jmespath_type value: \"[?name=='\""
    assert info.value.exit_code == 2
    assert info.value.recommendation == QUERY_REFERENCE
    assert QUERY_REFERENCE == (
        "To learn more about --query, please visit: "
        "'https://learn.microsoft.com/cli/azure/query-azure-cli'"
    )


@pytest.mark.parametrize("expression", ["azure-cli", "[?name==", "", "[].{name:name, rg:resourceGroup"])
def test_compile_query_errors_quote_the_value(expression):
    with pytest.raises(QueryError) as info:
        compile_query(expression)
    assert str(info.value) == f"argument --query: invalid jmespath_type value: '{expression}'"


def test_compile_query_is_cached():
    assert compile_query("[].name") is compile_query("[].name")
    assert compile_query.cache_info().hits >= 1


def test_query_runtime_error_wording(vm):
    with pytest.raises(QueryRuntimeError) as info:
        render(vm, "json", "length(missing)")
    assert str(info.value) == (
        "Invalid jmespath query supplied for `--query`: In function length(), invalid "
        "type for value: None, expected one of: ['string', 'array', 'object'], "
        'received: "null"'
    )
    assert info.value.exit_code == 1

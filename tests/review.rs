//! `cargo xtask review` on a table of edits of the real spec: each edit must
//! get the verdict, semver bump and change a careful reviewer would give it.
//! Also the exit statuses, the `--base REV` mode in a temporary git
//! repository, and the documented shapes of the JSON, Markdown and GitHub output.

use std::fs;
use std::path::Path;
use std::process::Command;

use payouts_tests::{fixture_specs, repo_root, xtask};
use serde_json::Value;

fn spec_text() -> String {
    fs::read_to_string(repo_root().join("spec/payouts.yaml")).expect("spec/payouts.yaml is readable")
}

/// The spec with each `(from, to)` replacement made; `from` must occur once,
/// so an edit that no longer applies fails loudly instead of testing nothing.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = spec_text();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "the edit's anchor must occur exactly once: {from:?}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// Runs `review --old --new` on two texts; returns the exit code and the output.
fn review_texts(old: &str, new: &str, format: &str, extra: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let old_path = dir.path().join("old.yaml");
    let new_path = dir.path().join("new.yaml");
    fs::write(&old_path, old).expect("write old");
    fs::write(&new_path, new).expect("write new");
    let (old_arg, new_arg) = (old_path.to_string_lossy().into_owned(), new_path.to_string_lossy().into_owned());
    let mut args =
        vec!["review", "--old", old_arg.as_str(), "--new", new_arg.as_str(), "--format", format, "--no-lint"];
    args.extend_from_slice(extra);
    let run = xtask(&args);
    (run.code, run.stdout, run.stderr)
}

fn review_json(old: &str, new: &str) -> (i32, Value) {
    let (code, stdout, stderr) = review_texts(old, new, "json", &[]);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}\n{stderr}"));
    (code, value)
}

struct Case {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
    verdict: &'static str,
    semver: &'static str,
    /// A change that must be reported: its area, severity and a piece of its message.
    expect: Option<(&'static str, &'static str, &'static str)>,
}

const CASES: &[Case] = &[
    Case { name: "unchanged", edits: &[], verdict: "none", semver: "none", expect: None },
    Case {
        name: "a comment and blank lines only",
        edits: &[("paths:\n", "# Operations.\n\npaths:\n")],
        verdict: "none",
        semver: "none",
        expect: None,
    },
    Case {
        name: "properties reordered",
        edits: &[
            (
                "        requestQueryString:\n          type: string\n          description: The `$filter` expression that the export was requested with.\n",
                "",
            ),
            (
                "        requestPath:\n          type: string\n",
                "        requestQueryString:\n          type: string\n          description: The `$filter` expression that the export was requested with.\n        requestPath:\n          type: string\n",
            ),
        ],
        verdict: "compatible",
        semver: "patch",
        expect: Some(("rust", "compatible", "the generated code changes but its public API does not")),
    },
    Case {
        name: "operation description",
        edits: &[("Removes an export request.", "Removes an export request for good.")],
        verdict: "docs-only",
        semver: "patch",
        expect: Some(("http", "docs-only", "`description` changed")),
    },
    Case {
        name: "operation summary",
        edits: &[("summary: Get a payments export request", "summary: Read a payments export request")],
        verdict: "docs-only",
        semver: "patch",
        expect: Some(("http", "docs-only", "`summary` changed")),
    },
    Case {
        name: "response example",
        edits: &[("totalCount: 1\n", "totalCount: 2\n")],
        verdict: "docs-only",
        semver: "patch",
        expect: Some(("http", "docs-only", "`example` changed")),
    },
    Case {
        name: "enum value descriptions",
        edits: &[("- Tab-separated values.", "- Tab-separated values, one record a line.")],
        verdict: "docs-only",
        semver: "patch",
        expect: Some(("http", "docs-only", "`x-enum-descriptions` changed")),
    },
    Case {
        name: "document version",
        edits: &[("  version: 1.0.0\n", "  version: 1.0.1\n")],
        verdict: "docs-only",
        semver: "patch",
        expect: Some(("http", "docs-only", "`version` changed")),
    },
    Case {
        name: "operation removed",
        edits: &[(
            "    delete:\n      operationId: deletePaymentsExportRequest",
            "    x-removed:\n      operationId: deletePaymentsExportRequest",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "operation removed (`deletePaymentsExportRequest`)")),
    },
    Case {
        name: "operation added",
        edits: &[(
            "    delete:\n      operationId: deletePaymentsExportRequest",
            "    put:\n      operationId: replacePaymentsExportRequest\n      summary: Replace\n      responses:\n        '204':\n          description: Replaced.\n    delete:\n      operationId: deletePaymentsExportRequest",
        )],
        verdict: "compatible",
        semver: "minor",
        expect: Some(("http", "compatible", "operation added (`replacePaymentsExportRequest`)")),
    },
    Case {
        name: "optional query parameter added",
        edits: &[(
            "        - $ref: '#/components/parameters/FileFormat'\n",
            "        - $ref: '#/components/parameters/FileFormat'\n        - name: top\n          in: query\n          description: At most this many.\n          schema:\n            type: integer\n",
        )],
        verdict: "compatible",
        semver: "minor",
        expect: Some(("http", "compatible", "optional query parameter `top` added")),
    },
    Case {
        name: "required query parameter added",
        edits: &[(
            "        - $ref: '#/components/parameters/FileFormat'\n",
            "        - $ref: '#/components/parameters/FileFormat'\n        - name: region\n          in: query\n          required: true\n          description: Region.\n          schema:\n            type: string\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "required query parameter `region` added")),
    },
    Case {
        name: "parameter became required",
        edits: &[(
            "      name: fileFormat\n      in: query\n      required: false\n",
            "      name: fileFormat\n      in: query\n      required: true\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "parameter `FileFormat` became required")),
    },
    Case {
        name: "parameter moved from query to header",
        edits: &[("      name: fileFormat\n      in: query\n", "      name: fileFormat\n      in: header\n")],
        verdict: "breaking",
        semver: "patch",
        expect: Some(("http", "breaking", "parameter `FileFormat` moved from query to header")),
    },
    Case {
        name: "request parameter deprecated",
        edits: &[(
            "      name: MS-RequestId\n      in: header\n      required: false\n",
            "      name: MS-RequestId\n      in: header\n      required: false\n      deprecated: true\n",
        )],
        verdict: "compatible",
        semver: "patch",
        expect: Some(("http", "compatible", "deprecated")),
    },
    Case {
        name: "request enum value added",
        edits: &[(
            "      enum:\n        - csv\n        - tsv\n",
            "      enum:\n        - csv\n        - tsv\n        - xlsx\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "compatible", "enum value `xlsx` added")),
    },
    Case {
        name: "request enum value removed",
        edits: &[("      enum:\n        - csv\n        - tsv\n", "      enum:\n        - csv\n")],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "enum value `tsv` removed")),
    },
    Case {
        name: "response enum value added",
        edits: &[(
            "        - Failed\n        - Completed\n      x-enum",
            "        - Failed\n        - Completed\n        - Cancelled\n      x-enum",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "enum value `Cancelled` added: clients that reject unknown values fail")),
    },
    Case {
        name: "request default changed",
        edits: &[("      default: csv\n", "      default: tsv\n")],
        verdict: "breaking",
        semver: "patch",
        expect: Some(("http", "breaking", "default changed from `csv` to `tsv`")),
    },
    Case {
        name: "paging removed",
        edits: &[("      x-ms-pageable:\n        itemName: value\n        nextLinkName: nextLink\n", "")],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "compatible", "no longer paged: clients stop following its next links")),
    },
    Case {
        name: "optional request body added",
        edits: &[(
            "      x-long-running-operation:\n",
            "      requestBody:\n        description: Options.\n        content:\n          application/json:\n            schema:\n              type: object\n              properties:\n                note:\n                  type: string\n                  description: A note.\n      x-long-running-operation:\n",
        )],
        verdict: "compatible",
        semver: "minor",
        expect: Some(("http", "compatible", "optional request body added")),
    },
    Case {
        name: "required request body added",
        edits: &[(
            "      x-long-running-operation:\n",
            "      requestBody:\n        required: true\n        description: Options.\n        content:\n          application/json:\n            schema:\n              type: object\n      x-long-running-operation:\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "required request body added")),
    },
    Case {
        name: "success status added",
        edits: &[(
            "          description: The export request was deleted. No response body is documented.\n",
            "          description: The export request was deleted. No response body is documented.\n        '204':\n          description: Already deleted.\n",
        )],
        verdict: "breaking",
        semver: "patch",
        expect: Some(("http", "breaking", "success response `204` added")),
    },
    Case {
        name: "error status no longer documented on one operation",
        edits: &[(
            "          description: The export request was deleted. No response body is documented.\n          headers:\n            MS-CorrelationId:\n              $ref: '#/components/headers/MsCorrelationId'\n            MS-RequestId:\n              $ref: '#/components/headers/MsRequestId'\n        '400':\n          $ref: '#/components/responses/BadRequest'\n",
            "          description: The export request was deleted. No response body is documented.\n          headers:\n            MS-CorrelationId:\n              $ref: '#/components/headers/MsCorrelationId'\n            MS-RequestId:\n              $ref: '#/components/headers/MsRequestId'\n",
        )],
        verdict: "compatible",
        semver: "patch",
        expect: Some(("http", "compatible", "response `400` no longer documented")),
    },
    Case {
        name: "response media type changed",
        edits: &[(
            "            The export request was accepted and queued. The body holds the new\n            request, normally in the `Queued` state.\n          headers:\n            MS-CorrelationId:\n              $ref: '#/components/headers/MsCorrelationId'\n            MS-RequestId:\n              $ref: '#/components/headers/MsRequestId'\n          content:\n            application/json:",
            "            The export request was accepted and queued. The body holds the new\n            request, normally in the `Queued` state.\n          headers:\n            MS-CorrelationId:\n              $ref: '#/components/headers/MsCorrelationId'\n            MS-RequestId:\n              $ref: '#/components/headers/MsRequestId'\n          content:\n            application/vnd.payouts+json:",
        )],
        verdict: "breaking",
        semver: "patch",
        expect: Some(("http", "breaking", "media type `application/json` removed")),
    },
    Case {
        name: "response header removed",
        edits: &[(
            "      headers:\n        Retry-After:\n          $ref: '#/components/headers/RetryAfter'\n",
            "      headers:\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "header `Retry-After` removed")),
    },
    Case {
        name: "response property removed",
        edits: &[(
            "        requestQueryString:\n          type: string\n          description: The `$filter` expression that the export was requested with.\n",
            "",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "optional property `requestQueryString` removed")),
    },
    Case {
        name: "response property became optional",
        edits: &[(
            "      required:\n        - requestId\n        - status\n",
            "      required:\n        - requestId\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "`status`: became optional")),
    },
    Case {
        name: "response property became required",
        edits: &[(
            "      required:\n        - requestId\n        - status\n",
            "      required:\n        - requestId\n        - status\n        - requestPath\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "compatible", "`requestPath`: became required")),
    },
    Case {
        name: "response property became nullable",
        edits: &[(
            "        requestPath:\n          type: string\n",
            "        requestPath:\n          type: string\n          nullable: true\n",
        )],
        verdict: "breaking",
        semver: "none",
        expect: Some(("http", "breaking", "`requestPath`: became nullable")),
    },
    Case {
        name: "response property type changed",
        edits: &[(
            "        totalCount:\n          type: integer\n          format: int32\n",
            "        totalCount:\n          type: integer\n          format: int64\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "format changed from `int32` to `int64`")),
    },
    Case {
        name: "response length limit raised",
        edits: &[("          maxLength: 1024\n", "          maxLength: 4096\n")],
        verdict: "breaking",
        semver: "none",
        expect: Some(("http", "breaking", "`maxLength` changed from `1024` to `4096`")),
    },
    Case {
        name: "response length limit lowered",
        edits: &[("          maxLength: 1024\n", "          maxLength: 512\n")],
        verdict: "compatible",
        semver: "none",
        expect: Some(("http", "compatible", "`maxLength` changed from `1024` to `512`")),
    },
    Case {
        name: "request pattern added",
        edits: &[(
            "      schema:\n        type: string\n      example: paymentDate ge",
            "      schema:\n        type: string\n        pattern: '^[a-zA-Z]'\n      example: paymentDate ge",
        )],
        verdict: "breaking",
        semver: "none",
        expect: Some(("http", "breaking", "`pattern` `^[a-zA-Z]` added")),
    },
    Case {
        name: "security: second scheme required together",
        edits: &[
            ("security:\n  - bearerAuth: []\n", "security:\n  - bearerAuth: []\n    apiKey: []\n"),
            (
                "  securitySchemes:\n",
                "  securitySchemes:\n    apiKey:\n      type: apiKey\n      in: header\n      name: X-Api-Key\n      description: Key.\n",
            ),
        ],
        verdict: "breaking",
        semver: "minor",
        expect: Some(("http", "breaking", "`bearerAuth` now also needs `apiKey`")),
    },
    Case {
        name: "security: alternative added",
        edits: &[
            ("security:\n  - bearerAuth: []\n", "security:\n  - bearerAuth: []\n  - apiKey: []\n"),
            (
                "  securitySchemes:\n",
                "  securitySchemes:\n    apiKey:\n      type: apiKey\n      in: header\n      name: X-Api-Key\n      description: Key.\n",
            ),
        ],
        verdict: "compatible",
        semver: "minor",
        expect: Some(("http", "compatible", "`apiKey` now also accepted")),
    },
    Case {
        name: "server URL changed",
        edits: &[(
            "  - url: https://api.partner.microsoft.com/v1.0\n",
            "  - url: https://api.partnercenter.microsoft.com/v1.0\n",
        )],
        verdict: "breaking",
        semver: "patch",
        expect: Some(("http", "breaking", "server `https://api.partner.microsoft.com/v1.0` removed")),
    },
    Case {
        name: "filter field removed",
        edits: &[(
            "          paymentId:\n            type: string\n            operators: [eq]\n",
            "          paymentIdentifier:\n            type: string\n            operators: [eq]\n",
        )],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "filter field `paymentId` removed")),
    },
    Case {
        name: "filter operator added",
        edits: &[(
            "          payoutOrderType:\n            type: string\n            operators: [eq]\n",
            "          payoutOrderType:\n            type: string\n            operators: [eq, ne]\n",
        )],
        verdict: "compatible",
        semver: "minor",
        expect: Some(("http", "compatible", "filter field `payoutOrderType`: operators `ne` added")),
    },
    Case {
        name: "filter known value added",
        edits: &[("              - SELL\n", "              - SELL\n              - REFUND\n")],
        verdict: "compatible",
        semver: "minor",
        expect: Some(("http", "compatible", "known values `REFUND` added")),
    },
    Case {
        name: "long-running success state added",
        edits: &[(
            "        successStates:\n          - Completed\n",
            "        successStates:\n          - Completed\n          - Succeeded\n",
        )],
        verdict: "breaking",
        semver: "patch",
        expect: Some(("http", "breaking", "`Succeeded` now end polling with success")),
    },
    Case {
        name: "long-running poll interval",
        edits: &[("        pollIntervalSeconds: 30\n", "        pollIntervalSeconds: 60\n")],
        verdict: "compatible",
        semver: "patch",
        expect: Some(("http", "compatible", "`pollIntervalSeconds` changed")),
    },
    Case {
        name: "download link no longer marked",
        edits: &[("          x-download-link: true\n", "")],
        verdict: "breaking",
        semver: "major",
        expect: Some(("http", "breaking", "no longer a download link")),
    },
    Case {
        name: "download link's media type given",
        edits: &[(
            "          x-download-link: true\n",
            "          x-download-link:\n            mediaType: application/zip\n",
        )],
        verdict: "docs-only",
        semver: "patch",
        expect: Some(("http", "docs-only", "`x-download-link` media type added (`application/zip`)")),
    },
    Case {
        name: "idempotency key no longer kept across retries",
        edits: &[("      x-client-generated: per-call\n", "      x-client-generated: per-attempt\n")],
        verdict: "breaking",
        semver: "patch",
        expect: Some(("http", "breaking", "no longer share one idempotency key")),
    },
    Case {
        name: "title changed (the crate's name follows it)",
        edits: &[("  title: Partner Center Payouts\n", "  title: Partner Center Payouts API\n")],
        verdict: "breaking",
        semver: "major",
        expect: Some((
            "rust",
            "breaking",
            "the crate is renamed from `partner_center_payouts_client` to `partner_center_payouts_api_client`",
        )),
    },
    Case {
        name: "operationId renamed",
        edits: &[("operationId: deletePaymentsExportRequest", "operationId: removePaymentsExportRequest")],
        verdict: "breaking",
        semver: "major",
        expect: Some(("rust", "breaking", "delete_payments_export_request")),
    },
];

#[test]
fn every_edit_gets_the_verdict_semver_and_change_a_reviewer_would_give() {
    let original = spec_text();
    let mut failures = Vec::new();
    for case in CASES {
        let (code, stdout, stderr) = review_texts(&original, &edited(case.edits), "json", &[]);
        let Ok(report) = serde_json::from_str::<Value>(&stdout) else {
            failures.push(format!("{}: no JSON report (exit {code}): {stderr}", case.name));
            continue;
        };
        let verdict = report["verdict"].as_str().unwrap_or_default();
        let semver = report["semver"].as_str().unwrap_or_default();
        let changes = report["changes"].as_array().cloned().unwrap_or_default();
        let mut problems = Vec::new();
        if verdict != case.verdict {
            problems.push(format!("verdict {verdict}, expected {}", case.verdict));
        }
        if semver != case.semver {
            problems.push(format!("semver {semver}, expected {}", case.semver));
        }
        let expected_code = if case.verdict == "breaking" { 1 } else { 0 };
        if code != expected_code {
            problems.push(format!("exit status {code}, expected {expected_code}"));
        }
        match case.expect {
            None if !changes.is_empty() => problems.push("expected no change at all".to_owned()),
            None => {}
            Some((area, severity, fragment)) => {
                let found = changes.iter().any(|change| {
                    change["area"] == area
                        && change["severity"] == severity
                        && change["message"].as_str().is_some_and(|message| message.contains(fragment))
                });
                if !found {
                    problems.push(format!("no {severity} {area} change mentioning {fragment:?}"));
                }
            }
        }
        // A documentation edit is never breaking, in either area.
        if case.verdict == "docs-only" {
            if let Some(change) = changes.iter().find(|change| change["severity"] != "docs-only") {
                problems.push(format!("a docs-only edit reported {change}"));
            }
        }
        if !problems.is_empty() {
            let listed: Vec<String> =
                changes.iter().map(|c| format!("    {} {} {}", c["severity"], c["area"], c["message"])).collect();
            failures.push(format!("{}: {}\n{}", case.name, problems.join("; "), listed.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases are wrong:\n{}", failures.len(), CASES.len(), failures.join("\n"));
}

#[test]
fn changes_carry_pointers_into_both_documents_and_the_new_line() {
    let new = edited(&[(
        "      name: fileFormat\n      in: query\n      required: false\n",
        "      name: fileFormat\n      in: query\n      required: true\n",
    )]);
    let (_, report) = review_json(&spec_text(), &new);
    let change = report["changes"]
        .as_array()
        .and_then(|changes| {
            changes.iter().find(|c| c["message"].as_str().is_some_and(|m| m.contains("became required")))
        })
        .cloned()
        .unwrap_or_else(|| panic!("no required change in {report}"));
    assert_eq!(change["old"], "#/components/parameters/FileFormat");
    assert_eq!(change["new"], "#/components/parameters/FileFormat/required");
    let line = change["line"].as_u64().expect("a line") as usize;
    assert_eq!(new.lines().nth(line - 1), Some("      required: true"), "line {line}");

    // A removal points at the old place and at the nearest line the new file still has.
    let new = edited(&[(
        "    delete:\n      operationId: deletePaymentsExportRequest",
        "    x-removed:\n      operationId: deletePaymentsExportRequest",
    )]);
    let (_, report) = review_json(&spec_text(), &new);
    let removed = report["changes"]
        .as_array()
        .and_then(|changes| {
            changes.iter().find(|c| c["message"].as_str().is_some_and(|m| m.contains("operation removed")))
        })
        .cloned()
        .unwrap_or_else(|| panic!("no removal in {report}"));
    assert_eq!(removed["old"], "#/paths/~1payouts~1payments~1{paymentsRequestId}/delete");
    assert_eq!(removed["new"], Value::Null);
    let line = removed["line"].as_u64().expect("a line") as usize;
    assert_eq!(new.lines().nth(line - 1), Some("  /payouts/payments/{paymentsRequestId}:"));
}

#[test]
fn json_output_has_the_documented_shape() {
    let new = edited(&[
        ("      default: csv\n", "      default: tsv\n"),
        ("Removes an export request.", "Removes a request."),
    ]);
    let (_, report) = review_json(&spec_text(), &new);
    let object = report.as_object().expect("an object");
    let keys: Vec<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, ["verdict", "semver", "changes", "lint", "lint_skipped"]);
    assert!(["breaking", "compatible", "docs-only", "none"].contains(&report["verdict"].as_str().unwrap_or("")));
    assert!(["major", "minor", "patch", "none"].contains(&report["semver"].as_str().unwrap_or("")));
    let changes = report["changes"].as_array().expect("changes");
    assert!(changes.len() >= 2, "{report}");
    for change in changes {
        let keys: Vec<&str> = change.as_object().expect("a change").keys().map(String::as_str).collect();
        assert_eq!(keys, ["severity", "area", "subject", "message", "old", "new", "line"], "{change}");
        assert!(["breaking", "compatible", "docs-only"].contains(&change["severity"].as_str().unwrap_or("")));
        assert!(["http", "rust"].contains(&change["area"].as_str().unwrap_or("")));
        assert!(change["message"].as_str().is_some_and(|m| !m.is_empty() && !m.contains('\n')), "{change}");
        for key in ["old", "new"] {
            assert!(change[key].is_null() || change[key].as_str().is_some_and(|p| p.starts_with('#')), "{change}");
        }
        assert!(change["line"].is_null() || change["line"].as_u64().is_some_and(|line| line > 0), "{change}");
    }
    assert!(report["lint"].as_array().is_some_and(Vec::is_empty), "--no-lint: {report}");
}

#[test]
fn an_identical_spec_says_so_in_one_line() {
    let text = spec_text();
    let (code, markdown, _) = review_texts(&text, &text, "markdown", &[]);
    assert_eq!(code, 0);
    assert_eq!(markdown.lines().count(), 1, "{markdown}");
    assert!(markdown.contains("no change"), "{markdown}");
    let (_, report) = review_json(&text, &text);
    assert_eq!(report["verdict"], "none");
    assert_eq!(report["semver"], "none");
    assert_eq!(report["changes"], serde_json::json!([]));
}

#[test]
fn markdown_is_a_pull_request_comment() {
    let new = edited(&[
        ("      default: csv\n", "      default: tsv\n"),
        ("operationId: deletePaymentsExportRequest", "operationId: removePaymentsExportRequest"),
    ]);
    let (code, markdown, _) = review_texts(&spec_text(), &new, "markdown", &["--allow-breaking"]);
    assert_eq!(code, 0, "--allow-breaking");
    let first = markdown.lines().next().unwrap_or_default();
    assert!(first.starts_with("**Spec review: breaking.**") && first.contains("**major**"), "{first}");
    assert!(markdown.contains("| severity | HTTP contract | Rust API |"), "{markdown}");
    assert!(markdown.contains("#### schema `FileFormat` (used by `POST /payouts/payments`)"), "{markdown}");
    assert!(markdown.contains("#### `DELETE /payouts/payments/{paymentsRequestId}`"), "{markdown}");
    assert!(markdown.contains("```diff\n- "), "the API listing diff: {markdown}");
    assert!(markdown.contains("remove_payments_export_request"), "{markdown}");
}

#[test]
fn github_format_annotates_the_line_of_each_breaking_change() {
    let new = edited(&[(
        "      name: fileFormat\n      in: query\n      required: false\n",
        "      name: fileFormat\n      in: query\n      required: true\n",
    )]);
    let (code, output, _) = review_texts(&spec_text(), &new, "github", &[]);
    assert_eq!(code, 1);
    let line = new.lines().position(|l| l == "      required: true").map(|i| i + 1).expect("edited line");
    let error = output.lines().find(|l| l.starts_with("::error ")).unwrap_or_else(|| panic!("{output}"));
    assert!(error.starts_with("::error file=") && error.contains(&format!("new.yaml,line={line},")), "{error}");
    assert!(error.contains("::parameter `FileFormat` became required: calls without it fail"), "{error}");
    assert!(output.lines().last().is_some_and(|l| l.starts_with("Spec review: breaking")), "{output}");
}

#[test]
fn exit_statuses() {
    let text = spec_text();
    let compatible = edited(&[("              - SELL\n", "              - SELL\n              - REFUND\n")]);
    let breaking = edited(&[("      default: csv\n", "      default: tsv\n")]);
    assert_eq!(review_texts(&text, &compatible, "json", &[]).0, 0);
    assert_eq!(review_texts(&text, &breaking, "json", &[]).0, 1);
    assert_eq!(review_texts(&text, &breaking, "json", &["--allow-breaking"]).0, 0);

    // A broken spec on either side is the usual diagnostic, with status 2.
    let broken = text.replace("$ref: '#/components/schemas/ExportStatus'", "$ref: '#/components/schemas/Missing'");
    let (code, _, stderr) = review_texts(&text, &broken, "json", &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("new.yaml: #/components/schemas/PaymentsExportRequest/properties/status/$ref"), "{stderr}");
    let (code, _, stderr) = review_texts("openapi: 3.0.3\ninfo: [", &text, "json", &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("old.yaml:3:1: invalid YAML"), "{stderr}");

    // Usage errors.
    assert_eq!(xtask(&["review", "--old", "a.yaml"]).code, 2);
    assert_eq!(xtask(&["review", "--old", "a.yaml", "--new", "b.yaml", "--base", "HEAD"]).code, 2);
    assert_eq!(xtask(&["review", "--format", "yaml"]).code, 2);
    let missing = xtask(&["review", "--old", "/nonexistent/a.yaml", "--new", "/nonexistent/b.yaml"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("cannot read"), "{missing:?}");
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Review Test", "-c", "user.email=review@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
}

#[test]
fn base_mode_compares_with_a_git_revision() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let repo = dir.path();
    git(repo, &["init", "--quiet", "--initial-branch=main"]);
    fs::write(repo.join("README.md"), "scratch\n").expect("write");
    git(repo, &["add", "README.md"]);
    git(repo, &["commit", "--quiet", "-m", "before the spec"]);
    let spec = repo.join("api.yaml");
    fs::write(&spec, spec_text()).expect("write spec");
    let spec_arg = spec.to_string_lossy().into_owned();

    // The spec did not exist at HEAD: everything is added.
    let run = xtask(&["review", "--base", "HEAD", "--spec", &spec_arg, "--format", "json", "--no-lint"]);
    assert_eq!(run.code, 0, "{run:?}");
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["verdict"], "compatible", "{report}");
    assert_eq!(report["semver"], "minor", "{report}");
    let changes = report["changes"].as_array().expect("changes");
    assert!(changes.iter().any(|c| c["message"].as_str().is_some_and(|m| m.contains("operation added"))), "{report}");
    assert!(changes.iter().all(|c| c["old"].is_null()), "nothing existed before: {report}");

    git(repo, &["add", "api.yaml"]);
    git(repo, &["commit", "--quiet", "-m", "spec"]);
    let run = xtask(&["review", "--base", "HEAD", "--spec", &spec_arg, "--format", "json", "--no-lint"]);
    assert_eq!(run.code, 0, "{run:?}");
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(report["verdict"], "none", "{report}");

    // A working-tree edit against the committed spec; the revision may be any name git knows.
    fs::write(&spec, spec_text().replace("      default: csv\n", "      default: tsv\n")).expect("edit spec");
    let run = xtask(&["review", "--base", "main", "--spec", &spec_arg, "--format", "github", "--no-lint"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("::error file=api.yaml,line="), "{}", run.stdout);

    let run = xtask(&["review", "--base", "no-such-revision", "--spec", &spec_arg, "--no-lint"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("no such git revision"), "{run:?}");
}

/// Every feature spec of the corpus against itself (no change) and against
/// the next one (everything differs): a report, never a panic or a crash.
#[test]
fn reviews_any_pair_of_real_specs() {
    let specs = fixture_specs();
    assert!(specs.len() >= 5, "{specs:?}");
    for (index, old) in specs.iter().enumerate() {
        let new = &specs[(index + 1) % specs.len()];
        for (old, new) in [(old, old), (old, new)] {
            let (old_arg, new_arg) = (old.to_string_lossy().into_owned(), new.to_string_lossy().into_owned());
            let run = xtask(&["review", "--old", &old_arg, "--new", &new_arg, "--format", "json", "--no-lint"]);
            let report: Value = serde_json::from_str(&run.stdout)
                .unwrap_or_else(|error| panic!("{old_arg} -> {new_arg}: not JSON ({error}): {run:?}"));
            let verdict = report["verdict"].as_str().unwrap_or_default();
            assert_eq!(run.code, if verdict == "breaking" { 1 } else { 0 }, "{old_arg} -> {new_arg}: {run:?}");
            if old == new {
                assert_eq!(verdict, "none", "{old_arg} against itself: {report}");
            } else {
                assert!(!report["changes"].as_array().is_some_and(Vec::is_empty), "{old_arg} -> {new_arg}");
            }
        }
    }
}

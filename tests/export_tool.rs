//! The export example's logic end to end, in `--mock` mode: queue, watch,
//! download from the storage stand-in, unzip and summarise.

use clap::Parser;

#[path = "examples/export/tool.rs"]
mod tool;

#[tokio::test]
async fn the_mock_run_downloads_unzips_and_summarises_the_export() {
    let folder = tempfile::tempdir().expect("temp dir");
    let output = folder.path().join("export.zip");
    let output_text = output.to_str().expect("a UTF-8 path");
    let args = tool::Args::try_parse_from([
        "export",
        "--mock",
        "--quiet",
        "--poll-every",
        "0",
        "--since",
        "2023-03-01",
        "-o",
        output_text,
    ])
    .expect("valid arguments");
    let mut out = Vec::new();

    let files = tool::run(args, None, &mut out).await.expect("the run succeeds");

    let text = String::from_utf8(out).expect("UTF-8 output");
    assert_eq!(files.len(), 1, "{text}");
    assert_eq!(files[0].name, "payments.csv");
    assert_eq!(files[0].columns, tool::mock::COLUMNS);
    assert_eq!(files[0].rows, tool::mock::ROWS);
    assert!(
        text.contains("$filter = programName eq 'CSP Direct Bill Partner' and paymentDate ge 2023-03-01"),
        "{text}"
    );
    assert!(text.contains("is Completed"), "{text}");
    assert!(text.contains("payments.csv: 250 rows; columns: paymentId, enrollmentParticipantId"), "{text}");
    let size = std::fs::metadata(&output).expect("the downloaded file").len();
    assert!(text.contains(&format!("downloaded {size} bytes")), "{text}");
    assert_eq!(tool::read_archive(&output).expect("readable").len(), 1);
}

#[tokio::test]
async fn without_a_token_the_tool_says_which_variable_to_set() {
    let args = tool::Args::try_parse_from(["export", "--quiet"]).expect("valid arguments");
    let error = tool::run(args, None, &mut Vec::new()).await.expect_err("no token");
    assert!(error.to_string().contains("set PARTNER_CENTER_TOKEN"), "{error}");
}

#[test]
fn the_token_is_not_a_flag() {
    assert!(tool::Args::try_parse_from(["export", "--token", "secret"]).is_err());
}

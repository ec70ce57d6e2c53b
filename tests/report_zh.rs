//! A Chinese incident (`lang: zh` in `incident_opened`) reports in Chinese:
//! headings, summary labels and values, timeline texts; the journal's own
//! text (ids, command lines, output, notes) stays as written.

mod report_support;

use report_support::*;
use runbook::report::{LoadedJournal, ReportFormat, render};
use scraper::{Html, Selector};

fn report(path: &std::path::Path, format: ReportFormat) -> String {
    render(&LoadedJournal::load(path).unwrap(), format)
}

#[test]
fn markdown_of_a_chinese_incident_matches_golden() {
    let dir = tempfile::tempdir().unwrap();
    let md = report(&resolved_incident_zh(dir.path()), ReportFormat::Markdown);
    for want in [
        "## 概要",
        "## 事后复盘",
        "### 根因",
        "### 改进项",
        "## 步骤",
        "## 时间线",
        "## 命令",
        "## 检查",
        "## 备注",
        "| 严重级别 | 未填写 |",
        "| 发现用时 |",
        "| 止损用时 | 8m20s（从事件创建起算） |",
        "进入步骤",
        "备注：Memory alarm since 02:41",
    ] {
        assert!(md.contains(want), "missing {want:?} in:\n{md}");
    }
    // The journal's text is not translated.
    assert!(md.contains("rabbitmq-diagnostics -q ping"));
    assert!(!md.contains("## Summary") && !md.contains("| Severity |"));
    golden("resolved-zh.md", &md);
}

#[test]
fn html_of_a_chinese_incident_is_chinese_and_breaks_lines_strictly() {
    let dir = tempfile::tempdir().unwrap();
    let text = report(&resolved_incident_zh(dir.path()), ReportFormat::Html);
    let doc = Html::parse_document(&text);
    assert!(doc.errors.is_empty(), "parse errors: {:?}", doc.errors);
    let html = doc
        .select(&Selector::parse("html").unwrap())
        .next()
        .unwrap();
    assert_eq!(html.value().attr("lang"), Some("zh"));
    assert!(text.contains("line-break:strict"));
    let h2: Vec<String> = doc
        .select(&Selector::parse("h2").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(
        h2,
        [
            "概要",
            "事后复盘",
            "时间线图",
            "步骤",
            "时间线",
            "命令",
            "检查",
            "备注"
        ]
    );
    let labels: Vec<String> = doc
        .select(&Selector::parse("table.summary th").unwrap())
        .map(|e| e.text().collect())
        .collect();
    for want in [
        "标题",
        "状态",
        "严重级别",
        "影响",
        "发现用时",
        "止损用时",
        "解决用时",
    ] {
        assert!(labels.iter().any(|l| l == want), "{want} not in {labels:?}");
    }
    golden("resolved-zh.html", &text);
}

/// The same journal in English keeps its English report and `lang="en"`.
#[test]
fn an_english_incident_stays_english() {
    let dir = tempfile::tempdir().unwrap();
    let text = report(&resolved_incident(dir.path()), ReportFormat::Html);
    assert!(text.contains("<html lang=\"en\">"));
    assert!(!text.contains("line-break:strict"));
    assert!(text.contains("<h2>Summary</h2>"));
}

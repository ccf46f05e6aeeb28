//! The human report: scopes in the order they were checked, one line per check, the fix on an
//! indented line below, and a summary with the exit status at the end.

use super::{DoctorReport, Status};
use std::fmt::Write;

/// Width of the status column (`warning` is the longest word).
const STATUS_WIDTH: usize = 8;

pub fn text(report: &DoctorReport) -> String {
    let mut out = String::new();
    let mut scopes: Vec<&str> = Vec::new();
    for check in &report.checks {
        if !scopes.contains(&check.scope.as_str()) {
            scopes.push(&check.scope);
        }
    }
    for scope in scopes {
        let _ = writeln!(out, "{scope}");
        for check in report.checks.iter().filter(|c| c.scope == scope) {
            let _ = writeln!(out, "  {:<STATUS_WIDTH$}{}: {}", check.status.as_str(), check.check, check.message);
            if let Some(fix) = &check.fix {
                let _ = writeln!(out, "  {:<STATUS_WIDTH$}  fix: {fix}", "");
            }
        }
        out.push('\n');
    }
    let (errors, warnings) = (report.errors(), report.warnings());
    let skipped = report.checks.iter().filter(|c| c.status == Status::Skipped).count();
    let _ = write!(out, "{} check(s): {errors} error(s), {warnings} warning(s)", report.checks.len());
    if skipped > 0 {
        let _ = write!(out, ", {skipped} skipped");
    }
    let verdict = if errors > 0 { "fix the errors above (exit status 1)" } else { "no errors (exit status 0)" };
    let _ = writeln!(out, ": {verdict}");
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Check, DoctorReport};

    #[test]
    fn groups_by_scope_and_indents_the_fix() {
        let report = DoctorReport {
            checks: vec![
                Check::ok("store", "opens", "fine"),
                Check::error("provider:google", "client_credentials", "refused", "set client_id"),
                Check::warning("store", "migrations", "old", "start serve"),
            ],
        };
        let text = report.render_text();
        assert_eq!(
            text,
            "store\n  ok      opens: fine\n  warning migrations: old\n            fix: start serve\n\n\
             provider:google\n  error   client_credentials: refused\n            fix: set client_id\n\n\
             3 check(s): 1 error(s), 1 warning(s): fix the errors above (exit status 1)\n"
        );
        assert_eq!(report.exit_code(), 1);
    }
}

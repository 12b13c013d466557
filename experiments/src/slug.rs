//! File-name-safe forms of labels: the run directories of a suite and the file names of
//! figures are built from user-given labels (a family, a sweep value, a metric name).

/// `s` with every character outside `A–Z a–z 0–9 . _ + -` replaced by `-`, runs of `-`
/// collapsed and `-` trimmed at both ends; case is kept.
///
/// The result may be empty or all dots (e.g. for `"(.)"`); callers that use it as a path
/// component check [`is_path_component`].
///
/// # Example
/// ```
/// use gm_experiments::slug::slug;
/// assert_eq!(slug("GM (D14xD14)"), "GM-D14xD14");
/// assert_eq!(slug("lr 1e-3 / wd"), "lr-1e-3-wd");
/// assert_eq!(slug("\"cnn\""), "cnn");
/// ```
pub fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-') {
            c
        } else {
            '-'
        };
        if !(c == '-' && (out.is_empty() || out.ends_with('-'))) {
            out.push(c);
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Whether `s` can name one directory level: non-empty, not `.` or `..` (nor any other
/// all-dots name), no path separator.
///
/// # Example
/// ```
/// use gm_experiments::slug::is_path_component;
/// assert!(is_path_component("seed-1"));
/// assert!(!is_path_component(".."));
/// assert!(!is_path_component("a/b"));
/// ```
pub fn is_path_component(s: &str) -> bool {
    !s.is_empty() && !s.chars().all(|c| c == '.') && !s.contains(['/', '\\'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_path_components_or_flagged() {
        for (raw, want) in [
            ("GM (D14xD14)", "GM-D14xD14"),
            ("a//b", "a-b"),
            ("  x  ", "x"),
            ("model.channels", "model.channels"),
            ("0.001", "0.001"),
            ("1e+3", "1e+3"),
            ("ünïcode", "n-code"),
            ("(.)", "."),
            ("((", ""),
        ] {
            assert_eq!(slug(raw), want, "{raw:?}");
        }
        assert!(!is_path_component(&slug("(.)")));
        assert!(!is_path_component(&slug("((")));
        assert!(is_path_component(&slug("../../etc")));
        assert_eq!(slug("../../etc"), "..-..-etc");
    }
}

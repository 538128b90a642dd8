//! Dates as the bundle carries them: `YYYY-MM-DD` or RFC 3339 strings, already
//! validated by the CLI. The app only needs to show them and group by month.

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `(year, month 1-12, day)` from the first ten characters, if they are a date.
pub fn ymd(date: &str) -> Option<(i32, u32, u32)> {
    let d = date.get(..10)?;
    let b = d.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = d[..4].parse().ok()?;
    let month: u32 = d[5..7].parse().ok()?;
    let day: u32 = d[8..10].parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// English month name for 1–12.
pub fn month_name(month: u32) -> &'static str {
    MONTHS
        .get(month.wrapping_sub(1) as usize)
        .copied()
        .unwrap_or("")
}

/// A reader-facing date: `4 March 2024`. Falls back to the raw text.
pub fn display(date: &str) -> String {
    match ymd(date) {
        Some((y, m, d)) => format!("{d} {} {y}", month_name(m)),
        None => date.to_string(),
    }
}

/// The `YYYY-MM-DD` part, for `<time datetime>`.
pub fn iso_day(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        assert_eq!(ymd("2024-03-04"), Some((2024, 3, 4)));
        assert_eq!(ymd("2024-03-04T10:00:00+02:00"), Some((2024, 3, 4)));
        assert_eq!(ymd("2024-13-04"), None);
        assert_eq!(ymd("04/03/2024"), None);
        assert_eq!(ymd("short"), None);
    }

    #[test]
    fn displays_for_readers() {
        assert_eq!(display("2024-03-04"), "4 March 2024");
        assert_eq!(display("2019-12-31T23:59:00Z"), "31 December 2019");
        assert_eq!(display("garbage"), "garbage");
        assert_eq!(iso_day("2019-12-31T23:59:00Z"), "2019-12-31");
    }
}

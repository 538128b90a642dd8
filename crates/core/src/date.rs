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

/// The one reader of the `YYYY-MM-DD` shape: `(year, month, day)` from the first ten
/// bytes of `text` when they are four ASCII digits, `-`, two, `-`, two, whatever
/// follows. Not range-checked ([`ymd`] is); file names use this alone.
pub fn day_shape(text: &str) -> Option<(i32, u32, u32)> {
    let b = text.as_bytes().get(..10)?;
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    Some((digits(0..4)? as i32, digits(5..7)?, digits(8..10)?))
}

/// Days in `month` (1–12) of `year`, proleptic Gregorian.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// `(year, month 1-12, day)` from the first ten characters, if they are a real
/// calendar day (`2024-02-30` is not).
pub fn ymd(date: &str) -> Option<(i32, u32, u32)> {
    let (year, month, day) = day_shape(date)?;
    (day >= 1 && day <= days_in_month(year, month)).then_some((year, month, day))
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
        assert_eq!(ymd("2024-02-29"), Some((2024, 2, 29)));
        assert_eq!(ymd("2023-02-29"), None);
        assert_eq!(ymd("1900-02-29"), None);
        assert_eq!(ymd("2000-02-29"), Some((2000, 2, 29)));
        assert_eq!(ymd("2024-04-31"), None);
        assert_eq!(ymd("2024-00-10"), None);
    }

    #[test]
    fn day_shape_is_strict_about_digits_only() {
        assert_eq!(day_shape("2024-13-45-post"), Some((2024, 13, 45)));
        for bad in [
            "+202-03-04",
            "2024-3-04x",
            "2024/03/04",
            "２０２４-03-01",
            "2024-03-0",
            " 2024-03-04",
        ] {
            assert_eq!(day_shape(bad), None, "{bad}");
        }
    }

    #[test]
    fn displays_for_readers() {
        assert_eq!(display("2024-03-04"), "4 March 2024");
        assert_eq!(display("2019-12-31T23:59:00Z"), "31 December 2019");
        assert_eq!(display("garbage"), "garbage");
        assert_eq!(iso_day("2019-12-31T23:59:00Z"), "2019-12-31");
    }
}

//! Post dates: `YYYY-MM-DD` or RFC 3339, checked strictly, with a sort key and the Atom
//! (RFC 3339) form.

use chrono::{DateTime, NaiveDate, SecondsFormat};
use quire_core::date::ymd;

/// A validated date: the text as written and its instant (date-only values count as
/// midnight UTC), for sorting newest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostDate {
    pub text: String,
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    pub instant: i128,
}

impl PostDate {
    /// The RFC 3339 form Atom wants (`2024-03-01` → `2024-03-01T00:00:00Z`).
    pub fn rfc3339(&self) -> String {
        if self.text.len() == 10 {
            format!("{}T00:00:00Z", self.text)
        } else {
            DateTime::parse_from_rfc3339(&self.text)
                .map(|d| d.to_rfc3339_opts(SecondsFormat::AutoSi, true))
                .unwrap_or_else(|_| self.text.clone())
        }
    }

    /// The `YYYY-MM-DD` part (for sitemap `lastmod`).
    pub fn day(&self) -> &str {
        quire_core::date::iso_day(&self.text)
    }
}

/// Parses `YYYY-MM-DD` (exactly) or an RFC 3339 date-time (`2024-03-01T10:00:00+01:00`,
/// `…Z`). Anything else is `None`.
pub fn parse_date(text: &str) -> Option<PostDate> {
    let text = text.trim();
    let (year, month, day) = ymd(text)?;
    let b = text.as_bytes();
    let instant = if b.len() == 10 {
        let day = NaiveDate::from_ymd_opt(year, month, day)?;
        let dt = day.and_hms_opt(0, 0, 0)?.and_utc();
        dt.timestamp() as i128 * 1_000_000_000
    } else {
        if !matches!(b[10], b'T' | b't') {
            return None;
        }
        let dt = DateTime::parse_from_rfc3339(text).ok()?;
        dt.timestamp() as i128 * 1_000_000_000 + dt.timestamp_subsec_nanos() as i128
    };
    Some(PostDate {
        text: text.to_string(),
        instant,
    })
}

/// The environment variable that fixes the build's "now" (`2030-01-01` or an RFC 3339
/// date-time): which posts are in the future is decided against it instead of the
/// system clock, so tests and reproducible builds see the same posts.
pub const NOW_VAR: &str = "QUIRE_NOW";

/// The build's "now": [`NOW_VAR`] when it is set and not empty, else the system clock.
/// The one place a build takes the time from; a value that is not a date is an error.
pub fn build_now() -> Result<i128, String> {
    match std::env::var(NOW_VAR) {
        Ok(v) if !v.trim().is_empty() => parse_date(&v).map(|d| d.instant).ok_or_else(|| {
            format!(
                "{NOW_VAR}={v:?} is not a date: use YYYY-MM-DD or an RFC 3339 date-time such as 2030-01-01T09:00:00Z"
            )
        }),
        _ => Ok(now_instant()),
    }
}

/// Now, by the system clock, in the same unit as [`PostDate::instant`].
pub fn now_instant() -> i128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_forms() {
        let d = parse_date("2024-03-01").unwrap();
        assert_eq!(d.rfc3339(), "2024-03-01T00:00:00Z");
        assert_eq!(d.day(), "2024-03-01");
        let t = parse_date("2024-03-01T10:00:00+01:00").unwrap();
        assert_eq!(t.instant - d.instant, 9 * 3600 * 1_000_000_000);
        assert_eq!(t.rfc3339(), "2024-03-01T10:00:00+01:00");
        assert!(parse_date("2024-03-01T10:00:00.5Z").is_some());
        assert_eq!(
            parse_date("1969-12-31").unwrap().instant,
            -86_400_000_000_000
        );
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "2024",
            "2024-3-1",
            "2024-02-30",
            "2024-13-01",
            "01/03/2024",
            "2024-03-01 10:00",
            "2024-03-01T10:00:00",
            "2024-03-01T25:00:00Z",
            "yesterday",
            "2024-03-01X",
            "２０２４-03-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }
}

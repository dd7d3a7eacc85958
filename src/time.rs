//! Simulated wall-clock time in JST, with integer arithmetic only.

/// Minutes since 1970-01-01 00:00 (JST wall clock) of `YYYY-MM-DDTHH:MM`.
pub fn format_minute(minute: i64) -> String {
    let days = minute.div_euclid(1440);
    let rem = minute.rem_euclid(1440);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02} JST", rem / 60, rem % 60)
}

/// Seconds since the Unix epoch as RFC 3339 UTC, `YYYY-MM-DDTHH:MM:SSZ`:
/// the stamp of a facilitator's note.
pub fn utc_rfc3339(epoch_seconds: u64) -> String {
    let secs = i64::try_from(epoch_seconds).unwrap_or(i64::MAX);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Now, by the machine's clock, as [`utc_rfc3339`]; the epoch if the
/// clock is set before it.
pub fn utc_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    utc_rfc3339(secs)
}

/// Start of `turn` (1-based) in minutes.
pub fn turn_start(start_minute: i64, turn_minutes: u32, turn: u32) -> i64 {
    start_minute + i64::from(turn.saturating_sub(1)) * i64::from(turn_minutes)
}

/// Howard Hinnant's civil-from-days algorithm.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_stamps() {
        assert_eq!(utc_rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc_rfc3339(1_627_041_600 + 3_723), "2021-07-23T13:02:03Z");
    }

    #[test]
    fn known_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(18_831), (2021, 7, 23));
        assert_eq!(
            format_minute(18_831 * 1440 + 20 * 60),
            "2021-07-23 20:00 JST"
        );
        assert_eq!(turn_start(600, 60, 3), 720);
    }
}

//! Calendar dates as the outputs write them (`YYYY-MM-DD`) and UTC time stamps, on `jiff`.

use jiff::civil::Date;

/// A date written `YYYY-MM-DD` (leading zeros optional, blanks around it ignored); `None`
/// when it is not a date of the calendar (2022-02-30).
pub fn parse_date(s: &str) -> Option<Date> {
    let mut it = s.trim().splitn(3, '-');
    let y = it.next()?.parse().ok()?;
    let m = it.next()?.parse().ok()?;
    let d = it.next()?.parse().ok()?;
    Date::new(y, m, d).ok()
}

/// Days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |span| i64::from(span.get_days()))
}

/// The last day of a month, `None` for a month that does not exist.
pub fn last_day_of_month(year: i16, month: i8) -> Option<i8> {
    Date::new(year, month, 1).ok().map(|d| d.days_in_month())
}

/// `YYYY-MM-DD` of `y`, `m`, `d` when that is a date of the calendar.
pub fn iso(year: i16, month: i8, day: i8) -> Option<String> {
    Date::new(year, month, day).ok().map(|d| d.to_string())
}

/// Today in China (UTC+8, no daylight saving), `YYYY-MM-DD`: a reviewer in Beijing at 07:00 is
/// already on the next day, which UTC would not yet count. Overdue days count to this date
/// unless `--today` says otherwise.
pub fn today_in_china() -> String {
    // UTC+8 as a shift of the UTC clock: no time-zone database needed.
    let now = jiff::Timestamp::now();
    now.checked_add(jiff::SignedDuration::from_hours(8))
        .unwrap_or(now)
        .strftime("%Y-%m-%d")
        .to_string()
}

/// A UTC time stamp (`2026-11-30T21:17:07Z`) as a reviewer in China reads it, to the minute:
/// `2026-12-01 05:17（北京时间）`. A stamp that does not parse is returned as it is.
pub fn beijing_time(stamp: &str) -> String {
    match stamp.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let t = t
                .checked_add(jiff::SignedDuration::from_hours(8))
                .unwrap_or(t);
            format!("{}（北京时间）", t.strftime("%Y-%m-%d %H:%M"))
        }
        Err(_) => stamp.to_string(),
    }
}

/// Now in UTC to the second, `YYYY-MM-DDTHH:MM:SSZ`.
pub fn now_stamp() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_leniently_and_count_days() {
        let d = |s| parse_date(s).unwrap();
        // 2024 is a leap year: 28 Feb → 1 Mar is two days.
        assert_eq!(days_between(d("2024-02-28"), d("2024-03-01")), 2);
        assert_eq!(days_between(d("2023-02-28"), d("2023-03-01")), 1);
        // 2022-12-31 → 2023-02-01: 1 + 31 days.
        assert_eq!(days_between(d("2022-12-31"), d(" 2023-2-1 ")), 32);
        assert_eq!(days_between(d("2023-02-01"), d("2022-12-31")), -32);
        assert_eq!(parse_date("2022-02-30"), None);
        assert_eq!(parse_date("2022-13-01"), None);
        assert_eq!(parse_date("2022/01/01"), None);
        assert_eq!(last_day_of_month(2000, 2), Some(29));
        assert_eq!(last_day_of_month(1900, 2), Some(28));
        assert_eq!(last_day_of_month(2023, 4), Some(30));
        assert_eq!(last_day_of_month(2023, 13), None);
        assert_eq!(iso(2023, 7, 5).as_deref(), Some("2023-07-05"));
    }

    #[test]
    fn beijing_time_is_eight_hours_ahead() {
        // 21:17 UTC on 30 November is 05:17 on 1 December in Beijing.
        assert_eq!(
            beijing_time("2026-11-30T21:17:07Z"),
            "2026-12-01 05:17（北京时间）"
        );
        // The end of a leap February.
        assert_eq!(
            beijing_time("2024-02-28T16:00:00Z"),
            "2024-02-29 00:00（北京时间）"
        );
        assert_eq!(beijing_time("昨天"), "昨天");
    }

    #[test]
    fn stamps_have_the_written_shape() {
        let t = now_stamp();
        assert_eq!(t.len(), 20, "{t}");
        assert!(t.ends_with('Z') && t.as_bytes()[10] == b'T', "{t}");
        assert!(parse_date(&today_in_china()).is_some());
        // UTC+8: the date in China is never behind the UTC date, at most one day ahead.
        let utc = jiff::Timestamp::now().strftime("%Y-%m-%d").to_string();
        let (c, u) = (
            parse_date(&today_in_china()).unwrap(),
            parse_date(&utc).unwrap(),
        );
        assert!(c >= u && c <= u.tomorrow().unwrap(), "{c} vs {u}");
    }
}

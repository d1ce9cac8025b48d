//! The shared vocabulary of the pipeline: sections, slugs, dates and the
//! small value types that front matter is made of.

use std::cmp::Ordering;
use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

/// The kinds of content, each a folder under `content/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Articles,
    Notes,
    Actors,
    /// Standalone pages (About, Corrections policy), published at the
    /// output root as `<slug>/`.
    Pages,
    /// The site's own writers: profiles that bylines link to.
    Authors,
}

impl Section {
    pub const ALL: [Section; 5] = [
        Section::Articles,
        Section::Notes,
        Section::Actors,
        Section::Pages,
        Section::Authors,
    ];

    /// The folder name under `content/`, also used in `[[notes/slug]]`.
    pub fn folder(self) -> &'static str {
        match self {
            Section::Articles => "articles",
            Section::Notes => "notes",
            Section::Actors => "actors",
            Section::Pages => "pages",
            Section::Authors => "authors",
        }
    }

    /// The folder name in the output (notes become explainers; standalone
    /// pages have none: they sit at the root).
    pub fn output_folder(self) -> &'static str {
        match self {
            Section::Articles => "articles",
            Section::Notes => "explainers",
            Section::Actors => "actors",
            Section::Pages => "",
            Section::Authors => "authors",
        }
    }

    /// The output folder of the page `slug` of this section, without a
    /// trailing slash: `articles/<slug>`, or `<slug>` for a standalone
    /// page (published at the root).
    pub fn page_folder(self, slug: &str) -> String {
        match self.output_folder() {
            "" => slug.to_string(),
            folder => format!("{folder}/{slug}"),
        }
    }

    pub fn from_folder(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.folder() == name)
    }

    /// Singular noun for messages ("unknown note ...").
    pub fn noun(self) -> &'static str {
        match self {
            Section::Articles => "article",
            Section::Notes => "note",
            Section::Actors => "actor",
            Section::Pages => "page",
            Section::Authors => "author",
        }
    }
}

/// A page's identifier within its section: `[a-z0-9-]+`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Accepts only what the spec allows: lowercase ASCII letters, digits
    /// and hyphens, not empty.
    pub fn parse(s: &str) -> Option<Slug> {
        let valid = !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        valid.then(|| Slug(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The longest slug, a page's or a topic's, in bytes. Each slug becomes
/// one folder name in the output, and file systems allow 255 bytes per
/// name (ext4, APFS, XFS; NTFS 255 UTF-16 units): 200 leaves room to
/// spare, so a name that `check` passes can always be written.
pub const MAX_SLUG_BYTES: usize = 200;

/// A shorter slug for one over [`MAX_SLUG_BYTES`]: cut at the last hyphen
/// that fits (or at the limit when there is none), for hints.
pub fn shorten_slug(slug: &str) -> &str {
    if slug.len() <= MAX_SLUG_BYTES {
        return slug;
    }
    // Slugs are ASCII, so any byte index is a character boundary.
    let head = &slug[..MAX_SLUG_BYTES.min(slug.len())];
    match head.rfind('-') {
        Some(i) if i > 0 => &head[..i],
        _ => head,
    }
}

/// How many characters a derived summary or a meta description keeps.
pub const SUMMARY_CHARS: usize = 300;

/// `text` with white space runs as single spaces, cut to at most
/// `max_chars` characters at a word boundary and ended with `…` when it
/// was cut (a single longer word is cut inside). Lists and meta tags show
/// summaries on every page, so their size must not follow the body's.
pub fn excerpt(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars * 4));
    let mut chars = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        let sep = usize::from(!out.is_empty());
        if chars + sep + len > max_chars {
            if out.is_empty() {
                out.extend(word.chars().take(max_chars.saturating_sub(1)));
            }
            let kept = out.trim_end_matches(|c: char| c.is_ascii_punctuation() && c != ')');
            out.truncate(kept.len());
            out.push('…');
            return out;
        }
        if sep == 1 {
            out.push(' ');
        }
        out.push_str(word);
        chars += sep + len;
    }
    out
}

/// Turns free text (a title, a topic, a heading) into a slug:
/// transliterated to ASCII, lowercase, words joined by hyphens.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

/// A topic's URL name. Words in the Latin script are [`slugify`]d
/// ("Côte d'Ivoire" is `cote-d-ivoire`); a word in another script
/// (Arabic, Cyrillic, Greek, Chinese...) is kept as written, in lower case
/// and without its combining marks (Arabic short vowels), since
/// transliterating it loses letters: "سد" (dam) and "صد" (repel) would
/// both be `sd`, one page for two topics. Words are joined by hyphens.
/// Absolute URLs (feeds, sitemap) carry such a name percent-encoded, as
/// the URL rules write it; links between pages carry it as it is, which
/// HTML allows.
pub fn topic_slug(text: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let is_latin = |c: char| {
        c.is_ascii()
            || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}')
    };
    let text: String = text.nfc().collect();
    let mut words: Vec<String> = Vec::new();
    for word in text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c))) {
        if word.is_empty() {
            continue;
        }
        if word.chars().all(|c| is_latin(c) || is_combining_mark(c)) {
            let latin = slugify(word);
            if !latin.is_empty() {
                words.push(latin);
            }
        } else {
            words.push(
                word.chars()
                    .filter(|c| !is_combining_mark(*c))
                    .flat_map(char::to_lowercase)
                    .collect(),
            );
        }
    }
    words.join("-")
}

/// A publication date: the calendar day the writer gave (what readers
/// see), and the exact instant when the front matter gave one (RFC 3339).
///
/// Dates compare as instants ([`Date::utc`]): a day without a time is
/// 00:00 UTC of that day, the same instant [`Date::rfc3339`] writes, so
/// order and serialisation always agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    pub day: NaiveDate,
    pub instant: Option<DateTime<FixedOffset>>,
}

impl Ord for Date {
    /// By instant; at one instant, by the writer's day, then a date
    /// without a time first (consistent with the derived `Eq`).
    fn cmp(&self, other: &Self) -> Ordering {
        (self.utc(), self.day, self.instant.is_some()).cmp(&(
            other.utc(),
            other.day,
            other.instant.is_some(),
        ))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Date {
    /// `YYYY-MM-DD` or RFC 3339 (`2023-10-10T09:30:00+01:00`).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        if let Ok(day) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            if s.len() == 10 {
                return Some(Date { day, instant: None });
            }
        }
        let instant = DateTime::parse_from_rfc3339(s)
            .or_else(|_| DateTime::parse_from_rfc3339(&s.replacen(' ', "T", 1)))
            .ok()?;
        Some(Date {
            day: instant.date_naive(),
            instant: Some(instant),
        })
    }

    /// Whether a page with this date is still to come at `now` (the
    /// build's clock, with its local offset): a date with a time is due
    /// from that instant, a date alone from that day on the build
    /// machine's calendar (so a day written in the newsroom's time zone is
    /// due all that day, not from midnight UTC).
    pub fn is_after(&self, now: DateTime<FixedOffset>) -> bool {
        match self.instant {
            Some(i) => i > now,
            None => self.day > now.date_naive(),
        }
    }

    /// When a page with this date is due, as RFC 3339 (see
    /// [`Self::is_after`]): its instant, or 00:00 of its day on the build
    /// machine's calendar, with that calendar's offset then.
    pub fn due(&self) -> String {
        match self.instant {
            Some(i) => i.to_rfc3339(),
            None => match self.local_midnight() {
                Some(local) => local.to_rfc3339(),
                // A calendar with no such midnight (none is known):
                // the day itself.
                None => self.iso_day(),
            },
        }
    }

    /// The first instant at which [`Self::is_after`] is false, on the
    /// build machine's calendar and with its offset then: a clock set to
    /// it sees the site as it is from the moment this date is due. A day
    /// whose midnight the calendar skips (a change of offset at 00:00) is
    /// due from the first hour it has.
    pub fn due_at(&self) -> DateTime<FixedOffset> {
        match self.instant {
            Some(i) => i.with_timezone(&chrono::Local).fixed_offset(),
            None => self.local_midnight().unwrap_or_else(|| {
                let one = self.day.and_time(chrono::NaiveTime::MIN) + chrono::Duration::hours(1);
                chrono::Local
                    .from_local_datetime(&one)
                    .earliest()
                    .map_or_else(|| one.and_utc().fixed_offset(), |t| t.fixed_offset())
            }),
        }
    }

    fn local_midnight(&self) -> Option<DateTime<FixedOffset>> {
        let midnight = self.day.and_time(chrono::NaiveTime::MIN);
        chrono::Local
            .from_local_datetime(&midnight)
            .earliest()
            .map(|local| local.fixed_offset())
    }

    /// The instant this date stands for: the given time, or 00:00 UTC of
    /// the day when only the day is known.
    pub fn utc(&self) -> DateTime<Utc> {
        match self.instant {
            Some(i) => i.to_utc(),
            None => self.day.and_time(chrono::NaiveTime::MIN).and_utc(),
        }
    }

    /// RFC 3339 with the writer's offset (`2023-10-11T01:00:00+09:00`), or
    /// midnight UTC when only the day is known (Atom, JSON-LD, sitemaps).
    pub fn rfc3339(&self) -> String {
        match self.instant {
            Some(i) => i.to_rfc3339(),
            None => self.iso_day() + "T00:00:00Z",
        }
    }

    /// The `<time datetime>` value: the full RFC 3339 instant when a time
    /// was given, else the day (`2023-10-10`) as written. A day-only
    /// `updated` that stands for a later instant (see
    /// [`Self::as_update_of`]) keeps its day here, so the machine-readable
    /// date agrees with the day shown; the instant still orders it.
    pub fn html_datetime(&self) -> String {
        match self.instant {
            Some(i) if i.date_naive() == self.day => i.to_rfc3339(),
            _ => self.iso_day(),
        }
    }

    /// This date as an `updated` that follows `published`.
    ///
    /// A date without a time is only a day, so an `updated` on the same
    /// day as `published` (or later) is never earlier than it: when its
    /// midnight UTC falls before `published`, it stands for `published`'s
    /// instant (the day shown stays the one written). `None` when it is
    /// really earlier: an earlier day, or an earlier instant when both
    /// give a time.
    pub fn as_update_of(self, published: Date) -> Option<Date> {
        if self >= published {
            return Some(self);
        }
        if self.instant.is_some() && published.instant.is_some() || self.day < published.day {
            return None;
        }
        Some(Date {
            day: self.day,
            instant: Some(
                published
                    .instant
                    .unwrap_or_else(|| published.utc().fixed_offset()),
            ),
        })
    }

    /// `2023-10-10`: the day as the writer gave it.
    pub fn iso_day(&self) -> String {
        // As `%Y-%m-%d` writes it (a sign and at least four digits), without
        // parsing the pattern for every date of every page.
        let (year, month, day) = (self.day.year(), self.day.month(), self.day.day());
        let Ok(year @ 0..=9999) = u32::try_from(year) else {
            return format!("{year:+05}-{month:02}-{day:02}");
        };
        // Digit by digit: `format!` with widths cost a thousand
        // instructions a date, and every card shows one.
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        let mut out = String::with_capacity(10);
        out.extend([year / 1000, year / 100, year / 10, year].map(digit));
        out.push('-');
        out.extend([month / 10, month].map(digit));
        out.push('-');
        out.extend([day / 10, day].map(digit));
        out
    }

    pub fn as_partial(&self) -> PartialDate {
        PartialDate {
            year: self.day.year(),
            month: Some(self.day.month() as u8),
            day: Some(self.day.day() as u8),
        }
    }
}

/// A date as precise as history allows: a year, a month or a day.
/// Used for timeline events and birth dates ("2013", "2014-08",
/// "2023-07-26"). Orders chronologically, less precise first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    pub fn parse(s: &str) -> Option<PartialDate> {
        let s = s.trim();
        if let Some(d) = Date::parse(s) {
            return Some(d.as_partial());
        }
        let parts: Vec<&str> = s.split('-').collect();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        match parts.as_slice() {
            [y] if digits(y, 4) => Some(PartialDate {
                year: y.parse().ok()?,
                month: None,
                day: None,
            }),
            [y, m] if digits(y, 4) && digits(m, 2) => {
                let month: u8 = m.parse().ok()?;
                (1..=12).contains(&month).then_some(PartialDate {
                    year: y.parse().ok()?,
                    month: Some(month),
                    day: None,
                })
            }
            _ => None,
        }
    }

    /// `2023`, `2023-07` or `2023-07-26`, for `<time datetime>`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }
}

/// What an actor is; decides the group on the actors index and the
/// structured-data type of its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActorKind {
    Person,
    Organization,
    Country,
    Group,
    Place,
}

impl ActorKind {
    pub const ALL: [ActorKind; 5] = [
        ActorKind::Person,
        ActorKind::Organization,
        ActorKind::Country,
        ActorKind::Group,
        ActorKind::Place,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Person => "person",
            ActorKind::Organization => "organization",
            ActorKind::Country => "country",
            ActorKind::Group => "group",
            ActorKind::Place => "place",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_due_from_its_due_instant_and_not_a_moment_before() {
        for text in [
            "2999-12-22",
            "2999-12-22T09:00:00+01:00",
            "2999-12-21T23:30:00-11:00",
            "2024-03-31",
        ] {
            let date = Date::parse(text).unwrap();
            let due = date.due_at();
            assert!(!date.is_after(due), "{text} is due at {due}");
            let before = due - chrono::Duration::seconds(1);
            assert!(date.is_after(before), "{text} is not due at {before}");
            // The instant is on the build machine's calendar, as the
            // build's own clock is.
            assert_eq!(
                due.offset(),
                due.with_timezone(&chrono::Local).fixed_offset().offset()
            );
        }
    }

    #[test]
    fn iso_day_writes_what_the_strftime_pattern_writes() {
        for (y, m, d) in [
            (2024, 3, 5),
            (1, 1, 1),
            (0, 12, 31),
            (-44, 3, 15),
            (9999, 12, 31),
            (10000, 1, 1),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let date = Date { day, instant: None };
            assert_eq!(date.iso_day(), day.format("%Y-%m-%d").to_string());
            assert_eq!(
                date.rfc3339(),
                format!("{}T00:00:00Z", day.format("%Y-%m-%d"))
            );
        }
    }

    #[test]
    fn slugs_are_lowercase_ascii_digits_and_hyphens() {
        assert!(Slug::parse("emmanuel-macron").is_some());
        assert!(Slug::parse("g5-sahel").is_some());
        assert!(Slug::parse("Macron").is_none());
        assert!(Slug::parse("a_b").is_none());
        assert!(Slug::parse("").is_none());
        assert_eq!(slugify("Côte d'Ivoire"), "cote-d-ivoire");
    }

    #[test]
    fn topic_slugs_keep_scripts_that_transliteration_would_merge() {
        for (topic, slug) in [
            // The Latin script is transliterated, as slugify does.
            ("Côte d'Ivoire", "cote-d-ivoire"),
            ("ECOWAS sanctions", "ecowas-sanctions"),
            ("COVID-19", "covid-19"),
            ("  Niger  ", "niger"),
            // Other scripts are kept, in lower case, marks dropped.
            ("النيجر", "النيجر"),
            ("سد", "سد"),
            ("صد", "صد"),
            ("سَدّ", "سد"),
            ("Россия", "россия"),
            ("Франция и Нигер", "франция-и-нигер"),
            ("北京", "北京"),
            ("Niger – النيجر", "niger-النيجر"),
            ("!!!", ""),
        ] {
            assert_eq!(topic_slug(topic), slug, "{topic}");
        }
        // Written decomposed (NFD), a Latin topic has the same slug.
        assert_eq!(topic_slug("Co\u{302}te d'Ivoire"), "cote-d-ivoire");
        for topic in ["Niger", "Sahel security", "Côte d'Ivoire", "Burkina Faso"] {
            assert_eq!(topic_slug(topic), slugify(topic), "{topic}");
        }
    }

    #[test]
    fn dates_accept_day_and_rfc3339_only() {
        let d = Date::parse("2023-07-26").unwrap();
        assert_eq!(d.rfc3339(), "2023-07-26T00:00:00Z");
        assert_eq!(d.iso_day(), "2023-07-26");
        let t = Date::parse("2023-10-10T09:30:00+01:00").unwrap();
        assert_eq!(t.iso_day(), "2023-10-10");
        assert!(Date::parse("2023-02-30").is_none());
        assert!(Date::parse("26/07/2023").is_none());
        assert!(Date::parse("2023-7-26").is_none());
    }

    #[test]
    fn dates_order_as_instants_not_local_clock_times() {
        let tokyo = Date::parse("2023-10-11T01:00:00+09:00").unwrap();
        let utc = Date::parse("2023-10-10T20:00:00Z").unwrap();
        let lima = Date::parse("2023-10-10T23:30:00-05:00").unwrap();
        assert!(tokyo < utc && utc < lima);
        assert_eq!(tokyo.iso_day(), "2023-10-11", "shown as written");
        assert_eq!(lima.rfc3339(), "2023-10-10T23:30:00-05:00");
        // A day alone is 00:00 UTC: after a Tokyo morning that was still
        // the previous day in UTC.
        let day = Date::parse("2023-10-11").unwrap();
        assert!(tokyo < day && day < lima);
        // The same instant in two offsets: `Equal` exactly when `==`
        // (the same day written), else ordered by that day.
        let paris = Date::parse("2023-10-10T22:00:00+02:00").unwrap();
        assert_eq!(paris.cmp(&utc), std::cmp::Ordering::Equal);
        assert_eq!(paris, utc);
        let late = Date::parse("2023-10-10T23:00:00Z").unwrap();
        let paris_next_day = Date::parse("2023-10-11T01:00:00+02:00").unwrap();
        assert_eq!(late.utc(), paris_next_day.utc());
        assert_ne!(late, paris_next_day);
        assert!(late < paris_next_day);
        let midnight = Date::parse("2023-10-11T00:00:00Z").unwrap();
        assert_ne!(midnight.cmp(&day), std::cmp::Ordering::Equal);
        assert!(day < midnight);
    }

    #[test]
    fn a_date_only_update_is_never_before_its_publication() {
        let published = Date::parse("2023-10-10T23:30:00-05:00").unwrap();
        // Same day as written: stands for the publication instant.
        let same_day = Date::parse("2023-10-10").unwrap();
        let u = same_day.as_update_of(published).unwrap();
        assert!(u >= published);
        assert_eq!(u.iso_day(), "2023-10-10");
        assert_eq!(u.rfc3339(), published.rfc3339());
        // The next day in the writer's calendar is still taken as given
        // when its midnight is later.
        let later = Date::parse("2023-10-12").unwrap();
        assert_eq!(later.as_update_of(published), Some(later));
        // Really earlier: a day before, or an earlier time.
        assert_eq!(
            Date::parse("2023-10-09").unwrap().as_update_of(published),
            None
        );
        let earlier = Date::parse("2023-10-10T22:00:00-05:00").unwrap();
        assert_eq!(earlier.as_update_of(published), None);
        // A timed update on a date-only publication's day.
        let day = Date::parse("2023-10-11").unwrap();
        let tokyo = Date::parse("2023-10-11T01:00:00+09:00").unwrap();
        assert!(tokyo.as_update_of(day).unwrap() >= day);
        // The next day, whose midnight UTC is before the publication
        // instant: ordered by that instant, shown and marked up as the day.
        let next = Date::parse("2023-10-11").unwrap();
        let u = next.as_update_of(published).unwrap();
        assert!(u >= published);
        assert_eq!(u.iso_day(), "2023-10-11");
        assert_eq!(u.html_datetime(), "2023-10-11");
        assert_eq!(published.html_datetime(), "2023-10-10T23:30:00-05:00");
    }

    #[test]
    fn partial_dates_order_and_print() {
        let y = PartialDate::parse("2013").unwrap();
        let m = PartialDate::parse("2014-08").unwrap();
        let d = PartialDate::parse("2023-07-26").unwrap();
        assert!(y < m && m < d);
        assert_eq!(m.iso(), "2014-08");
        assert_eq!(d.iso(), "2023-07-26");
        assert!(PartialDate::parse("2014-13").is_none());
        assert!(PartialDate::parse("soon").is_none());
    }

    #[test]
    fn excerpts_cut_at_a_word_with_an_ellipsis() {
        assert_eq!(excerpt("  short\n text ", 300), "short text");
        assert_eq!(excerpt("one two three", 9), "one two…");
        assert_eq!(excerpt("one two, three", 9), "one two…");
        assert_eq!(excerpt("abcdefghij", 5), "abcd…");
        let long = "mot ".repeat(100_000);
        let e = excerpt(&long, SUMMARY_CHARS);
        assert!(
            e.chars().count() <= SUMMARY_CHARS && e.ends_with("mot…"),
            "{e}"
        );
    }
}

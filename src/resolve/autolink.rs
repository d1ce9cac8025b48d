//! Finds mentions of actors (by `name` or `aliases`) in running text with
//! one Aho-Corasick automaton over every name of every actor, so the cost
//! per page does not grow with the number of actors.
//!
//! Names match as whole words only. Rather than checking word boundaries
//! after a match (which, when the longest name at a place is not a whole
//! word, means searching again from the next character: quadratic on
//! nested aliases), both the names and the text are spelt in a form where
//! every word is framed by a marker byte that UTF-8 never uses. A name can
//! then only match where whole words match, and one leftmost-longest
//! search over the text finds every mention. The same spelling collapses
//! any run of white space (a soft line break included) into one space and
//! puts every word in Unicode normal form C, so a name hard-wrapped across
//! two lines, or typed in decomposed form, is still found.
//!
//! Most text is in NFC with single spaces, and there the framed form would
//! only add markers: such text is searched as it is, with names spelt the
//! same way, and framed only if a match turns out not to be whole words.
//! Both ways give the same mentions; each is linear.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Up to how many names (actor names and aliases) a DFA is built.
const DFA_NAMES: usize = 4_000;

/// Frames every word in the searched form: never part of UTF-8 text.
const MARK: u8 = 0xFF;

/// A mention: where it is in the text and which actor it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub actor: usize,
}

/// Reusable buffers for [`AutoLinker::find`], so a body with many text runs
/// allocates them once.
#[derive(Debug, Default)]
pub struct Scratch {
    /// The text in searched form.
    framed: Vec<u8>,
    /// Per marker in `framed`: its position there and the byte offset of
    /// the word boundary in the original text. Sorted by both.
    marks: Vec<(usize, usize)>,
}

/// Matches actor names in text: whole words only, longest name first.
#[derive(Debug)]
pub struct AutoLinker {
    /// Over the framed names.
    automaton: Option<AhoCorasick>,
    /// Over the names with single spaces, for text that needs no framing;
    /// same pattern ids. Anchored: it is run only where a word starts.
    plain: Option<AhoCorasick>,
    /// Whether some name, spelt with single spaces, starts with this byte.
    plain_first_byte: [bool; 256],
    /// Every byte of `plain_first_byte` is an ASCII capital or not ASCII.
    capitals_only: bool,
    actor_of_pattern: Vec<usize>,
}

impl AutoLinker {
    /// `names` holds, per actor id, its name and aliases. Leading and
    /// trailing punctuation of a name is not part of what is matched, and a
    /// name without any letter or digit is never matched.
    pub fn new<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> AutoLinker {
        let mut patterns = Vec::new();
        let mut plain_patterns = Vec::new();
        let mut actor_of_pattern = Vec::new();
        let mut scratch = Scratch::default();
        for (actor, name) in names {
            let name = name.trim_matches(|c: char| !is_word_char(c));
            if name.is_empty() {
                continue;
            }
            scratch.frame(name);
            patterns.push(std::mem::take(&mut scratch.framed));
            plain_patterns.push(
                super::nfc(name)
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .into_bytes(),
            );
            actor_of_pattern.push(actor);
        }
        let mut plain_first_byte = [false; 256];
        for pattern in &plain_patterns {
            if let Some(&b) = pattern.first() {
                plain_first_byte[b as usize] = true;
            }
        }
        let build = |patterns: &[_], start: StartKind| {
            if patterns.is_empty() {
                return None;
            }
            // A DFA is the fastest to search, and every page is searched;
            // but it grows with the names and, past a few thousand, takes
            // seconds to build and no longer fits in cache. Then the
            // contiguous NFA is the better trade.
            let kind = if patterns.len() <= DFA_NAMES {
                AhoCorasickKind::DFA
            } else {
                AhoCorasickKind::ContiguousNFA
            };
            AhoCorasick::builder()
                .kind(Some(kind))
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(start)
                .build(patterns)
                .ok()
        };
        // Built on two cores: every page waits for them.
        let (automaton, plain) = rayon::join(
            || build(&patterns, StartKind::Unanchored),
            || build(&plain_patterns, StartKind::Anchored),
        );
        AutoLinker {
            automaton,
            plain,
            plain_first_byte,
            capitals_only: (0..=255u8)
                .filter(|&b| plain_first_byte[b as usize])
                .all(|b| b.is_ascii_uppercase() || !b.is_ascii()),
            actor_of_pattern,
        }
    }

    /// Every whole-word mention in `text`, left to right; where names
    /// overlap, the leftmost and then the longest wins.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let mut found = Vec::new();
        self.find(text, &mut Scratch::default(), &mut found);
        found
    }

    /// [`AutoLinker::mentions`] into `out` (cleared first), with buffers
    /// reused from earlier calls. Time is linear in `text` plus, per
    /// mention, the length of the longest name sharing its beginning.
    pub fn find(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Mention>) {
        out.clear();
        if needs_no_framing(text) && self.find_plain(text, out) {
            return;
        }
        out.clear();
        self.find_framed(text, scratch, out);
    }

    /// The framed search, whatever the text.
    fn find_framed(&self, text: &str, scratch: &mut Scratch, out: &mut Vec<Mention>) {
        let Some(ac) = &self.automaton else {
            return;
        };
        scratch.frame(text);
        let marks = &scratch.marks;
        // A match starts and ends on a marker, so both map back exactly.
        let offset = |at: usize| {
            marks
                .binary_search_by_key(&at, |&(framed, _)| framed)
                .map(|i| marks[i].1)
        };
        for m in ac.find_iter(&scratch.framed) {
            if let (Ok(start), Ok(end)) = (offset(m.start()), offset(m.end() - 1)) {
                out.push(Mention {
                    start,
                    end,
                    actor: self.actor_of_pattern[m.pattern().as_usize()],
                });
            }
        }
    }
}

impl AutoLinker {
    /// Searches text that needs no framing as it is. False, with `out`
    /// incomplete, as soon as the longest name at a word's start is not
    /// whole words: only the framed search can then find the shorter name
    /// that is.
    ///
    /// A name starts with a word character, so a mention starts where a
    /// word does. Rather than run the automaton over every byte, the scan
    /// looks for the first bytes of names and runs it, anchored, only
    /// where one starts a word; in running text most words start with no
    /// such byte (a search over every byte was a tenth of a build).
    fn find_plain(&self, text: &str, out: &mut Vec<Mention>) -> bool {
        let Some(ac) = &self.plain else {
            return false;
        };
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let Some(next) = self.next_first_byte(bytes, at) else {
                break;
            };
            at = next;
            // A first byte is ASCII or a UTF-8 lead byte: a character
            // starts here.
            let starts_word = !text[..at].chars().next_back().is_some_and(is_word_char);
            let found = if starts_word {
                ac.find(
                    Input::new(text)
                        .span(at..text.len())
                        .anchored(Anchored::Yes),
                )
            } else {
                None
            };
            let Some(m) = found else {
                at += 1;
                continue;
            };
            if text[m.end()..].chars().next().is_some_and(is_word_char) {
                return false;
            }
            out.push(Mention {
                start: m.start(),
                end: m.end(),
                actor: self.actor_of_pattern[m.pattern().as_usize()],
            });
            at = m.end();
        }
        true
    }
}

impl AutoLinker {
    /// The first position from `from` on whose byte starts some name.
    ///
    /// When every name starts with an ASCII capital or a non-ASCII
    /// character (names usually do), eight bytes at a time with neither
    /// are passed over in one test: running text is mostly lower case.
    fn next_first_byte(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let mut at = from;
        loop {
            if self.capitals_only {
                while let Some(word) = bytes.get(at..at + 8) {
                    let word = u64::from_le_bytes(word.try_into().unwrap_or_default());
                    if may_hold_capital_or_non_ascii(word) {
                        break;
                    }
                    at += 8;
                }
            }
            let end = (at + 8).min(bytes.len());
            let found = bytes[at..end]
                .iter()
                .position(|&b| self.plain_first_byte[b as usize]);
            match found {
                Some(n) => return Some(at + n),
                None if end == bytes.len() => return None,
                None => at = end,
            }
        }
    }
}

/// Whether one of the eight bytes of `word` is an ASCII capital (`A` to
/// `Z`) or not ASCII, tested on all eight at once: on the low seven bits
/// of each byte, adding 0x3F sets the top bit from `A` (0x41) up, adding
/// 0x25 from `[` (0x5B) up, and no sum carries into the next byte.
fn may_hold_capital_or_non_ascii(word: u64) -> bool {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const TOP: u64 = 0x8080_8080_8080_8080;
    let low = word & LOW;
    let from_a = low + 0x3F3F_3F3F_3F3F_3F3F;
    let past_z = low + 0x2525_2525_2525_2525;
    (word | (from_a & !past_z)) & TOP != 0
}

/// Text whose only white space is single spaces, in NFC: framing it would
/// change nothing but add the markers. (Vectorised scans for ASCII.)
fn needs_no_framing(text: &str) -> bool {
    let bytes = text.as_bytes();
    let simple_spaces = memchr::memchr3(b'\n', b'\t', b'\r', bytes).is_none()
        && memchr::memchr2(0x0b, 0x0c, bytes).is_none()
        && memchr::memmem::find(bytes, b"  ").is_none();
    simple_spaces && non_ascii_runs_are_plain(text)
}

/// Whether every run of non-ASCII characters in `text` has no white space
/// and is in NFC. Only those runs are decoded: an ASCII character is
/// never white space here (checked before) and, with combining class 0
/// and no decomposition, ends any sequence the NFC quick check looks at,
/// so checking each run alone gives the answer for the whole text.
fn non_ascii_runs_are_plain(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(skip) = first_non_ascii(&bytes[at..]) {
        let start = at + skip;
        let end = bytes[start..]
            .iter()
            .position(u8::is_ascii)
            .map_or(bytes.len(), |n| start + n);
        // Both ends are character boundaries: ASCII bytes start characters.
        let run = &text[start..end];
        if run.chars().any(char::is_whitespace) || is_nfc_quick(run.chars()) != IsNormalized::Yes {
            return false;
        }
        at = end;
    }
    true
}

/// The position of the first byte that is not ASCII, passing over
/// sixteen ASCII bytes at a time (`<[u8]>::is_ascii` tests them by words).
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    while bytes.get(at..at + 16).is_some_and(<[u8]>::is_ascii) {
        at += 16;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|n| at + n)
}

impl Scratch {
    /// Spells `text` in searched form: a marker before and after every
    /// word, white space runs as one space, words in NFC. ASCII, the
    /// common case, is classified byte by byte without decoding.
    fn frame(&mut self, text: &str) {
        self.framed.clear();
        self.marks.clear();
        self.framed.reserve(text.len() + text.len() / 4);
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let (c, len) = if b < 0x80 {
                (b as char, 1)
            } else {
                let c = text[i..]
                    .chars()
                    .next()
                    .unwrap_or(char::REPLACEMENT_CHARACTER);
                (c, c.len_utf8())
            };
            if is_word_byte(b) || (b >= 0x80 && is_word_char(c)) {
                let start = i;
                let mut ascii = b < 0x80;
                i += len;
                while i < bytes.len() {
                    let b = bytes[i];
                    if is_word_byte(b) {
                        i += 1;
                    } else if b >= 0x80 {
                        let c = text[i..]
                            .chars()
                            .next()
                            .unwrap_or(char::REPLACEMENT_CHARACTER);
                        if !is_word_char(c) {
                            break;
                        }
                        ascii = false;
                        i += c.len_utf8();
                    } else {
                        break;
                    }
                }
                self.push_word(&text[start..i], start, ascii);
            } else if c.is_whitespace() {
                i += len;
                while i < bytes.len() {
                    let c = if bytes[i] < 0x80 {
                        bytes[i] as char
                    } else {
                        text[i..].chars().next().unwrap_or('x')
                    };
                    if !c.is_whitespace() {
                        break;
                    }
                    i += c.len_utf8();
                }
                self.framed.push(b' ');
            } else {
                self.framed.extend_from_slice(&bytes[i..i + len]);
                i += len;
            }
        }
    }

    fn push_word(&mut self, word: &str, start: usize, ascii: bool) {
        self.marks.push((self.framed.len(), start));
        self.framed.push(MARK);
        if ascii || is_nfc_quick(word.chars()) == IsNormalized::Yes {
            self.framed.extend_from_slice(word.as_bytes());
        } else {
            let mut buf = [0u8; 4];
            for c in word.nfc() {
                self.framed
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
        self.marks.push((self.framed.len(), start + word.len()));
        self.framed.push(MARK);
    }
}

/// An ASCII letter, digit or `_`.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Letters, digits, `_` and combining marks: a decomposed `é` is one
/// word with its base letter.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_non_ascii_byte_is_found_wherever_it_is() {
        for len in [0, 1, 15, 16, 17, 40] {
            let ascii = "a".repeat(len);
            assert_eq!(first_non_ascii(ascii.as_bytes()), None);
            for at in 0..=len {
                let text = format!("{}é{}", &ascii[..at], &ascii[at..]);
                assert_eq!(first_non_ascii(text.as_bytes()), Some(at), "{len} {at}");
            }
        }
    }

    #[test]
    fn the_word_test_finds_exactly_capitals_and_non_ascii() {
        for b in 0..=255u8 {
            let hit = b.is_ascii_uppercase() || !b.is_ascii();
            for lane in 0..8 {
                // The byte in each lane, among bytes that never hit.
                let mut word = [b'a'; 8];
                word[lane] = b;
                let word = u64::from_le_bytes(word);
                assert_eq!(
                    may_hold_capital_or_non_ascii(word),
                    hit,
                    "byte {b:#x} lane {lane}"
                );
            }
        }
        assert!(!may_hold_capital_or_non_ascii(u64::from_le_bytes(
            *b"@[`{ z0a"
        )));
    }

    #[test]
    fn first_bytes_are_found_alike_with_and_without_the_word_test() {
        let text = "the Zoo and lower ÉCOLE words mid sentence: a Niger then Mali, \
                    and more lower case text to pass over before the Last one X";
        for names in [
            vec!["Niger", "Mali", "École", "X"],
            vec!["Niger", "de Gaulle"],
        ] {
            let l = AutoLinker::new(names.iter().enumerate().map(|(i, n)| (i, *n)));
            let naive: Vec<usize> = (0..text.len())
                .filter(|&i| l.plain_first_byte[text.as_bytes()[i] as usize])
                .collect();
            let mut found = Vec::new();
            let mut at = 0;
            while let Some(next) = l.next_first_byte(text.as_bytes(), at) {
                found.push(next);
                at = next + 1;
            }
            assert_eq!(found, naive, "{names:?}");
        }
        let capitals = AutoLinker::new([(0, "Niger"), (1, "École")]);
        assert!(capitals.capitals_only);
        assert!(!AutoLinker::new([(0, "de Gaulle")]).capitals_only);
    }

    fn linker() -> AutoLinker {
        AutoLinker::new([
            (0, "Emmanuel Macron"),
            (0, "Macron"),
            (1, "Niger"),
            (2, "Mohamed Bazoum"),
            (2, "Bazoum"),
        ])
    }

    fn names(text: &str) -> Vec<(&str, usize)> {
        linker()
            .mentions(text)
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.actor))
            .collect()
    }

    #[test]
    fn longest_name_wins() {
        assert_eq!(
            names("President Emmanuel Macron said Macron would"),
            vec![("Emmanuel Macron", 0), ("Macron", 0)]
        );
    }

    #[test]
    fn whole_words_only() {
        assert_eq!(names("Nigeria and Macronism"), vec![]);
        assert_eq!(
            names("Niger’s junta, (Niger)."),
            vec![("Niger", 1), ("Niger", 1)]
        );
    }

    #[test]
    fn a_failed_long_match_does_not_hide_a_short_one() {
        let l = AutoLinker::new([(0, "Niger Delta"), (1, "Niger")]);
        let found = l.mentions("the Niger Deltas and Niger");
        assert_eq!(found.len(), 2);
        assert!(found.iter().all(|m| m.actor == 1));
    }

    #[test]
    fn no_actors_no_mentions() {
        assert!(AutoLinker::new([]).mentions("anything").is_empty());
    }

    #[test]
    fn a_name_wrapped_across_lines_or_spaced_twice_still_matches() {
        let l = AutoLinker::new([(0, "Macky Sall")]);
        let text = "President Macky\nSall and Macky  \t Sall";
        let found = l.mentions(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].start..found[0].end], "Macky\nSall");
        assert_eq!(&text[found[1].start..found[1].end], "Macky  \t Sall");
    }

    #[test]
    fn decomposed_spellings_match_a_composed_name() {
        let l = AutoLinker::new([(0, "Jos\u{e9}"), (1, "Jose")]);
        let text = "Jose\u{301} met Jose.";
        let found: Vec<_> = l
            .mentions(text)
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.actor))
            .collect();
        assert_eq!(found, vec![("Jose\u{301}", 0), ("Jose", 1)]);
    }

    #[test]
    fn nested_aliases_take_the_longest_whole_words() {
        let names: Vec<String> = (1..=5)
            .map(|n| {
                (0..n)
                    .map(|i| format!("W{i}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let l = AutoLinker::new(names.iter().map(|n| (0, n.as_str())));
        let text = "W0 W1 W2x W0 W1 W2 W3 W4 W5";
        let found: Vec<_> = l
            .mentions(text)
            .into_iter()
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(found, vec!["W0 W1", "W0 W1 W2 W3 W4"]);
    }

    #[test]
    fn surrounding_punctuation_of_a_name_is_not_required() {
        let l = AutoLinker::new([(0, "(U.N.)"), (1, "!!")]);
        let text = "the U.N. said !!";
        let found: Vec<_> = l
            .mentions(text)
            .into_iter()
            .map(|m| &text[m.start..m.end])
            .collect();
        assert_eq!(found, vec!["U.N"]);
    }

    #[test]
    fn non_ascii_runs_are_checked_as_the_whole_text_would_be() {
        for text in [
            "plain ascii",
            "Keïta and Cissé",
            "Jose\u{301} Ramos",
            "e\u{301}\u{327} x",
            "x\u{301}",
            "José\u{a0}Ramos",
            "\u{3000}",
            "a\u{1E0B}\u{323}b",
            "",
        ] {
            let whole = !text.chars().any(|c| !c.is_ascii() && c.is_whitespace())
                && is_nfc_quick(text.chars()) == IsNormalized::Yes;
            assert_eq!(non_ascii_runs_are_plain(text), whole, "{text:?}");
        }
    }

    #[test]
    fn plain_and_framed_searches_agree() {
        let l = AutoLinker::new([
            (0, "Emmanuel Macron"),
            (0, "Macron"),
            (1, "Niger"),
            (2, "Niger Delta"),
            (3, "U.N."),
            (4, "Jose\u{301} Ramos"),
            (5, "Ramos"),
        ]);
        for text in [
            "Emmanuel Macron and Macron in Niger.",
            "the Niger Delta, the Niger Deltas, Nigeria, (Niger)",
            "U.N. and U.N.O and xU.N",
            "Macronism Emmanuel_Macron Emmanuel Macron_",
            "",
            "José Ramos, Jose\u{301} Ramos, José\u{a0}Ramos, Josée Ramos",
            "Ramos\u{301} Ramos",
            "McNiger Niger xEmmanuel Macron, xMacron Niger",
            "MacronNiger Niger",
            "Niger Delta_ Niger Deltaé Niger",
            "éNiger Niger",
        ] {
            let mut plain = Vec::new();
            let complete = l.find_plain(text, &mut plain);
            let mut framed = Vec::new();
            l.find_framed(text, &mut Scratch::default(), &mut framed);
            if complete && needs_no_framing(text) {
                assert_eq!(plain, framed, "{text}");
            }
            // A name inside a word is no reason to frame the text.
            if text.starts_with("McNiger") {
                assert!(complete, "{text}");
            }
            assert_eq!(l.mentions(text), framed, "{text}");
        }
    }
}

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

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
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
    automaton: Option<AhoCorasick>,
    actor_of_pattern: Vec<usize>,
}

impl AutoLinker {
    /// `names` holds, per actor id, its name and aliases. Leading and
    /// trailing punctuation of a name is not part of what is matched, and a
    /// name without any letter or digit is never matched.
    pub fn new<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> AutoLinker {
        let mut patterns = Vec::new();
        let mut actor_of_pattern = Vec::new();
        let mut scratch = Scratch::default();
        for (actor, name) in names {
            let name = name.trim_matches(|c: char| !is_word_char(c));
            if name.is_empty() {
                continue;
            }
            scratch.frame(name);
            patterns.push(std::mem::take(&mut scratch.framed));
            actor_of_pattern.push(actor);
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
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
                .build(&patterns)
                .ok()
        };
        AutoLinker {
            automaton,
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

impl Scratch {
    /// Spells `text` in searched form: a marker before and after every
    /// word, white space runs as one space, words in NFC.
    fn frame(&mut self, text: &str) {
        self.framed.clear();
        self.marks.clear();
        self.framed.reserve(text.len() + text.len() / 4);
        let mut rest = text.char_indices().peekable();
        let mut buf = [0u8; 4];
        while let Some((i, c)) = rest.next() {
            if is_word_char(c) {
                let mut end = i + c.len_utf8();
                let mut ascii = c.is_ascii();
                while let Some(&(j, d)) = rest.peek() {
                    if !is_word_char(d) {
                        break;
                    }
                    ascii &= d.is_ascii();
                    end = j + d.len_utf8();
                    rest.next();
                }
                let word = &text[i..end];
                self.marks.push((self.framed.len(), i));
                self.framed.push(MARK);
                if ascii || is_nfc_quick(word.chars()) == IsNormalized::Yes {
                    self.framed.extend_from_slice(word.as_bytes());
                } else {
                    for d in word.nfc() {
                        self.framed
                            .extend_from_slice(d.encode_utf8(&mut buf).as_bytes());
                    }
                }
                self.marks.push((self.framed.len(), end));
                self.framed.push(MARK);
            } else if c.is_whitespace() {
                while rest.next_if(|&(_, d)| d.is_whitespace()).is_some() {}
                self.framed.push(b' ');
            } else {
                self.framed
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// Letters, digits, `_` and combining marks: a decomposed `é` is one
/// word with its base letter.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || unicode_normalization::char::is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

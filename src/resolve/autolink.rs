//! Finds mentions of actors (by `name` or `aliases`) in running text with
//! one Aho-Corasick automaton over every name of every actor, so the cost
//! per page does not grow with the number of actors.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

/// Up to how many names (actor names and aliases) a DFA is built.
const DFA_NAMES: usize = 4_000;

/// A mention: where it is in the text and which actor it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub actor: usize,
}

/// Matches actor names in text: whole words only, longest name first.
#[derive(Debug)]
pub struct AutoLinker {
    automaton: Option<AhoCorasick>,
    /// Every name, for overlapping search in the rare case where the
    /// longest name at a position is not a whole word.
    fallback: Option<AhoCorasick>,
    longest_name: usize,
    actor_of_pattern: Vec<usize>,
}

impl AutoLinker {
    /// `names` holds, per actor id, its name and aliases.
    pub fn new<'a>(names: impl IntoIterator<Item = (usize, &'a str)>) -> AutoLinker {
        let mut patterns = Vec::new();
        let mut actor_of_pattern = Vec::new();
        for (actor, name) in names {
            let name = name.trim();
            if !name.is_empty() {
                patterns.push(name.to_string());
                actor_of_pattern.push(actor);
            }
        }
        let (automaton, fallback) = if patterns.is_empty() {
            (None, None)
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
            let longest = AhoCorasick::builder()
                .kind(Some(kind))
                .match_kind(MatchKind::LeftmostLongest)
                .build(&patterns)
                .ok();
            let all = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&patterns)
                .ok();
            (longest, all)
        };
        AutoLinker {
            longest_name: patterns.iter().map(String::len).max().unwrap_or(0),
            automaton,
            fallback,
            actor_of_pattern,
        }
    }

    /// Every whole-word mention in `text`, left to right. Where the longest
    /// name at a position is not a whole word ("Macronism"), the search goes
    /// on from the next character so a shorter whole-word name can still
    /// match.
    pub fn mentions(&self, text: &str) -> Vec<Mention> {
        let mut found = Vec::new();
        let Some(ac) = &self.automaton else {
            return found;
        };
        let mut pos = 0;
        while pos < text.len() {
            let Some(m) = ac.find(Input::new(text).span(pos..text.len())) else {
                break;
            };
            let whole_word = if is_word_boundary(text, m.start(), m.end()) {
                Some((m.end(), m.pattern().as_usize()))
            } else {
                self.shorter_whole_word_at(text, m.start())
            };
            match whole_word {
                Some((end, pattern)) => {
                    found.push(Mention {
                        start: m.start(),
                        end,
                        actor: self.actor_of_pattern[pattern],
                    });
                    pos = end;
                }
                None => {
                    pos = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        found
    }
}

impl AutoLinker {
    /// The longest name starting exactly at `start` that is a whole word.
    fn shorter_whole_word_at(&self, text: &str, start: usize) -> Option<(usize, usize)> {
        let all = self.fallback.as_ref()?;
        let end = (start + self.longest_name).min(text.len());
        let input = Input::new(text).span(start..end);
        all.try_find_overlapping_iter(input)
            .ok()?
            .filter(|m| m.start() == start && is_word_boundary(text, m.start(), m.end()))
            .max_by_key(|m| m.end())
            .map(|m| (m.end(), m.pattern().as_usize()))
    }
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
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
}

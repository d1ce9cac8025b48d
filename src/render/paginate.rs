//! Pagination: splits a list into pages of `paginate` items (site.toml)
//! and describes each page's navigation. Page 1 stays at the list's own
//! folder (`articles/`); page `n` lives at `articles/page/n/`, and no
//! `page/1/` is written, so every page has exactly one URL.
//!
//! A paginated list is one call to [`Renderer::paginated`] per page: the
//! caller gives the folder, the number of items and the page number, and
//! gets the page's item range, its output path, its depth and the
//! [`Pager`] its template shows.

use std::ops::Range;

use serde::Serialize;

use super::views::Linker;

/// How many pages a list of `len` items takes at `per_page` items a page
/// (0: one page). An empty list still has its first page.
pub fn page_count(len: usize, per_page: usize) -> usize {
    if per_page == 0 || len == 0 {
        1
    } else {
        len.div_ceil(per_page)
    }
}

/// The items of page `number` (1-based) of a list of `len` items.
pub fn page_range(len: usize, per_page: usize, number: usize) -> Range<usize> {
    if per_page == 0 {
        return 0..len;
    }
    let start = (number - 1).saturating_mul(per_page).min(len);
    start..start.saturating_add(per_page).min(len)
}

/// The folder of page `number` of the list at `dir` (`articles/`):
/// `dir` itself for page 1, `articles/page/2/` after it.
pub fn page_folder(dir: &str, number: usize) -> String {
    if number <= 1 {
        dir.to_string()
    } else {
        format!("{dir}page/{number}/")
    }
}

/// One page of a paginated list, as every HTML template sees it
/// (`pager`); absent when the list fits on one page.
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct Pager {
    /// This page's number, from 1.
    pub number: usize,
    /// How many pages the list has.
    pub total: usize,
    /// The previous and next pages, relative to this page.
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The page numbers to show, with gaps: the first and last pages, and
    /// two either side of this one.
    pub links: Vec<PageLink>,
}

/// A page number in the pagination, or a gap (`number` 0, no `href`).
#[derive(Serialize, Debug, Clone, PartialEq)]
pub struct PageLink {
    pub number: usize,
    pub href: Option<String>,
    pub current: bool,
}

/// How many page numbers either side of the current one are shown.
const WINDOW: usize = 2;

impl Pager {
    /// The pager of page `number` of `total` of the list at `dir`, for a
    /// page linking with `l`; `None` when the list has one page.
    pub fn new(dir: &str, number: usize, total: usize, l: Linker) -> Option<Pager> {
        if total <= 1 {
            return None;
        }
        let href = |n: usize| l.dir(&page_folder(dir, n));
        let mut links = Vec::new();
        for n in shown_numbers(number, total) {
            match n {
                Some(n) => links.push(PageLink {
                    number: n,
                    href: Some(href(n)),
                    current: n == number,
                }),
                None => links.push(PageLink {
                    number: 0,
                    href: None,
                    current: false,
                }),
            }
        }
        Some(Pager {
            number,
            total,
            prev: (number > 1).then(|| href(number - 1)),
            next: (number < total).then(|| href(number + 1)),
            links,
        })
    }
}

/// The page numbers shown for page `number` of `total`: 1, the last, and
/// `WINDOW` either side of `number`; `None` where numbers are left out. A
/// gap of a single page shows that page instead (an ellipsis would take
/// the same room).
fn shown_numbers(number: usize, total: usize) -> Vec<Option<usize>> {
    let low = number.saturating_sub(WINDOW).max(1);
    let high = (number + WINDOW).min(total);
    let mut shown = vec![1];
    shown.extend(low.max(2)..=high);
    if *shown.last().unwrap_or(&0) != total {
        shown.push(total);
    }
    shown.dedup();
    let mut out = Vec::with_capacity(shown.len() + 2);
    let mut previous = 0;
    for n in shown {
        if n == previous + 2 {
            out.push(Some(previous + 1));
        } else if n > previous + 2 {
            out.push(None);
        }
        out.push(Some(n));
        previous = n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(number: usize, total: usize) -> String {
        shown_numbers(number, total)
            .iter()
            .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn pages_split_the_list_and_never_lose_an_item() {
        assert_eq!(page_count(0, 30), 1);
        assert_eq!(page_count(30, 30), 1);
        assert_eq!(page_count(31, 30), 2);
        assert_eq!(page_count(31, 0), 1, "0 means one page");
        assert_eq!(page_range(31, 30, 1), 0..30);
        assert_eq!(page_range(31, 30, 2), 30..31);
        assert_eq!(page_range(31, 0, 1), 0..31);
        for len in 0..100 {
            for per in 1..12 {
                let items: Vec<usize> = (1..=page_count(len, per))
                    .flat_map(|n| page_range(len, per, n))
                    .collect();
                assert_eq!(items, (0..len).collect::<Vec<_>>(), "{len} by {per}");
            }
        }
    }

    #[test]
    fn page_one_stays_at_the_list_folder() {
        assert_eq!(page_folder("articles/", 1), "articles/");
        assert_eq!(page_folder("articles/", 2), "articles/page/2/");
        assert_eq!(page_folder("topics/niger/", 12), "topics/niger/page/12/");
    }

    #[test]
    fn numbers_show_the_ends_and_a_window_with_gaps() {
        assert_eq!(shown(1, 1), "1");
        assert_eq!(shown(1, 5), "1 2 3 4 5");
        assert_eq!(shown(1, 7), "1 2 3 … 7");
        assert_eq!(shown(4, 7), "1 2 3 4 5 6 7");
        assert_eq!(shown(5, 10), "1 2 3 4 5 6 7 … 10");
        assert_eq!(shown(50, 100), "1 … 48 49 50 51 52 … 100");
        assert_eq!(shown(100, 100), "1 … 98 99 100");
    }

    #[test]
    fn the_pager_links_relative_to_the_page() {
        assert_eq!(Pager::new("articles/", 1, 1, Linker { depth: 1 }), None);
        let p = Pager::new("articles/", 2, 3, Linker { depth: 3 }).unwrap();
        assert_eq!(p.prev.as_deref(), Some("../../../articles/index.html"));
        assert_eq!(
            p.next.as_deref(),
            Some("../../../articles/page/3/index.html")
        );
        assert!(p.links.iter().any(|l| l.current && l.number == 2));
        let first = Pager::new("articles/", 1, 3, Linker { depth: 1 }).unwrap();
        assert_eq!(first.prev, None);
        assert_eq!(first.next.as_deref(), Some("../articles/page/2/index.html"));
    }
}
